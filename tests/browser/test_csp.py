"""The Content-Security-Policy in Chromium (issue 12, item 4): htmx in the meeting workspace,
live mode's countdown and polling, Swagger UI and ReDoc all work, and Chromium reports no
violation of the policy on the way ("Refused to …" on the console). axe-core still runs."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from teams.models import Meeting

from ..pages import crawl
from ..swot.helpers import make_meeting
from .axe import violations
from .test_meeting_workspace import logged_in_page

REFUSED = re.compile(r"Refused to|Content Security Policy", re.IGNORECASE)


def watch(page: Page) -> list[str]:
    """The policy violations Chromium logs on this page from now on."""
    refused: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if REFUSED.search(message.text):
            refused.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return refused


def test_the_watch_sees_a_violation(live_server, page: Page) -> None:
    """The control: an injected inline script is refused, and the watch sees it."""
    refused = watch(page)
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__injected = true";
            document.body.append(script);
        }"""
    )
    expect(page.locator("body")).to_be_visible()
    assert page.evaluate("window.__injected") is None
    assert any("inline script" in line for line in refused), refused


def test_every_public_page_loads_with_no_violation(
    live_server, page: Page, seeded: Meeting, client: Client
) -> None:
    refused = watch(page)
    urls = sorted(crawl(client))
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response is not None and response.ok, url
        assert "'nonce-" in (response.headers.get("content-security-policy") or ""), url
    assert refused == []


@pytest.fixture
def open_meeting(seeded: Meeting) -> Meeting:
    return make_meeting(seeded.team, title="Spotkanie grudniowe")


def test_htmx_and_live_mode_work_under_the_policy(
    live_server, browser: Browser, open_meeting: Meeting
) -> None:
    base = live_server.url
    workspace = f"/meetings/{open_meeting.pk}/workspace/"
    live = f"/meetings/{open_meeting.pk}/live/"
    member = logged_in_page(browser, base, "ngo@example.org", workspace)
    refused = watch(member)
    member.reload()
    member.get_by_role("button", name="Register my attendance").click()
    expect(member.get_by_text("You are registered.")).to_be_visible()
    member.evaluate("window.__notReloaded = 'still here'")

    # htmx swaps the SWOT board in place.
    member.get_by_label("Quadrant").select_option("O")
    member.get_by_role("textbox", name=re.compile("Entry")).fill("Nowe lokale w Nowej Hucie")
    member.get_by_role("button", name="Add the entry").click()
    expect(member.locator(".swot-O")).to_contain_text("Nowe lokale w Nowej Hucie")
    assert member.evaluate("window.__notReloaded") == "still here"
    assert violations(member) == []  # axe-core runs under the policy

    # static/js/workspace.js (the former inline script) tells of a refused step.
    Meeting.objects.filter(pk=open_meeting.pk).update(status=Meeting.Status.CLOSED)
    member.get_by_role("textbox", name=re.compile("Entry")).fill("Spóźniony wpis")
    member.get_by_role("button", name="Add the entry").click()
    expect(member.get_by_role("alert")).to_contain_text("Nothing was saved")
    Meeting.objects.filter(pk=open_meeting.pk).update(status=Meeting.Status.OPEN)

    # Live mode: the member joins the speakers list and the moderator starts the turn; the
    # member's board, polled by htmx, shows it without a reload, and live.js counts down.
    member.goto(base + live)
    member.get_by_role("button", name="Add me to the speakers list").click()
    expect(member.locator("#live-board")).to_contain_text("Natalia")
    member.evaluate("window.__notReloaded = 'still here'")
    moderator = logged_in_page(browser, base, "moderator@example.org", live)
    refused += watch(moderator)
    moderator.reload()
    moderator.get_by_role("button", name=re.compile(r"^Start\s*:\s*Natalia")).click()
    timer = member.locator("#speaker-timer")
    expect(timer).to_be_visible(timeout=12000)
    shown = timer.inner_text()
    expect(timer).not_to_have_text(shown, timeout=5000)
    assert member.evaluate("window.__notReloaded") == "still here"
    assert violations(moderator) == []

    assert refused == []


def test_swagger_ui_and_redoc_work_under_the_policy(
    live_server, page: Page, seeded: Meeting
) -> None:
    refused = watch(page)

    page.goto(live_server.url + "/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(
        "API otwartych danych Kraków NGO"
    )
    operation = page.locator(".opblock-summary", has_text="/api/v1/teams/").first
    operation.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status")).to_have_text("200")

    page.goto(live_server.url + "/api/redoc/")
    expect(
        page.get_by_role("heading", name=re.compile("API otwartych danych Kraków NGO"))
    ).to_be_visible()
    # ReDoc's own styles (made at run time, with the nonce) apply: its side menu is laid out.
    menu = page.locator(".menu-content")
    expect(menu).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.menu-content')).display") == (
        "flex"
    )
    # perfect-scrollbar's stylesheet, allowed by its hash, applies too.
    expect(page.locator(".ps").first).to_have_css("overflow", "hidden")
    # ReDoc's logo from a host of Redocly's is gone from the bundle (scripts/vendor_redoc.py).
    assert refused == []
