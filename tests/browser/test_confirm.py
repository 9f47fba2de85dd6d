"""The confirmation page of an irreversible step in Chromium: with JavaScript off, the moderator
follows "Publish the results" of a meeting without results, is asked for a reason, gives it and
publishes; with JavaScript on, axe-core finds no violations on the confirmation pages."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from teams.models import Meeting

from ..conftest import DEMO_PASSWORD
from ..swot.helpers import make_meeting
from .axe import violations

REASON = "Spotkanie odwołane z braku kworum."


def logged_in(browser: Browser, base_url: str, next_url: str, *, javascript: bool) -> Page:
    """A fresh session of the moderator, in English."""
    context = browser.new_context(java_script_enabled=javascript)
    context.add_cookies([{"name": "django_language", "value": "en", "url": base_url}])
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/?next={next_url}")
    page.locator("#id_login").fill("moderator@example.org")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))
    return page


def test_publishing_an_empty_meeting_asks_for_a_reason_without_javascript(
    live_server, browser: Browser, seeded: Meeting
) -> None:
    meeting = Meeting.objects.create(
        team=seeded.team, title="Puste spotkanie", date="2011-10-01", status=Meeting.Status.CLOSED
    )
    workspace = f"/meetings/{meeting.pk}/workspace/"
    page = logged_in(browser, live_server.url, workspace, javascript=False)

    page.get_by_role("link", name="Publish the results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish the results?")
    expect(page.get_by_text("Nobody will be e-mailed about this step.")).to_be_visible()
    expect(page.get_by_text("This meeting has no results")).to_be_visible()

    # Without a reason: refused, nothing published.
    page.get_by_role("button", name="Yes, publish the results").click()
    expect(page.get_by_text("give the reason for publishing it anyway")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED

    # Cancel goes back to the workspace, unchanged; with a reason it is published.
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_text("Phase: closed")).to_be_visible()
    page.get_by_role("link", name="Publish the results").click()
    page.get_by_label("Why publish this meeting without results?").fill(REASON)
    page.get_by_role("button", name="Yes, publish the results").click()
    expect(page.get_by_text("Phase: results published")).to_be_visible()
    expect(page.get_by_text(REASON)).to_be_visible()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.empty_results_reason) == (Meeting.Status.PUBLISHED, REASON)


def test_the_confirmation_pages_have_no_axe_violations(
    live_server, browser: Browser, seeded: Meeting
) -> None:
    draft = make_meeting(
        seeded.team,
        status=Meeting.Status.DRAFT,
        title="Spotkanie w planach",
        date=timezone.localdate() + dt.timedelta(days=7),  # one that can still be announced
    )
    empty = Meeting.objects.create(
        team=seeded.team, title="Puste spotkanie", date="2011-10-01", status=Meeting.Status.CLOSED
    )
    page = logged_in(browser, live_server.url, f"/meetings/{draft.pk}/plan/", javascript=True)
    page.get_by_role("link", name="Announce the meeting").click()
    expect(page.get_by_text(re.compile(r"E-mails will be sent to \d+ people"))).to_be_visible()
    assert violations(page) == []
    page.goto(f"{live_server.url}/meetings/{empty.pk}/phase/publish/confirm/")
    page.get_by_role("button", name="Yes, publish the results").click()
    expect(page.get_by_text("give the reason for publishing it anyway")).to_be_visible()
    assert violations(page) == []
