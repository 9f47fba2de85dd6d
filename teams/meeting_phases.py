"""The phases of a meeting and what each opens, declared once.

A meeting moves draft → planned → open → closed → published, one step at a time. Each phase
opens a set of features; the predicates in ``teams.meeting_permissions`` ask
``phase_opens(meeting, Feature.X)`` and never compare statuses themselves, so changing what a
phase allows is a one-line change here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import prose_date

from .models import Meeting

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Feature(StrEnum):
    PLAN = "plan"  # edit title, date, place, agenda, SWOT topics, rules
    REGISTER = "register"  # members register / unregister attendance
    MARK_ATTENDANCE = "mark_attendance"  # the moderator records who came
    SPEAK = "speak"  # speakers list and live mode
    ADD_ENTRIES = "add_entries"  # members add SWOT entries, goals, actions
    MODERATE = "moderate"  # moderators edit, merge, reorder
    PUBLISH = "publish"  # results may be published (frozen, dated)
    MINUTES = "minutes"  # the moderator writes the minutes
    PUBLISH_MINUTES = "publish_minutes"  # … and publishes them


@dataclass(frozen=True)
class MeetingPhase:
    status: Meeting.Status
    features: frozenset[Feature]
    next_status: Meeting.Status | None
    # The label of the button that moves the meeting on to the next phase.
    advance_label: StrOrPromise = ""
    # The step's name in its confirmation page's address (announce, open, close, publish).
    step: str = ""


S = Meeting.Status
F = Feature

MEETING_PHASES: dict[str, MeetingPhase] = {
    S.DRAFT: MeetingPhase(
        S.DRAFT, frozenset({F.PLAN}), S.PLANNED, _("Announce the meeting"), "announce"
    ),
    S.PLANNED: MeetingPhase(
        S.PLANNED, frozenset({F.PLAN, F.REGISTER}), S.OPEN, _("Open the workspace"), "open"
    ),
    S.OPEN: MeetingPhase(
        S.OPEN,
        frozenset({F.PLAN, F.REGISTER, F.MARK_ATTENDANCE, F.SPEAK, F.ADD_ENTRIES, F.MODERATE}),
        S.CLOSED,
        _("Close the workspace"),
        "close",
    ),
    S.CLOSED: MeetingPhase(
        S.CLOSED,
        frozenset({F.MARK_ATTENDANCE, F.MODERATE, F.PUBLISH, F.MINUTES}),
        S.PUBLISHED,
        _("Publish the results"),
        "publish",
    ),
    # Results are frozen: only the minutes may still be written and published.
    S.PUBLISHED: MeetingPhase(S.PUBLISHED, frozenset({F.MINUTES, F.PUBLISH_MINUTES}), None),
}


def phase_of(meeting: Meeting) -> MeetingPhase:
    return MEETING_PHASES[meeting.status]


def phase_opens(meeting: Meeting, feature: Feature) -> bool:
    return feature in phase_of(meeting).features


def out_of_time(meeting: Meeting, today: dt.date) -> str:
    """Why the meeting's next step cannot be taken on ``today`` (Europe/Warsaw), "" if it can:
    a meeting whose day has passed is not announced (its invitations would call people to a
    past date), and its results are not published before its day (the annex would say it was
    held). services.meeting_advance refuses it; the confirmation page says so first."""
    next_status = phase_of(meeting).next_status
    if next_status == Meeting.Status.PLANNED and meeting.date < today:
        return gettext(
            "The meeting's date (%(date)s) has passed: change it before announcing the meeting; "
            "nothing was sent."
        ) % {"date": prose_date(meeting.date)}
    if next_status == Meeting.Status.PUBLISHED and meeting.date > today:
        return gettext(
            "The meeting takes place on %(date)s: its results can be published from that day; "
            "nothing was published."
        ) % {"date": prose_date(meeting.date)}
    return ""


def agenda_item_misfit(
    start: dt.time | None, end: dt.time | None, starts_at: dt.time | None, minutes: int | None
) -> tuple[str, str] | None:
    """Why an agenda item planned at ``starts_at`` for ``minutes`` does not fit a meeting held
    from ``start`` to ``end`` (Europe/Warsaw): the item's form field and the reason; None if it
    fits, or if the meeting's hours or the item's start are not given. The agenda forms, the
    meeting's form (new hours against the items already planned) and the services all ask this."""
    if starts_at is None:
        return None
    if start is not None and starts_at < start:
        return "starts_at", gettext(
            "The meeting starts at %(start)s: an agenda item cannot start earlier."
        ) % {"start": start.strftime("%H:%M")}
    if end is None:
        return None
    if starts_at >= end:
        return "starts_at", gettext(
            "The meeting ends at %(end)s: an agenda item must start before then."
        ) % {"end": end.strftime("%H:%M")}
    item_end = dt.datetime.combine(dt.date.min, starts_at) + dt.timedelta(minutes=minutes or 0)
    if item_end > dt.datetime.combine(dt.date.min, end):
        return "duration_minutes", gettext(
            "This item would end at %(item_end)s, after the meeting ends (%(end)s): shorten it "
            "or start it earlier."
        ) % {"item_end": item_end.strftime("%H:%M"), "end": end.strftime("%H:%M")}
    return None
