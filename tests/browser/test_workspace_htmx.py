"""The meeting workspace in Chromium with htmx: a member adds a SWOT entry, edits it in place,
adds a goal and an action under it, all without a page reload (a marker set on ``window``
survives), with the updates announced and the focus kept sensible; a step refused because the
moderator closed the workspace meanwhile says so. No axe-core violations on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from actions.models import Goal
from teams.models import Meeting

from ..swot.helpers import make_meeting, topic_of
from .axe import violations
from .test_meeting_workspace import logged_in_page


@pytest.fixture
def open_meeting(seeded: Meeting) -> Meeting:
    return make_meeting(seeded.team, title="Spotkanie listopadowe")


def _not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__notReloaded") == "still here"


def test_member_adds_an_entry_and_a_goal_in_place_without_a_reload(
    live_server, browser: Browser, open_meeting: Meeting
) -> None:
    workspace = f"/meetings/{open_meeting.pk}/workspace/"
    topic = topic_of(open_meeting)
    page = logged_in_page(browser, live_server.url, "ngo@example.org", workspace)
    page.evaluate("window.__notReloaded = 'still here'")

    # A SWOT entry: it appears in its quadrant, the topic's status says so, and the focus is
    # in the fresh form's text field, with the same quadrant chosen, for the next entry.
    page.get_by_label("Quadrant").select_option("W")
    page.get_by_role("textbox", name=re.compile("Entry")).fill("Mało lokali dla organizacji")
    page.get_by_role("button", name="Add the entry").click()
    status = page.locator(f"#swot-status-{topic.pk}")
    expect(status).to_have_text("Your entry has been added.")
    expect(page.get_by_role("status").first).to_contain_text("Your entry has been added.")
    expect(page.locator(".swot-W")).to_contain_text("Mało lokali dla organizacji")
    expect(page.locator(f"#id_topic-{topic.pk}-text")).to_be_focused()
    expect(page.locator(f"#id_topic-{topic.pk}-text")).to_have_value("")
    expect(page.get_by_label("Quadrant")).to_have_value("W")
    _not_reloaded(page)
    assert violations(page) == []

    # Edit it in place; Save brings the focus back to its Edit link.
    page.get_by_role("link", name=re.compile(r"^Edit\s*:\s*Mało lokali")).click()
    expect(page.get_by_role("heading", name="Edit a SWOT entry")).to_be_visible()
    inline_text = page.locator(".swot-board textarea")
    expect(inline_text).to_be_focused()
    assert violations(page) == []
    inline_text.fill("Mało lokali dla organizacji pozarządowych")
    page.get_by_role("button", name="Save").click()
    expect(status).to_have_text("The entry has been saved.")
    edit_link = page.get_by_role("link", name=re.compile(r"^Edit\s*:\s*Mało lokali"))
    expect(edit_link).to_be_focused()
    expect(page.locator(".swot-W")).to_contain_text("pozarządowych")
    # Cancel closes the form and, too, brings the focus back to the Edit link.
    edit_link.click()
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", name="Edit a SWOT entry")).to_have_count(0)
    expect(edit_link).to_be_focused()
    _not_reloaded(page)

    # A goal, then an action under it: the action form offers the new goal at once.
    page.locator("#id_goal-title").fill("Lokale dla organizacji")
    page.get_by_role("button", name="Add the goal").click()
    goals_status = page.locator("#goals-status")
    expect(goals_status).to_have_text("The goal has been added.")
    goal = page.locator("#goals-list section", has_text="Lokale dla organizacji")
    expect(goal).to_be_visible()
    expect(page.locator("#id_goal-title")).to_be_focused()
    added = Goal.objects.get(meeting=open_meeting)
    page.locator("#id_action-goal").select_option(label=str(added))
    page.locator("#id_action-text").fill("Przegląd lokali gminnych")
    page.get_by_role("button", name="Add the action").click()
    expect(goals_status).to_have_text(re.compile(r"Action no\. 1 has been added\."))
    expect(goal).to_contain_text("Przegląd lokali gminnych")
    _not_reloaded(page)
    assert violations(page) == []

    # The moderator closes the workspace meanwhile: the next step is refused, and says so.
    Meeting.objects.filter(pk=open_meeting.pk).update(status=Meeting.Status.CLOSED)
    page.get_by_role("textbox", name=re.compile("Entry")).fill("Spóźniony wpis")
    page.get_by_role("button", name="Add the entry").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    expect(page.locator(".swot-board")).not_to_contain_text("Spóźniony wpis")
    _not_reloaded(page)
    assert violations(page) == []
