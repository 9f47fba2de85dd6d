"""The search box in the header leads to an accessible results page, JavaScript or not."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.axe import violations

from ..conftest import World


def test_search_from_the_header_shows_results_without_axe_violations(
    live_server, page: Page, world: World
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Search actions, goals, SWOT entries, comments and the programme draft").fill(
        "źródła"
    )
    page.get_by_label(
        "Search actions, goals, SWOT entries, comments and the programme draft"
    ).press("Enter")
    expect(page.locator("#search-summary")).to_contain_text("results for")
    expect(page.get_by_role("link", name="Public comment about źródła")).to_be_visible()
    assert violations(page) == []
    page.get_by_label("Search for").fill("x")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(page.locator("#search-error")).to_have_text("Type at least 2 characters.")
    assert violations(page) == []


def test_open_data_page_has_no_axe_violations_on_a_phone(
    live_server, page: Page, world: World
) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/api/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert violations(page) == []
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
