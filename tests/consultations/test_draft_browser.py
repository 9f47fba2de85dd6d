"""The programme draft's pages in Chromium: editing, a version, the comparison; axe on each."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from drafts.models import ProgrammeDraft
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


def test_coordinator_edits_publishes_and_compares_versions(
    live_server, page: Page, seeded: Meeting
) -> None:
    base = live_server.url
    coordinator = User.objects.get(email="koordynator@example.org")
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    _login(page.context, base, coordinator)

    page.goto(base + reverse("drafts:draft-edit", args=[draft.pk]))
    assert violations(page) == []
    chapter = page.locator("section", has=page.locator("#chapter-8"))
    chapter.get_by_text("Add a paragraph").click()
    chapter.get_by_label("Paragraph text").fill("Na realizację programu przeznacza się 1 mln zł.")
    chapter.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Paragraph added.")).to_be_visible()

    page.get_by_label("What changed in this version").fill("Środki")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish version 2?")
    assert violations(page) == []
    page.get_by_role("button", name="Yes, publish version 2").click()
    expect(page.get_by_text("Version 2 is published.")).to_be_visible()
    expect(page.get_by_text("Na realizację programu przeznacza się 1 mln zł.")).to_be_visible()
    assert violations(page) == []

    page.goto(base + reverse("drafts:version-compare", args=[draft.pk]))
    expect(page.get_by_role("status")).to_contain_text("1 change.")
    assert violations(page) == []
    page.get_by_label("Layout").select_option("inline")
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.locator("ins").first).to_contain_text("1 mln")
    assert violations(page) == []

    page.goto(base + reverse("drafts:draft-list"))
    expect(page.get_by_role("heading", name="Consultation reports")).to_be_visible()
    assert violations(page) == []
