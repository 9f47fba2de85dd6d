"""A member comments on a paragraph of the consulted draft version in Chromium; axe on the
round page and the report."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from consultations.models import Comment, Round
from consultations.phases import Phase
from drafts.models import DraftVersion
from teams.models import Meeting, User
from tests.browser.axe import violations
from tests.browser.conftest import (  # noqa: F401 - fixtures for Debian's Chromium
    _browser_tests_are_marked,
    browser_type_launch_args,
)


def _login(context: BrowserContext, base_url: str, user: User) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url},
            {"name": "django_language", "value": "en", "url": base_url},
        ]
    )


def test_a_member_comments_on_a_paragraph_of_the_draft_in_the_browser(
    live_server, page: Page, seeded: Meeting, member: User, make_round: Callable[..., Round]
) -> None:
    version = DraftVersion.objects.get(draft__programme=seeded.team.programme, number=1)
    round_ = make_round(Phase.OPEN, draft_version=version, title="Meeting and draft")
    _login(page.context, live_server.url, member)

    page.goto(live_server.url + round_.get_absolute_url())
    expect(page.get_by_role("heading", name="The programme draft, version 1")).to_be_visible()
    assert violations(page) == []
    page.get_by_text("Comment on § 2", exact=True).click()
    paragraph_form = page.locator("details[open] form")
    paragraph_form.get_by_label("Your comment").fill("Doprecyzować zakres.")
    paragraph_form.get_by_role("button", name="Send the comment").click()
    expect(page.get_by_text("Your comment has been added.")).to_be_visible()
    expect(page.get_by_text("Doprecyzować zakres.")).to_be_visible()
    comment = Comment.objects.get(round=round_)
    assert comment.item_label == "§ 2"
    assert violations(page) == []
