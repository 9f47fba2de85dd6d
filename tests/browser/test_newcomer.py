"""Issue 16 in Chromium, as a newcomer meets it: the header on a phone (390×844) stays small
and its menu opens with a button (mouse or keyboard), with no axe violations; the landing page
of a moderator says what they can do."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from teams.models import Meeting

from ..conftest import DEMO_PASSWORD
from .axe import violations

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def header_height(page: Page) -> float:
    box = page.locator("header.site-header").bounding_box()
    assert box is not None
    return box["height"]


def test_on_a_phone_the_header_is_small_and_its_menu_opens_with_a_button(
    live_server, page: Page, seeded: Meeting
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    assert header_height(page) <= 120
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    menu_link = page.get_by_role("link", name="Zespoły branżowe").first
    expect(menu_link).to_be_hidden()
    assert violations(page) == []

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu_link).to_be_visible()
    expect(page.get_by_role("searchbox")).to_be_visible()
    # Bootstrap ignores a toggle while the menu is still unfolding (.collapsing).
    expect(page.locator(".collapsing")).to_have_count(0)
    assert violations(page) == []

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu_link).to_be_hidden()

    # The keyboard alone: the toggle is reached with Tab and opened with Enter.
    page.goto(live_server.url + "/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-controls')"):
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "Menu"
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Zespoły branżowe").first).to_be_visible()


def test_on_a_desktop_the_menu_is_always_shown_without_the_button(
    live_server, page: Page, seeded: Meeting
) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Zespoły branżowe").first).to_be_visible()
    expect(page.get_by_role("searchbox")).to_be_visible()


@pytest.mark.parametrize("javascript", [False])
def test_without_javascript_the_menu_is_shown_on_a_phone(
    live_server, browser, seeded: Meeting, javascript: bool
) -> None:
    context = browser.new_context(java_script_enabled=javascript, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Zespoły branżowe").first).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    context.close()


def test_a_moderator_lands_on_what_they_can_do(live_server, page: Page, seeded: Meeting) -> None:
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login").fill("moderator@example.org")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#contribution-status")).to_contain_text("Tak.")
    heading = f"Moderator zespołu branżowego {seeded.team.name}"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("link", name="Zaplanuj spotkanie")).to_be_visible()
    assert header_height(page) <= 120
    assert violations(page) == []
