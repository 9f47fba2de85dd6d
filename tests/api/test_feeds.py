"""Calendars (ICS) and the Atom feed: public rows only, parseable, linked from their pages."""

from __future__ import annotations

import datetime as dt
import html
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

from django.test import Client
from django.utils.html import escape
from icalendar import Calendar

from consultations.models import Round

from .conftest import World, assert_no_secret

ATOM = "{http://www.w3.org/2005/Atom}"


def events(client: Client, url: str) -> dict[str, object]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert_no_secret(response.content.decode())
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


def test_calendar_parses_and_lists_announced_meetings_and_round_deadlines(
    client: Client, world: World
) -> None:
    found = events(client, "/calendar.ics")
    assert f"meeting-{world.published.pk}" in found
    assert f"meeting-{world.draft.pk}" not in found
    assert f"round-{world.open_round.pk}-closes" in found
    assert f"round-{world.draft_round.pk}-closes" not in found
    meeting = found[f"meeting-{world.unpublished.pk}"]
    start = meeting.decoded("dtstart")
    # 10:00 in Warsaw in winter, written in UTC (the same event as the invitation's attachment)
    assert (start.hour, start.utcoffset().total_seconds()) == (9, 0)
    assert start.astimezone(ZoneInfo("Europe/Warsaw")).hour == 10
    assert str(meeting["location"]) == "Urząd Miasta Krakowa"
    deadline = found[f"round-{world.open_round.pk}-closes"].decoded("dtstart")
    assert deadline == world.open_round.closes_at.replace(microsecond=0)


def test_team_calendar_holds_only_that_team(client: Client, world: World) -> None:
    team = world.published.team
    found = events(client, f"/teams/{team.slug}/calendar.ics")
    assert f"meeting-{world.published.pk}" in found
    assert client.get("/teams/no-such-team/calendar.ics").status_code == 404


def test_atom_feed_lists_announced_rounds_and_published_reports_only(
    client: Client, world: World
) -> None:
    response = client.get("/consultations/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert_no_secret(response.content.decode())
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    ids = {entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")}
    assert f"urn:krakow-ngo:round:{world.open_round.pk}" in ids
    assert f"urn:krakow-ngo:report:{world.reported_round.pk}" in ids
    assert f"urn:krakow-ngo:report:{world.open_round.pk}" not in ids
    assert f"urn:krakow-ngo:round:{world.draft_round.pk}" not in ids
    links = {link.get("href") for link in feed.iter(f"{ATOM}link")}
    assert f"http://testserver/consultations/{world.reported_round.pk}/report/" in links
    assert all(link.startswith("http://testserver/") for link in links), links


def test_pages_link_their_calendar_and_feed(client: Client, world: World) -> None:
    team = world.published.team
    html = client.get(team.get_absolute_url()).content.decode()
    calendar = f"/teams/{team.slug}/calendar.ics"
    assert f'rel="alternate"\n        type="text/calendar"\n        href="{calendar}"' in html
    # Visible links are absolute, to be pasted into a calendar or feed reader.
    assert f'href="http://testserver{calendar}" id="team-calendar-link"' in html
    html = client.get("/consultations/").content.decode()
    assert 'type="application/atom+xml"' in html
    assert 'href="http://testserver/consultations/feed.atom" id="round-feed-link"' in html
    assert 'href="http://testserver/calendar.ics" id="calendar-link"' in html


def test_atom_summary_is_escaped_html_of_the_subject(client: Client, world: World) -> None:
    """``<summary type="html">`` is HTML once the XML is read: the subject must arrive there
    escaped, so that a reader shows ``<script>`` and ``&`` as text and runs nothing."""
    subject = 'Plan <script>alert("x")</script> & <b>więcej</b>'
    Round.objects.filter(pk=world.open_round.pk).update(subject=subject)
    response = client.get("/consultations/feed.atom")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    (summary,) = [
        entry.find(f"{ATOM}summary")
        for entry in feed.iter(f"{ATOM}entry")
        if entry.findtext(f"{ATOM}id") == f"urn:krakow-ngo:round:{world.open_round.pk}"
    ]
    assert summary is not None and summary.get("type") == "html"
    assert summary.text == escape(subject)
    assert "<script>" not in (summary.text or "")
    assert html.unescape(summary.text or "") == subject


def test_a_round_deadline_says_when_it_opened_as_the_round_page_does(
    client: Client, world: World
) -> None:
    """Written for people, in the calendar's language and in Warsaw time: "3 grudnia 2026,
    16:24", not an ISO date."""
    round_ = world.open_round
    Round.objects.filter(pk=round_.pk).update(
        opens_at=dt.datetime(2026, 12, 3, 15, 24, tzinfo=dt.UTC)
    )
    client.cookies["django_language"] = "pl"
    event = events(client, "/calendar.ics")[f"round-{round_.pk}-closes"]
    assert str(event["description"]) == (
        "Uwagi można zgłaszać od 3 grudnia 2026, 16:24 (czas warszawski)."
    )
