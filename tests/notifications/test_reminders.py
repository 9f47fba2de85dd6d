"""Reminders before a round closes (CONSULTATIONS_REMINDER_DAYS, Europe/Warsaw wall-clock
time) and the day before a meeting, with a controlled clock, across both DST changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from consultations.models import AuthorRole, Comment, Round
from consultations.notices import days_before
from consultations.phases import Phase
from notifications.models import Outbox
from notifications.outbox import outbox_sweep
from teams.models import Meeting, Representation

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
UTC = dt.UTC
# Last Sundays of March and October 2027: clocks go forward (02:00 → 03:00) and back.
MARCH_CLOSE = dt.datetime(2027, 3, 28, 12, 0, tzinfo=WARSAW)  # CEST, 10:00 UTC
OCTOBER_CLOSE = dt.datetime(2027, 10, 31, 12, 0, tzinfo=WARSAW)  # CET, 11:00 UTC
JUNE_CLOSE = dt.datetime(2027, 6, 15, 12, 0, tzinfo=WARSAW)  # no change of clocks near it


def _round(seeded, closes_at: dt.datetime) -> Round:
    return Round.objects.create(
        programme=seeded.team.programme,
        meeting=seeded,
        title="Round across DST",
        goal="Goal",
        subject="Subject",
        responsible_office="MOWIS",
        contact="mowis@example.org",
        opens_at=closes_at - dt.timedelta(days=20),
        closes_at=closes_at,
        status=Phase.ANNOUNCED,
    )


def reminders(round_: Round, occasion: str | None = None):
    query = Outbox.objects.filter(kind="round_reminder", subject_id=str(round_.pk))
    return query.filter(occasion=occasion) if occasion else query


def test_days_before_keeps_the_wall_clock_time_across_spring_forward():
    one_day = days_before(MARCH_CLOSE, 1)
    assert one_day.astimezone(WARSAW).timetuple()[:5] == (2027, 3, 27, 12, 0)
    assert one_day.astimezone(UTC) == dt.datetime(2027, 3, 27, 11, 0, tzinfo=UTC)
    # 23 hours of real time: the night lost an hour.
    assert MARCH_CLOSE.astimezone(UTC) - one_day.astimezone(UTC) == dt.timedelta(hours=23)


def test_days_before_keeps_the_wall_clock_time_across_fall_back():
    one_day = days_before(OCTOBER_CLOSE, 1)
    assert one_day.astimezone(UTC) == dt.datetime(2027, 10, 30, 10, 0, tzinfo=UTC)
    assert OCTOBER_CLOSE.astimezone(UTC) - one_day.astimezone(UTC) == dt.timedelta(hours=25)
    seven = days_before(OCTOBER_CLOSE, 7)
    assert seven.astimezone(WARSAW).timetuple()[:5] == (2027, 10, 24, 12, 0)


@pytest.mark.parametrize(
    ("closes_at", "reminder_utc"),
    [
        (MARCH_CLOSE, dt.datetime(2027, 3, 27, 11, 0, tzinfo=UTC)),
        (OCTOBER_CLOSE, dt.datetime(2027, 10, 30, 10, 0, tzinfo=UTC)),
    ],
)
def test_the_last_reminder_goes_out_at_noon_the_day_before_across_dst(
    seeded, member, closes_at, reminder_utc
):
    round_ = _round(seeded, closes_at)
    with time_machine.travel(reminder_utc - dt.timedelta(minutes=1), tick=False):
        outbox_sweep()
        assert not reminders(round_, "close-minus-1d").exists()
    mail.outbox.clear()
    with time_machine.travel(reminder_utc, tick=False):
        outbox_sweep()
    row = reminders(round_, "close-minus-1d").get(recipient=member)
    assert row.due_at == reminder_utc
    assert row.sent_at == reminder_utc
    assert any(m.to == [member.email] for m in mail.outbox)


def test_each_reminder_goes_out_once_however_often_the_sweep_runs(seeded, member):
    round_ = _round(seeded, OCTOBER_CLOSE)
    three_days = days_before(OCTOBER_CLOSE, 3)
    for minutes in range(0, 180, 7):
        with time_machine.travel(three_days + dt.timedelta(minutes=minutes), tick=False):
            outbox_sweep()
    assert reminders(round_, "close-minus-3d").filter(recipient=member).count() == 1
    assert set(reminders(round_).values_list("occasion", flat=True)) == {"close-minus-3d"}


def test_missed_earlier_reminders_are_not_sent_late(seeded, member):
    round_ = _round(seeded, MARCH_CLOSE)
    # No sweep ran for days: only the latest due reminder goes out.
    with time_machine.travel(days_before(MARCH_CLOSE, 1) + dt.timedelta(hours=1), tick=False):
        outbox_sweep()
    occasions = set(reminders(round_).values_list("occasion", flat=True))
    assert occasions == {"close-minus-1d"}


def test_organisations_that_commented_get_no_reminder(seeded, member, other_rep):
    round_ = _round(seeded, OCTOBER_CLOSE)
    organisation = Representation.objects.get(user=member).organisation
    with time_machine.travel(days_before(OCTOBER_CLOSE, 8), tick=False):
        Comment.objects.create(
            round=round_,
            author=member,
            author_role=AuthorRole.ORGANISATION,
            organisation=organisation,
            text="Our comment",
        )
    with time_machine.travel(days_before(OCTOBER_CLOSE, 7), tick=False):
        outbox_sweep()
    recipients = set(reminders(round_).values_list("recipient", flat=True))
    assert member.pk not in recipients
    assert other_rep.pk in recipients


def test_a_reminder_to_an_organisation_that_comments_before_it_is_sent_is_dropped(
    seeded, member, other_rep, settings
):
    round_ = _round(seeded, OCTOBER_CLOSE)
    at = days_before(OCTOBER_CLOSE, 7)
    # The sweep queued the reminder; sending it failed once and waits for its retry.
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    with time_machine.travel(at, tick=False):
        outbox_sweep()
    row = reminders(round_).get(recipient=member)
    organisation = Representation.objects.get(user=member).organisation
    Comment.objects.create(
        round=round_,
        author=member,
        author_role=AuthorRole.ORGANISATION,
        organisation=organisation,
        text="Commented meanwhile",
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(at + dt.timedelta(hours=1), tick=False):
        result = outbox_sweep()
    assert row.pk in result.cancelled
    assert reminders(round_).get(recipient=other_rep).sent_at is not None


def test_a_round_shorter_than_the_first_reminder_gets_no_reminder_before_it_opened(seeded, member):
    """A round open for 5 days: "7 days left" came at its opening, before the notice that it
    had opened, and said a number of days it never had."""
    round_ = _round(seeded, OCTOBER_CLOSE)
    Round.objects.filter(pk=round_.pk).update(opens_at=OCTOBER_CLOSE - dt.timedelta(days=5))
    with time_machine.travel(OCTOBER_CLOSE - dt.timedelta(days=5), tick=False):
        outbox_sweep()
    assert not reminders(round_).exists()
    with time_machine.travel(days_before(OCTOBER_CLOSE, 3), tick=False):
        outbox_sweep()
    assert set(reminders(round_).values_list("occasion", flat=True)) == {"close-minus-3d"}


def test_a_reminder_sent_late_says_how_many_days_are_really_left(seeded, member):
    round_ = _round(seeded, OCTOBER_CLOSE)
    # No sweep ran on the day of the 3-day reminder: it goes out two days before the close.
    with time_machine.travel(days_before(OCTOBER_CLOSE, 2), tick=False):
        mail.outbox.clear()
        outbox_sweep()
    (row,) = reminders(round_).filter(recipient=member)
    assert row.occasion == "close-minus-3d"
    (message,) = [m for m in mail.outbox if m.to == [member.email]]
    assert "Zostały 2 dni na zgłoszenie uwag" in message.subject


@pytest.mark.parametrize("closes_at", [MARCH_CLOSE, OCTOBER_CLOSE, JUNE_CLOSE])
def test_a_reminder_sent_a_minute_after_its_time_says_the_days_it_was_planned_for(
    seeded, member, closes_at
):
    """The sweep runs every minute: 6 days 23:59 left, rounded down, said "6 days left" in
    the 7-day reminder (across a change of clocks too)."""
    _round(seeded, closes_at)
    with time_machine.travel(days_before(closes_at, 7) + dt.timedelta(minutes=1), tick=False):
        mail.outbox.clear()
        outbox_sweep()
    (message,) = [m for m in mail.outbox if m.to == [member.email]]
    assert "Zostało 7 dni na zgłoszenie uwag" in message.subject


def test_a_reminder_says_whose_comment_is_missing(seeded, member, expert):
    """An expert or an official speaks for no organisation: "your organisation has not
    commented" was untrue for them."""
    _round(seeded, OCTOBER_CLOSE)
    with time_machine.travel(days_before(OCTOBER_CLOSE, 7), tick=False):
        mail.outbox.clear()
        outbox_sweep()
    sent = {m.to[0]: " ".join(m.body.split()) for m in mail.outbox}
    assert "Twoja organizacja nie zgłosiła w niej jeszcze żadnych uwag." in sent[member.email]
    assert "od Ciebie nie wpłynęła w niej jeszcze żadna uwaga." in sent[expert.email]
    assert "Twoja organizacja" not in sent[expert.email]


