"""A consultation round in Chromium, from a member's comment to the published report."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from consultations import services
from consultations.models import AuthorRole, Comment, Round
from consultations.phases import Phase
from teams.models import Meeting, Organisation, User

from .axe import violations


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


def test_a_round_from_comment_to_published_report(live_server, page: Page, seeded: Meeting) -> None:
    base = live_server.url
    coordinator = User.objects.get(email="koordynator@example.org")
    moderator = User.objects.get(email="moderator@example.org")
    member = User.objects.get(email="ngo@example.org")
    other_rep = User.objects.get(email="fundacja@example.org")
    now = timezone.now()
    round_ = services.round_create(
        actor=coordinator,
        title="Runda testowa w przeglądarce",
        meeting=seeded,
        goal="Cel",
        subject="Wyniki spotkania",
        responsible_office="MOWIS",
        contact="mowis@example.org",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
    )
    services.round_announce(actor=coordinator, round_=round_, override_reason="Test.")
    Comment.objects.create(
        round=round_,
        author=other_rep,
        author_role=AuthorRole.ORGANISATION,
        organisation=Organisation.objects.get(representations__user=other_rep),
        text="Obraźliwy wpis do ukrycia",
    )
    context = page.context

    # A member comments (htmx puts the comment in the list without a page load).
    _login(context, base, member)
    page.goto(base + round_.get_absolute_url())
    page.get_by_label("Your comment").fill("Proszę dopisać termin realizacji.")
    page.get_by_label("Proposed wording (optional)").fill("do końca 2012 r.")
    page.get_by_role("button", name="Send the comment").click()
    added = page.get_by_role("status").filter(has_text="Your comment has been added.")
    expect(added).to_be_visible()
    expect(added).to_be_focused()  # not lost to the top of the page
    page.get_by_role("button", name="Send the comment").click()  # the fresh form, empty
    problem = page.get_by_role("alert").filter(has_text="The comment was not sent")
    expect(problem).to_be_focused()
    expect(page.locator("#comment-list")).to_contain_text("Proszę dopisać termin realizacji.")
    assert violations(page) == []

    # The team's moderator hides the other comment, with a reason.
    _login(context, base, moderator)
    page.goto(base + round_.get_absolute_url())
    hidden = round_.comments.get(text="Obraźliwy wpis do ukrycia")
    card = page.locator(f"#comment-{hidden.pk}")
    card.get_by_text("Hide", exact=True).click()
    card.get_by_label("Reason", exact=True).fill("Język obraźliwy")
    card.get_by_role("button", name="Hide the comment").click()
    expect(page.locator(f"#comment-{hidden.pk}")).to_contain_text("Hidden by the moderators")

    # The coordinating team closes the round, settles every comment, publishes the report.
    _login(context, base, coordinator)
    page.goto(base + round_.get_absolute_url())
    page.get_by_role("link", name="Close the round now").click()
    # Before its deadline: the confirmation page asks why (it goes into the report).
    page.get_by_label("Why the round closes before its announced deadline").fill(
        "Sesja Rady Miasta przyspieszona."
    )
    page.get_by_role("button", name="Yes, close the round now").click()
    expect(page.get_by_role("status").filter(has_text="The round is closed.")).to_be_visible()
    page.get_by_role("link", name="Settle the comments").click()
    assert violations(page) == []
    mine = round_.comments.get(author=member)
    page.get_by_label(f"Choose comment #{mine.pk}").check()
    page.get_by_label("partly accepted").check()
    page.get_by_label("Justification").fill("Termin dopisano, ale inny.")
    page.get_by_role("button", name="Settle the chosen comments").click()
    expect(page.get_by_text("1 comment(s) settled.")).to_be_visible()
    page.get_by_label(f"Choose comment #{hidden.pk}").check()
    page.get_by_label("not considered").check()
    page.get_by_label("Justification").fill("Wpis naruszał regulamin.")
    page.get_by_role("button", name="Settle the chosen comments").click()
    expect(page.get_by_text("0 of 2 comments still have no disposition.")).to_be_visible()
    page.get_by_role("link", name="Mark the round as settled").click()
    page.get_by_role("button", name="Yes, mark the round as settled").click()
    expect(page.get_by_text("Every comment is settled.")).to_be_visible()
    page.get_by_role("link", name="Publish the report").click()
    page.get_by_role("button", name="Yes, publish the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultation report")

    # Anyone reads the report with each disposition.
    context.clear_cookies()
    context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.goto(base + f"/consultations/{round_.pk}/report/")
    row = page.locator(f"#report-{mine.pk}")
    expect(row).to_contain_text("partly accepted")
    expect(row).to_contain_text("Termin dopisano, ale inny.")
    expect(page.locator(f"#report-{hidden.pk}")).to_contain_text("not considered")
    expect(page.locator(f"#report-{hidden.pk}")).not_to_contain_text("Obraźliwy wpis")
    assert violations(page) == []
    round_.refresh_from_db()
    assert round_.phase == Phase.REPORT_PUBLISHED
    assert Round.objects.filter(pk=round_.pk, status=Phase.REPORT_PUBLISHED).exists()


def test_replying_and_supporting_update_the_comment_in_place(
    live_server, page: Page, seeded: Meeting
) -> None:
    base = live_server.url
    member = User.objects.get(email="ngo@example.org")
    round_ = Round.objects.get(status=Phase.ANNOUNCED)  # the demo's open round
    comment = round_.comments.filter(parent=None).first()
    assert comment is not None and comment.author != member
    _login(page.context, base, member)
    page.goto(base + round_.get_absolute_url())
    page.evaluate("window.notReloaded = true")
    card = page.locator(f"#comment-{comment.pk}")
    card.get_by_role("button", name="Support on behalf of").click()
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Supported by")
    card = page.locator(f"#comment-{comment.pk}")
    card.get_by_text("Reply", exact=True).click()
    card.get_by_label("Your reply").fill("Odpowiedź bez przeładowania strony")
    card.get_by_role("button", name="Send the reply").click()
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text(
        "Odpowiedź bez przeładowania strony"
    )
    assert page.evaluate("window.notReloaded") is True
    assert violations(page) == []
