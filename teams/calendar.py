"""A meeting as an iCalendar event, built once: the public calendars (opendata.feeds) and the
invitation's attachment (teams.notices) show the same event, with the same UID. A programme's
cycle dates (teams.cycle) are all-day events of the same calendars.

Times are in UTC (no VTIMEZONE needed); a meeting without a start time is an all-day event.
The UID and the link name the portal by ``SITE_URL``, whoever asks, so that a calendar that
got the event by e-mail and by subscription sees one event. A calendar program cannot isolate
right-to-left text, so the file carries no bidi controls (core.text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from core import site
from core.text import strip_bidi

from .models import Meeting, Programme

PRODID = "-//Krakow NGO//krakow_ngo//PL"


def _local(date: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, time), timezone.get_current_timezone())


def meeting_event(meeting: Meeting, *, stamp: dt.datetime | None = None) -> Event:
    """The meeting's event. Reads ``meeting.team`` and ``meeting.agenda_items``."""
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{site.host()}")
    # Each saved change of the meeting counts up: a calendar that has the event (from the
    # invitation or a subscription) takes a change e-mailed later as newer (RFC 5545).
    event.add("sequence", meeting.version)
    event.add("dtstamp", (stamp or timezone.now()).astimezone(dt.UTC))
    event.add("summary", f"{meeting.title} ({meeting.team.local_name})")
    if meeting.start_time:
        starts = _local(meeting.date, meeting.start_time)
        event.add("dtstart", starts.astimezone(dt.UTC))
        if meeting.end_time and meeting.end_time > meeting.start_time:
            event.add("dtend", _local(meeting.date, meeting.end_time).astimezone(dt.UTC))
    else:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + dt.timedelta(days=1))
    location = meeting.place or meeting.online_url
    if location:
        event.add("location", location)
    event.add("url", site.absolute(meeting.get_absolute_url()))
    lines = [str(item) for item in meeting.agenda_items.all()]
    if meeting.place and meeting.online_url:
        # LOCATION holds the place: the link to join online would be lost without this line.
        lines.insert(0, f"{_('Online:')} {meeting.online_url}")
    if lines:
        event.add("description", "\n".join(lines))
    return event


def cycle_events(programme: Programme, *, stamp: dt.datetime | None = None) -> list[Event]:
    """The programme's cycle dates (teams.cycle) as all-day events, one UID per date."""
    events = []
    for entry in programme.cycle_dates:
        event = Event()
        event.add("uid", f"programme-{programme.pk}-{entry.key}@{site.host()}")
        event.add("dtstamp", (stamp or timezone.now()).astimezone(dt.UTC))
        event.add("summary", f"{entry.label} ({programme.title})")
        event.add("dtstart", entry.date)
        event.add("dtend", entry.date + dt.timedelta(days=1))
        event.add("url", site.absolute(programme.get_absolute_url()))
        events.append(event)
    return events


def calendar(name: str, events: Iterable[Event], *, method: str = "") -> bytes:
    """A calendar of events, as the bytes of an ``.ics`` file, without bidi controls (a
    continuation line they leave shorter is still a valid fold)."""
    result = Calendar()
    result.add("prodid", PRODID)
    result.add("version", "2.0")
    if method:
        result.add("method", method)
    if name:
        result.add("x-wr-calname", name)
    for event in events:
        result.add_component(event)
    return strip_bidi(result.to_ical().decode()).encode()


def meeting_ics(meeting: Meeting) -> str:
    """The invitation's attachment: one event, published (not a request for a reply)."""
    return calendar("", [meeting_event(meeting)], method="PUBLISH").decode()