def test_no_reminders_for_a_closed_round(seeded, member):
    round_ = _round(seeded, MARCH_CLOSE)
    with time_machine.travel(MARCH_CLOSE + dt.timedelta(minutes=1), tick=False):
        outbox_sweep()
    assert not reminders(round_).exists()
    # … but everyone it addresses hears that it closed, once.
    closed = Outbox.objects.filter(kind="round_closed", subject_id=str(round_.pk))
    assert closed.filter(recipient=member).count() == 1


def test_a_meeting_reminder_goes_out_the_day_before_at_the_same_local_time(seeded, member):
    meeting = Meeting.objects.create(
        team=seeded.team,
        title="Spotkanie po zmianie czasu",
        date=dt.date(2027, 3, 28),
        start_time=dt.time(17, 0),
        status=Meeting.Status.PLANNED,
    )
    reminder_at = dt.datetime(2027, 3, 27, 17, 0, tzinfo=WARSAW)  # 16:00 UTC, CET
    with time_machine.travel(reminder_at - dt.timedelta(minutes=1), tick=False):
        outbox_sweep()
    assert not Outbox.objects.filter(kind="meeting_reminder").exists()
    with time_machine.travel(reminder_at, tick=False):
        outbox_sweep()
    row = Outbox.objects.get(kind="meeting_reminder", recipient=member)
    assert row.subject_id == str(meeting.pk)
    assert row.occasion == "day-before-2027-03-28"
    assert row.sent_at == reminder_at
