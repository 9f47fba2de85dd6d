"""Live mode in Chromium: a step's answer is not undone by a poll that was on its way.

The board polls every 5 s and a step (add a name, start or end a turn) answers with the whole
board and its message. A poll asked before the step and answered after the step was done
carries the new board without the message; arriving first, it replaced the board the step's
answer was aimed at, and the message (and the focus on it) was lost. A step now cancels the
poll on its way (``hx-sync`` on the board's forms)."""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import Browser, Error, Route, expect

from teams.models import Meeting

from ..swot.helpers import make_meeting
from .test_meeting_workspace import logged_in_page


@pytest.fixture
def open_meeting(seeded: Meeting) -> Meeting:
    return make_meeting(seeded.team, status=Meeting.Status.OPEN, title="Spotkanie na żywo")


def test_a_poll_on_its_way_does_not_undo_a_steps_answer(
    live_server, browser: Browser, open_meeting: Meeting
) -> None:
    live = f"/meetings/{open_meeting.pk}/live/"
    page = logged_in_page(browser, live_server.url, "moderator@example.org", live)
    polls: list[Route] = []
    steps: list[Route] = []
    page.route(re.compile(r"/live/\?state="), lambda route: polls.append(route))  # held
    page.route(re.compile(r"/speakers/$"), lambda route: steps.append(route))

    page.wait_for_timeout(100)
    for _ in range(80):  # the board polls every 5 s
        if polls:
            break
        page.wait_for_timeout(100)
    assert polls, "the board did not poll"

    page.get_by_label("Name").fill("Jan Testowy")
    page.get_by_role("button", name="Add to the list").click()
    for _ in range(50):
        if steps:
            break
        page.wait_for_timeout(100)
    assert steps, "the step was not sent"
    answer = steps[0].fetch()  # the step is done on the server; its answer is held
    # The poll reaches the server after the step: the board has changed, so it answers with
    # the whole board, without the step's message, before the step's answer. (Error: the
    # page cancelled that poll, and there is nothing left to release.)
    with contextlib.suppress(Error):
        polls[0].continue_()
    page.wait_for_timeout(1000)
    steps[0].fulfill(response=answer)

    message = page.locator("#live-message")
    expect(message).to_have_text("The speaker has been added to the list.")
    expect(message).to_be_focused()
    expect(page.locator("#live-board")).to_contain_text("Jan Testowy")
