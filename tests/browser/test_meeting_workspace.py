"""The meeting workspace in Chromium: the moderator opens the workspace, a member adds two SWOT
entries, the moderator merges them, looks at live mode, publishes the results and the minutes.
Every page on the way has no axe-core violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from teams.models import Meeting

from ..conftest import DEMO_PASSWORD
from ..swot.helpers import make_meeting
from .axe import violations

FIRST = "Dobra współpraca z MOWIS"
SECOND = "Dobra współpraca z MOWiS-em"


def logged_in_page(browser: Browser, base_url: str, email: str, next_url: str) -> Page:
    """A fresh browser session, switched to English, logged in through /accounts/login/."""
    page = browser.new_context().new_page()
    page.goto(f"{base_url}/accounts/login/?next={next_url}")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))
    return page


@pytest.fixture
def planned_meeting(seeded: Meeting) -> Meeting:
    return make_meeting(seeded.team, status=Meeting.Status.PLANNED, title="Spotkanie wrześniowe")


def test_member_adds_entries_moderator_merges_and_publishes(
    live_server, browser: Browser, planned_meeting: Meeting
) -> None:
    base = live_server.url
    meeting_url = planned_meeting.get_absolute_url()
    workspace = f"/meetings/{planned_meeting.pk}/workspace/"

    # The moderator opens the workspace.
    moderator = logged_in_page(browser, base, "moderator@example.org", meeting_url)
    moderator.get_by_role("link", name="Plan of the meeting").click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text("Plan of the meeting")
    assert violations(moderator) == []
    moderator.get_by_role("link", name="Go to the workspace").click()
    expect(moderator).to_have_url(base + workspace)
    moderator.get_by_role("link", name="Open the workspace").click()
    moderator.get_by_role("button", name="Yes, open the workspace").click()
    expect(moderator.get_by_text("Phase: workspace open")).to_be_visible()
    assert violations(moderator) == []

    # The member registers and adds two SWOT entries.
    member = logged_in_page(browser, base, "ngo@example.org", workspace)
    member.get_by_role("button", name="Register my attendance").click()
    expect(member.get_by_text("You are registered.")).to_be_visible()
    for text in [FIRST, SECOND]:
        member.get_by_label("Quadrant").select_option("S")
        member.get_by_role("textbox", name=re.compile("Entry")).fill(text)
        member.get_by_role("button", name="Add the entry").click()
        expect(member.get_by_role("status").first).to_contain_text("Your entry has been added.")
        expect(member.locator(".swot-S").get_by_text(text, exact=False).first).to_be_visible()
    assert violations(member) == []

    # Live mode shows the entries to the moderator; the member joins the speakers list.
    member.goto(f"{base}/meetings/{planned_meeting.pk}/live/")
    member.get_by_role("button", name="Add me to the speakers list").click()
    moderator.goto(f"{base}/meetings/{planned_meeting.pk}/live/")
    expect(moderator.locator("#live-board")).to_contain_text(SECOND)
    moderator.get_by_role("button", name=re.compile(r"^Start\s*:\s*Natalia")).click()
    timer = moderator.locator("#speaker-timer")
    expect(timer).to_have_text(re.compile(r"^[0-3]:\d\d$"))
    shown = timer.inner_text()
    expect(timer).not_to_have_text(shown, timeout=5000)  # live.js counts down between polls
    assert violations(moderator) == []

    # The moderator merges the duplicate (the merge form opens in place of the entry).
    moderator.goto(base + workspace)
    moderator.get_by_role("link", name=re.compile(rf"^Merge\s*:\s*{SECOND}")).click()
    expect(moderator.get_by_role("heading", name="Merge a duplicate SWOT entry")).to_be_visible()
    assert violations(moderator) == []
    moderator.get_by_label("Merge into").select_option(label=f"Strengths: {FIRST}")
    moderator.get_by_role("button", name="Merge").click()
    expect(moderator.get_by_role("status").first).to_contain_text("The entries have been merged.")
    merged = moderator.get_by_text("1 entry merged into another")
    expect(merged).to_be_visible()
    assert violations(moderator) == []

    # The member's live board shows the merge without a reload (htmx polling every 5 s).
    expect(member.locator("#live-board")).to_contain_text(
        "1 entry merged into another", timeout=12000
    )

    # Close and publish: the results are frozen and dated.
    moderator.get_by_role("link", name="Close the workspace").click()
    moderator.get_by_role("button", name="Yes, close the workspace").click()
    moderator.get_by_role("link", name="Record who attended").click()
    assert violations(moderator) == []
    moderator.get_by_label(re.compile("Natalia Organizacyjna")).check()
    moderator.get_by_role("button", name="Save the attendance").click()
    expect(moderator.get_by_role("status").first).to_contain_text("Attendance has been recorded.")
    moderator.get_by_role("link", name="Publish the results").click()
    moderator.get_by_role("button", name="Yes, publish the results").click()
    expect(moderator.locator("#frozen-note")).to_be_visible()
    expect(moderator.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)

    # The published page shows the merged entry and the record of the merge.
    moderator.goto(base + meeting_url)
    expect(moderator.locator(".swot-S")).to_contain_text(FIRST)
    moderator.get_by_text("1 entry merged into another").click()
    record = moderator.locator("details li", has_text=SECOND)
    expect(record).to_be_visible()
    expect(record).to_contain_text(f"merged into {FIRST}")
    assert violations(moderator) == []

    # The minutes.
    moderator.goto(f"{base}/meetings/{planned_meeting.pk}/minutes/edit/")
    assert violations(moderator) == []
    moderator.get_by_label("Minutes").fill("Spotkanie otworzył moderator. Przyjęto analizę SWOT.")
    moderator.get_by_role("button", name="Save and publish the minutes").click()
    # The text is saved as a draft; publishing asks first, saying who will be e-mailed.
    expect(moderator.get_by_role("heading", level=1)).to_have_text("Publish the minutes?")
    expect(moderator.locator("#audience")).to_contain_text("E-mails will be sent to")
    assert violations(moderator) == []
    moderator.get_by_role("button", name="Yes, publish the minutes").click()
    expect(moderator.get_by_role("heading", level=1)).to_contain_text("Minutes of the meeting")
    expect(moderator.locator("main")).to_contain_text("Przyjęto analizę SWOT.")
    expect(moderator.locator("#attendance-list")).to_have_text(
        "Stowarzyszenie Demonstracyjne „Razem w Krakowie”"
    )
    assert violations(moderator) == []
