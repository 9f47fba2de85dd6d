"""Every public page, in Chromium: no axe-core violations, readable on a phone, both languages."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from teams.models import Meeting

from ..pages import crawl
from .axe import violations

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def public_urls(seeded: Meeting, client: Client) -> list[str]:
    urls = sorted(crawl(client))
    assert len(urls) >= 15  # home, 7 teams, meeting, annex, lists, footer pages, login
    return urls


def test_every_public_page_has_no_axe_violations(
    live_server, page: Page, public_urls: list[str]
) -> None:
    found = {}
    for url in public_urls:
        response = page.goto(live_server.url + url)
        assert response is not None and response.ok, url
        problems = violations(page)
        if problems:
            found[url] = problems
    assert not found, "\n".join(f"{url}: {p}" for url, ps in found.items() for p in ps)


def test_every_public_page_fits_a_phone_screen(
    live_server, page: Page, public_urls: list[str]
) -> None:
    page.set_viewport_size(PHONE)
    too_wide = []
    for url in public_urls:
        page.goto(live_server.url + url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            too_wide.append((url, overflow))
    assert not too_wide


def test_english_pages_have_no_axe_violations(live_server, page: Page, seeded: Meeting) -> None:
    page.goto(live_server.url + seeded.get_absolute_url())
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Plan of the meeting")).to_be_visible()
    assert violations(page) == []


def test_a_visitor_switches_the_language_and_back(live_server, page: Page, seeded: Meeting) -> None:
    page.goto(live_server.url + "/teams/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zespoły branżowe")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(live_server.url + "/teams/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Branch teams")
    page.get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", name="Steps of the process")).to_be_visible()
    page.get_by_role("button", name="Polski").click()
    expect(page.get_by_role("heading", name="Etapy prac")).to_be_visible()


def test_keyboard_users_can_skip_to_the_content(live_server, page: Page, seeded: Meeting) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Przejdź do treści głównej")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/#main")


def test_the_focus_ring_is_the_portals_on_menu_links_buttons_and_fields(
    live_server, page: Page, seeded: Meeting
) -> None:
    """Bootstrap's pale blue shadow on .nav-link, .btn and .form-control does not replace the
    portal's gold ring: on the dark menu it could not be seen. Reached with Tab, as a keyboard
    user reaches them."""
    page.goto(live_server.url + "/")
    rings = {}
    for _ in range(80):
        page.keyboard.press("Tab")
        kind, ring = page.evaluate(
            "() => { const el = document.activeElement; const s = getComputedStyle(el);"
            " const kind = el.matches('.site-nav .nav-link') ? 'menu link'"
            " : el.matches('.btn') ? 'button' : el.matches('.form-control') ? 'field' : '';"
            " return [kind, [s.outlineStyle, s.outlineColor, s.outlineWidth]]; }"
        )
        if kind:
            rings.setdefault(kind, ring)
    assert set(rings) == {"menu link", "button", "field"}, rings
    for kind, ring in rings.items():
        assert ring == ["solid", "rgb(242, 201, 76)", "3px"], (kind, ring)
