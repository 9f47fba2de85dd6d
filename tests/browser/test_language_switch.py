"""The header's language switch in Chromium: a reader deep in a page (a comment's anchor)
stays there in the other language (static/js/language-switch.js)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from consultations.models import Comment
from teams.models import Meeting


def test_switching_the_language_keeps_the_fragment_of_the_url(
    live_server, page: Page, seeded: Meeting
) -> None:
    comment = Comment.objects.shown().filter(round__meeting=seeded).latest("pk")
    url = f"{live_server.url}{comment.round.get_absolute_url()}#comment-{comment.pk}"
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.locator(f"#comment-{comment.pk}")).to_be_visible()

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    # The browser scrolls (smoothly: Bootstrap's scroll-behavior) to the comment.
    expect(page.locator(f"#comment-{comment.pk}")).to_be_in_viewport()
