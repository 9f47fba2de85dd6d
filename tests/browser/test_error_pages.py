"""The error pages in Chromium, in production mode: no axe-core violations, in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from .axe import violations


@pytest.mark.parametrize(
    ("language", "path", "status", "heading"),
    [
        ("pl", "/no-such-page/", 404, "Nie znaleziono strony"),
        ("en", "/no-such-page/", 404, "Page not found"),
        ("pl", "/search/?q=a%00b", 400, "Nieprawidłowe żądanie"),
        ("en", "/test-errors/fail/", 500, "Server error"),
        ("pl", "/test-errors/refuse/", 403, "Brak dostępu"),
    ],
)
def test_an_error_page_is_accessible_and_leads_home(
    live_server, page: Page, settings: Settings, language: str, path: str, status: int, heading: str
) -> None:
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.error_urls"
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == status
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert violations(page) == []
    page.locator("main a").click()
    expect(page).to_have_url(live_server.url + "/")
