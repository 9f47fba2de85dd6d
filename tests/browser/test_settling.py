"""Settling a round of 300 comments in Chromium: three coordinators and a city official use the
filters, a group of similar comments, an answer template and an assignment, and publish the
report; axe finds no violation on the settling pages."""

from __future__ import annotations

from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from actions.models import Action
from consultations.models import AnswerDraft, AuthorRole, Comment, Round
from consultations.phases import Phase
from demo.consultations import OPEN_TITLE
from teams.models import Meeting, Organisation, User

from .axe import violations

LETTER = (
    "Wnosimy o zwiększenie środków na wkład własny organizacji pozarządowych w projektach "
    "finansowanych ze źródeł zewnętrznych, ponieważ obecny limit uniemożliwia małym "
    "stowarzyszeniom udział w konkursach unijnych. Z poważaniem, {name}"
)
TOPICS = ["lokali", "grantów", "szkoleń", "wolontariatu", "konsultacji", "dostępności"]
TEMPLATE = "Uwaga wykracza poza zakres programu współpracy."


def _login(context: BrowserContext, base_url: str, user: User) -> None:
    client = Client()
    client.force_login(user)
    context.clear_cookies()
    context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url},
            {"name": "django_language", "value": "en", "url": base_url},
        ]
    )


def _fill(round_: Round) -> tuple[list[Comment], list[Comment]]:
    """300 counted comments: a third one campaign letter, each from its own organisation."""
    author = User.objects.get(email="ngo@example.org")
    organisation = Organisation.objects.get(representations__user=author)
    existing = round_.comments.counted().count()
    senders = Organisation.objects.bulk_create(
        Organisation(name=f"Stowarzyszenie Kampanii nr {i}") for i in range(100)
    )
    letters = Comment.objects.bulk_create(
        Comment(
            round=round_,
            author_role=AuthorRole.ORGANISATION,
            organisation=sender,
            text=LETTER.format(name=sender.name),
        )
        for sender in senders
    )
    actions = list(Action.objects.filter(meeting=round_.meeting).order_by("number"))
    others = Comment.objects.bulk_create(
        Comment(
            round=round_,
            author=author,
            author_role=AuthorRole.ORGANISATION,
            organisation=organisation,
            action=actions[i % len(actions)] if actions else None,
            text=f"W sprawie {TOPICS[i % len(TOPICS)]}: propozycja {i} "
            f"(zmiana {i * 37 % 101} w harmonogramie, wariant {chr(65 + i % 26)})",
        )
        for i in range(200 - existing)
    )
    return letters, others


