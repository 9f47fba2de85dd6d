"""Calendars (ICS) of meetings and consultation deadlines, and an Atom feed of rounds and their
published reports. Both read only what is public (``opendata.api.selectors``)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Event

from consultations.models import Round
from core import site
from teams import calendar
from teams.models import Programme, Team

from .api import selectors

CALENDAR_LIMIT = 500
FEED_LIMIT = 50


def _round_event(round_: Round, stamp: dt.datetime) -> Event:
    """The round's deadline: the moment it closes for comments."""
    event = Event()
    event.add("uid", f"round-{round_.pk}-closes@{site.host()}")
    event.add("dtstamp", stamp)
    event.add("summary", _("Consultation closes: %(title)s") % {"title": round_.title})
    event.add("dtstart", round_.closes_at)
    event.add("url", site.absolute(round_.get_absolute_url()))
    # As the round page writes it, in the calendar's language: "3 grudnia 2026, 16:24".
    opens = dateformat.format(timezone.localtime(round_.opens_at), "j E Y, H:i")
    event.add(
        "description", _("Open for comments from %(opens)s (Warsaw time).") % {"opens": opens}
    )
    return event


def _calendar(name: str, meetings, rounds, programmes=()) -> HttpResponse:
    stamp = timezone.now()
    events = [
        calendar.meeting_event(meeting, stamp=stamp)
        for meeting in meetings.order_by("-date", "pk")[:CALENDAR_LIMIT]
    ]
    events += [
        event for programme in programmes for event in calendar.cycle_events(programme, stamp=stamp)
    ]
    events += [
        _round_event(round_, stamp)
        for round_ in rounds.order_by("-closes_at", "pk")[:CALENDAR_LIMIT]
    ]
    response = HttpResponse(
        calendar.calendar(name, events), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response


@require_safe
def calendar_all(request: HttpRequest) -> HttpResponse:
    """Every announced meeting, every announced round's closing time and the current
    programmes' cycle dates."""
    return _calendar(
        _("Kraków NGO: meetings and consultations"),
        selectors.public_meetings(),
        selectors.public_rounds(),
        Programme.objects.current(),
    )


@require_safe
def calendar_team(request: HttpRequest, slug: str) -> HttpResponse:
    """One branch team's announced meetings and the rounds that consult their results."""
    team = get_object_or_404(Team, slug=slug)
    return _calendar(
        _("Kraków NGO: branch team %(name)s") % {"name": team.local_name},
        selectors.public_meetings().filter(team=team),
        selectors.public_rounds().filter(meeting__team=team),
    )


Entry = tuple[str, Round, dt.datetime, str]  # kind, round, date, absolute link


class RoundFeed(Feed):
    """Announced consultation rounds and published consultation reports, newest first.

    Links are built from the request's host (the host the reader asked, not django.contrib.sites'
    Site): ``get_object`` hands the request to the other methods.
    """

    feed_type = Atom1Feed
    item_guid_is_permalink = False

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpRequest:
        return request

    def title(self) -> str:
        return _("Kraków NGO: consultations and reports")

    def subtitle(self) -> str:
        return _("Consultation rounds as they are announced, and their reports as published.")

    def link(self, request: HttpRequest) -> str:
        return request.build_absolute_uri(reverse("consultations:round-list"))

    def feed_url(self, request: HttpRequest) -> str:
        return request.build_absolute_uri(reverse("open-data:round-feed"))

    def items(self, request: HttpRequest) -> list[Entry]:
        entries: list[Entry] = []
        rounds = selectors.public_rounds()
        for round_ in rounds.order_by("-pk")[:FEED_LIMIT]:
            link = request.build_absolute_uri(round_.get_absolute_url())
            entries.append(("round", round_, round_.announced_at or round_.created_at, link))
        for round_ in rounds.filter(report_published_at__isnull=False).order_by(
            "-report_published_at"
        )[:FEED_LIMIT]:
            if selectors.report_is_public(round_):
                assert round_.report_published_at is not None
                link = request.build_absolute_uri(
                    reverse("consultations:round-report", args=[round_.pk])
                )
                entries.append(("report", round_, round_.report_published_at, link))
        entries.sort(key=lambda entry: entry[2], reverse=True)
        return entries[:FEED_LIMIT]

    def item_title(self, item: Entry) -> str:
        kind, round_, _when, _link = item
        if kind == "report":
            return _("Consultation report: %(title)s") % {"title": round_.title}
        return _("Consultation: %(title)s") % {"title": round_.title}

    def item_description(self, item: Entry) -> str:
        """Atom's ``<summary type="html">`` (Django's choice) is read as HTML: plain text goes
        in escaped, so that a subject holding ``<script>`` or ``&`` is shown, not run."""
        kind, round_, _when, _link = item
        if kind == "report":
            return escape(_("The coordinating team published how each comment was settled."))
        return escape(round_.subject)

    def item_link(self, item: Entry) -> str:
        return item[3]

    def item_guid(self, item: Entry) -> str:
        kind, round_, _when, _link = item
        return f"urn:krakow-ngo:{kind}:{round_.pk}"

    def item_pubdate(self, item: Entry) -> dt.datetime:
        return item[2]

    def item_updateddate(self, item: Entry) -> dt.datetime:
        return item[2]
