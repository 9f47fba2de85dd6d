"""Issue 15, done when: a member proposes a wording; a coordinator applies it after another
coordinator changed the same paragraph, resolves the conflict and publishes the next version;
the member's "My comments" and e-mail link to the change; the comparison shows only the changed
paragraphs. axe on every page on the way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from consultations import services
from consultations.models import AuthorRole, Comment, Disposition, Round
from consultations.phases import Phase
from drafts import services as draft_services
from drafts.models import DraftElement, DraftParagraph, DraftVersion
from teams.models import Meeting, User
from tests.browser.axe import violations
from tests.browser.conftest import (  # noqa: F401 - fixtures for Debian's Chromium
    _browser_tests_are_marked,
    browser_type_launch_args,
)
from tests.consultations.conftest import make_round  # noqa: F401 - the rounds' fixture

PROPOSAL = "Współpraca opiera się na zasadach jawności, partnerstwa i zaufania."
OTHER_CHANGE = " Zasady stosuje się także do współpracy pozafinansowej."


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


def test_a_proposed_wording_travels_from_the_comment_to_the_next_version_and_back(
    live_server,
    page: Page,
    seeded: Meeting,
    member: User,
    coordinator: User,
    make_round: Callable[..., Round],  # noqa: F811 - the fixture imported above
) -> None:
    base = live_server.url
    v1 = DraftVersion.objects.get(draft__programme=seeded.team.programme, number=1)
    draft = v1.draft
    paragraph = DraftParagraph.objects.get(
        section__draft=draft, section__element=DraftElement.PRINCIPLES
    )
    unchanged, third = DraftParagraph.objects.filter(section__draft=draft).exclude(pk=paragraph.pk)[
        :2
    ]
    label = "§ {}".format(
        next(
            p["number"]
            for s in v1.snapshot["sections"]
            for p in s["paragraphs"]
            if p["uid"] == str(paragraph.uid)
        )
    )
    round_ = make_round(Phase.OPEN, draft_version=v1, title="Konsultacje projektu")
    member.language = "en"
    member.save()

    # 1. The member proposes a wording for the paragraph.
    _login(page.context, base, member)
    page.goto(base + round_.get_absolute_url())
    page.get_by_text(f"Comment on {label}", exact=True).click()
    form = page.locator("details[open] form")
    form.get_by_label("Your comment").fill("Dodajmy zasadę zaufania.")
    form.get_by_label("Proposed wording (optional)").fill(PROPOSAL)
    form.get_by_role("button", name="Send the comment").click()
    expect(page.get_by_text("Your comment has been added.")).to_be_visible()
    comment = Comment.objects.get(round=round_, author=member)
    assert comment.proposed_wording == PROPOSAL

    # An expert proposes a wording for another paragraph, which nobody changes.
    expert = User.objects.get(email="ekspert@example.org")
    second = Comment(
        round=round_,
        author=expert,
        author_role=AuthorRole.EXPERT,
        text="Krócej.",
        proposed_wording="Krótsze brzmienie.",
    )
    services.comment_paragraph(second, third.uid)
    second.save()

    # The round closes; another coordinator changes the same paragraph meanwhile.
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    other = User.objects.create_user(
        email="koordynator2@example.org", password="x", is_coordinator=True
    )
    draft_services.paragraph_edit(
        actor=other,
        paragraph=paragraph,
        text=paragraph.text + OTHER_CHANGE,
        version=paragraph.version,
    )

    # 2. The coordinator applies the proposal: the paragraph changed, so they resolve.
    _login(page.context, base, coordinator)
    page.goto(base + reverse("consultations:round-settle", args=[round_.pk]))
    expect(page.get_by_text("The paragraph changed since the consulted version.")).to_be_visible()
    assert violations(page) == []
    page.get_by_role("link", name="Compare the texts and apply the wording").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply the proposed wording")
    expect(page.get_by_role("heading", name="Consulted wording (version 1)")).to_be_visible()
    expect(page.locator("#text-current ~ p ins")).to_contain_text("pozafinansowej")
    assert violations(page) == []
    merged = PROPOSAL + OTHER_CHANGE
    page.get_by_role("textbox", name="Wording to apply").fill(merged)
    page.get_by_label("accepted", exact=True).check()
    page.get_by_role("button", name="Apply to the working copy").click()
    # Without the confirmation nothing is saved and the texts are shown again.
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_text("Compare the texts and confirm the wording to apply.")).to_be_visible()
    paragraph.refresh_from_db()
    assert paragraph.text.endswith(OTHER_CHANGE) and PROPOSAL not in paragraph.text
    page.get_by_label("I compared the consulted, the current and the proposed text").check()
    page.get_by_role("button", name="Apply to the working copy").click()
    expect(page.get_by_text("The wording was applied to the working copy")).to_be_visible()
    expect(page.get_by_text("The proposed wording is applied to the working copy.")).to_be_visible()
    paragraph.refresh_from_db()
    comment.refresh_from_db()
    assert paragraph.text == merged
    assert comment.disposition == Disposition.ACCEPTED
    # The expert's wording, on an unchanged paragraph, goes in one step from the settling page.
    row = page.locator(f"#settle-{second.pk}")
    row.get_by_text("Apply the proposed wording").click()
    row.get_by_label("partly accepted").check()
    row.get_by_role("button", name="Apply in one step").click()
    expect(page.get_by_text(f"comment #{second.pk} settled")).to_be_visible()
    third.refresh_from_db()
    second.refresh_from_db()
    assert third.text == "Krótsze brzmienie."
    assert second.disposition == Disposition.PARTLY_ACCEPTED

    # 3. The coordinator publishes the next version.
    page.goto(base + reverse("drafts:draft-edit", args=[draft.pk]))
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_role("button", name="Yes, publish version 2").click()
    expect(page.get_by_text("Version 2 is published.")).to_be_visible()

    # 4. The member's "My comments" links to the change; the comparison shows only changes.
    _login(page.context, base, member)
    Round.objects.filter(pk=round_.pk).update(status=Phase.SETTLED)
    page.goto(base + reverse("consultations:my-comments"))
    expect(page.get_by_text(f"Version 2 changed {label} because of this comment.")).to_be_visible()
    assert violations(page) == []
    page.get_by_role("link", name="See the change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare versions")
    expect(page.get_by_text("Only the changed paragraphs are shown")).to_be_visible()
    expect(page.locator(f"[id='p-{paragraph.uid}']")).to_contain_text("zaufania")
    expect(page.get_by_text(unchanged.text[:40])).to_have_count(0)
    assert violations(page) == []

    # 5. The e-mail sent when the comment was settled links to the same change.
    (message,) = [m for m in mail.outbox if m.to == [member.email] and "settled" in m.subject]
    link = settings.SITE_URL.rstrip("/") + reverse(
        "consultations:comment-change", args=[comment.pk]
    )
    assert f"{label} of the programme draft's working copy was changed" in message.body
    assert link in message.body
    page.goto(base + reverse("consultations:comment-change", args=[comment.pk]))
    expect(page.locator(f"[id='p-{paragraph.uid}']")).to_contain_text("zaufania")