def test_three_coordinators_and_an_official_settle_300_comments(
    live_server, page: Page, seeded: Meeting
) -> None:
    base = live_server.url
    round_ = Round.objects.get(title=OPEN_TITLE)  # the demo's open round
    letters, _others = _fill(round_)
    assert round_.comments.counted().count() == 300
    first = User.objects.get(email="koordynator@example.org")
    second = User.objects.create_user(
        "koordynator2@example.org", "pw-2-abcdef", is_coordinator=True
    )
    third = User.objects.create_user("koordynator3@example.org", "pw-3-abcdef", is_coordinator=True)
    official = User.objects.get(email="urzednik@example.org")
    context = page.context
    settle = f"{base}/consultations/{round_.pk}/settle/"

    # The first coordinator closes the round and keeps an answer template.
    _login(context, base, first)
    page.goto(base + round_.get_absolute_url())
    page.get_by_role("link", name="Close the round now").click()
    # Before its deadline: the confirmation page asks why (it goes into the report).
    page.get_by_label("Why the round closes before its announced deadline").fill(
        "Sesja Rady Miasta przyspieszona."
    )
    page.get_by_role("button", name="Yes, close the round now").click()
    page.goto(base + "/consultations/answer-templates/")
    page.get_by_label("Title").fill("Poza zakresem")
    page.get_by_label("Justification").fill(TEMPLATE)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The answer template has been saved.")).to_be_visible()
    assert violations(page) == []

    # Filters: every open comment about premises, settled with the template.
    page.goto(settle)
    assert violations(page) == []
    page.get_by_label("Words in the text").fill("lokali")
    page.get_by_label("State").select_option(label="Not settled yet")
    page.get_by_role("button", name="Show", exact=True).click()
    found = round_.comments.counted().filter(text__contains="lokali").count()
    expect(page.get_by_text(f"{found} comments found.")).to_be_visible()
    boxes = page.locator("input[name=comments]")
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.get_by_label("not considered", exact=True).check()
    page.get_by_label("Answer template").select_option(label="Poza zakresem")
    expect(page.get_by_label("Justification")).to_have_value(TEMPLATE)
    page.get_by_label("Justification").fill(TEMPLATE + " Zostanie rozważona w przyszłości.")
    page.get_by_role("button", name="Settle the chosen comments").click()
    expect(page.get_by_text(f"{min(found, 50)} comment(s) settled.")).to_be_visible()
    assert "state=open" in page.url  # back on the same filtered list

    # The second coordinator settles the campaign letter as one group.
    _login(context, base, second)
    page.goto(settle)
    page.get_by_role("link", name="Similar comments, to settle together").click()
    assert violations(page) == []
    group = page.locator("form").filter(has=page.locator("#similar-1"))
    expect(page.locator("#similar-1")).to_contain_text("100 similar comments")
    group.get_by_label("partly accepted", exact=True).check()
    group.get_by_label("Justification").fill("Zwiększymy wkład własny w miarę możliwości budżetu.")
    group.get_by_role("button", name="Settle the chosen comments").click()
    expect(page.get_by_text("100 comment(s) settled.")).to_be_visible()

    # ...and assigns three comments to a city official.
    page.goto(settle + "?state=open&order=sent")
    assigned = []
    for i in range(3):
        box = page.locator("input[name=comments]").nth(i)
        assigned.append(int(box.get_attribute("value") or 0))
        box.check()
    page.get_by_label("Who drafts the answer").select_option(value=str(official.pk))
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_text("3 comment(s) assigned to")).to_be_visible()

    # The official drafts the answers from their queue.
    _login(context, base, official)
    page.goto(base + "/consultations/my-answers/")
    assert violations(page) == []
    for pk in assigned:
        page.goto(base + "/consultations/my-answers/")
        page.get_by_role("link", name=f"Draft the answer #{pk}").click()
        page.get_by_label("not accepted", exact=True).check()
        page.get_by_label("Justification").fill(f"Projekt urzędu do uwagi {pk}.")
        page.get_by_role("button", name="Save the draft").click()
        expect(page.get_by_text("Your draft answer has been saved.")).to_be_visible()
    assert AnswerDraft.objects.filter(justification__startswith="Projekt urzędu").count() == 3

    # The third coordinator sees the progress, approves the drafts and settles the rest.
    _login(context, base, third)
    page.goto(settle)
    expect(page.locator("#progress")).to_contain_text("Urszula Urzędnicza")
    for pk in assigned:
        page.goto(f"{base}/consultations/comments/{pk}/answer/")
        assert violations(page) == []
        page.get_by_role("button", name="Approve the draft as the disposition").click()
        expect(page.get_by_text("The draft was approved as the disposition.")).to_be_visible()
    while round_.comments.counted().filter(disposition="").exists():
        page.goto(settle + "?state=open")
        boxes = page.locator("input[name=comments]")
        for i in range(boxes.count()):
            boxes.nth(i).check()
        page.get_by_label("accepted", exact=True).check()
        page.get_by_label("Justification").fill("Uwzględniono w projekcie programu.")
        page.get_by_role("button", name="Settle the chosen comments").click()
        expect(page.get_by_text("comment(s) settled.")).to_be_visible()
    page.goto(settle)
    expect(page.get_by_text("0 of 300 comments still have no disposition.")).to_be_visible()
    page.get_by_role("link", name="Mark the round as settled").click()
    page.get_by_role("button", name="Yes, mark the round as settled").click()
    page.get_by_role("link", name="Publish the report").click()
    # Publishing freezes the report of 300 comments: slow on a busy machine.
    page.get_by_role("button", name="Yes, publish the report").click(timeout=120_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultation report")

    # Each letter is settled under its own submitter (the report lists them one by one,
    # tests/consultations/test_similar_comments.py); nobody sees a template was used.
    round_.refresh_from_db()
    assert round_.phase == Phase.REPORT_PUBLISHED
    settled = Comment.objects.filter(pk__in=[c.pk for c in letters])
    assert {c.organisation_id for c in settled} == {c.organisation_id for c in letters}
    assert {c.justification for c in settled} == {
        "Zwiększymy wkład własny w miarę możliwości budżetu."
    }
    assert not round_.comments.counted().filter(disposition="").exists()
    assert violations(page) == []
    assert "Poza zakresem" not in page.content()
