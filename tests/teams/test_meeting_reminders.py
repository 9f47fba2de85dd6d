"""The reminder the day before a meeting (teams.notices.meeting_reminders_schedule): a meeting
announced less than a day before gets its invitation only, and the subject says "Today" or
"Tomorrow" from the Warsaw dates of the sending and of the meeting."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from notifications.models import Outbox
from notifications.outbox import outbox_sweep
from teams import meeting_services
from teams.models import Meeting, User

from ..swot.helpers import make_meeting

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=WARSAW)


def announce(meeting: Meeting, moderator: User, moment: dt.datetime) -> None:
    """Announce through the real step (which queues the invitations), then sweep."""
    with time_machine.travel(moment, tick=False):
        meeting_services.meeting_advance(
            actor=moderator, meeting=meeting, expected_status=Meeting.Status.DRAFT
        )
        outbox_sweep()


def sweep_at(moment: dt.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        outbox_sweep()


def subjects_to(user: User) -> list[str]:
    return [message.subject for message in mail.outbox if message.to == [user.email]]


def reminders(meeting: Meeting):
    return Outbox.objects.filter(kind="meeting_reminder", subject_id=str(meeting.pk))


@pytest.fixture
def english_member(member: User) -> User:
    member.language = "en"
    member.save(update_fields=["language"])
    return member


def test_a_meeting_announced_for_tonight_gets_its_invitation_and_no_tomorrow(
    seeded: Meeting, moderator: User, english_member: User
) -> None:
    meeting = make_meeting(
        seeded.team,
        status=Meeting.Status.DRAFT,
        title="Spotkanie dzisiejsze",
        date=dt.date(2026, 12, 5),
        start_time=dt.time(23, 0),
    )
    announce(meeting, moderator, at(5, 16, 29))
    sweep_at(at(5, 22, 0))

    subjects = subjects_to(english_member)
    assert any("Invitation: Spotkanie dzisiejsze" in subject for subject in subjects), subjects
    assert not any("Tomorrow" in subject for subject in subjects), subjects
    assert not reminders(meeting).exists()  # the invitation is the notice


def test_a_meeting_tomorrow_still_gets_its_reminder_the_day_before(
    seeded: Meeting, moderator: User, english_member: User
) -> None:
    meeting = make_meeting(
        seeded.team,
        status=Meeting.Status.DRAFT,
        title="Spotkanie jutrzejsze",
        date=dt.date(2026, 12, 6),
        start_time=dt.time(18, 0),
    )
    announce(meeting, moderator, at(2, 10, 0))
    mail.outbox.clear()
    sweep_at(at(5, 17, 59))
    assert not reminders(meeting).exists()

    sweep_at(at(5, 18, 0))

    # Only this meeting's: the seeded rounds' notices fall due by the real clock too.
    (subject,) = [s for s in subjects_to(english_member) if "Spotkanie jutrzejsze" in s]
    assert subject.endswith("Tomorrow: Spotkanie jutrzejsze")
    row = reminders(meeting).get(recipient=english_member)
    assert row.occasion == "day-before-2026-12-06"
    assert row.sent_at == at(5, 18, 0)


def test_a_reminder_that_goes_out_late_on_the_day_says_today(
    seeded: Meeting, moderator: User, english_member: User
) -> None:
    meeting = make_meeting(
        seeded.team,
        status=Meeting.Status.DRAFT,
        title="Spotkanie wieczorne",
        date=dt.date(2026, 12, 6),
        start_time=dt.time(18, 0),
    )
    announce(meeting, moderator, at(2, 10, 0))
    mail.outbox.clear()
    # No sweep ran the day before; the first one after midnight catches up.
    sweep_at(at(6, 0, 30))

    (subject,) = [s for s in subjects_to(english_member) if "Spotkanie wieczorne" in s]
    assert subject.endswith("Today: Spotkanie wieczorne")
    assert reminders(meeting).filter(recipient=english_member).count() == 1
