"""The cycle's calendar (issue 13, item 4): the dates as a pure function of the period, on the
programme's page, in the calendar feeds, and the coordinating team's reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Outbox
from notifications.outbox import outbox_sweep
from teams import cycle
from teams.models import Programme, ProgrammeKind
from teams.notices import programme_reminders_schedule
from teams.services import programme_create


def _dates(start: int, end: int) -> dict[str, dt.date]:
    return {entry.key: entry.date for entry in cycle.cycle_dates(start, end)}


def test_it_dates_an_annual_programme():
    assert _dates(2028, 2028) == {
        "adoption": dt.date(2027, 11, 30),
        "accessibility-review-2028": dt.date(2028, 3, 31),
        "implementation-report-2028": dt.date(2029, 5, 31),
    }


def test_it_dates_a_multi_year_programme_year_by_year_in_order():
    entries = cycle.cycle_dates(2012, 2014)
    assert [entry.date for entry in entries] == sorted(entry.date for entry in entries)
    dates = _dates(2012, 2014)
    assert dates["adoption"] == dt.date(2011, 11, 30)
    assert [dates[f"implementation-report-{y}"] for y in (2012, 2013, 2014)] == [
        dt.date(2013, 5, 31),
        dt.date(2014, 5, 31),
        dt.date(2015, 5, 31),
    ]
    assert [dates[f"accessibility-review-{y}"] for y in (2012, 2013, 2014)] == [
        dt.date(2012, 3, 31),
        dt.date(2013, 3, 31),
        dt.date(2014, 3, 31),
    ]


@pytest.mark.parametrize(
    ("date", "days", "expected"),
    [
        (dt.date(2028, 3, 31), 31, dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2027, 3, 31), 31, dt.date(2027, 2, 28)),
        (dt.date(2027, 3, 1), 1, dt.date(2027, 2, 28)),
        (dt.date(2028, 3, 1), 1, dt.date(2028, 2, 29)),
        (dt.date(2027, 11, 30), 14, dt.date(2027, 11, 16)),
    ],
)
def test_it_counts_reminder_days_across_february(date, days, expected):
    assert cycle.reminder_date(date, days) == expected


def test_the_programme_legal_deadline_is_the_cycle_adoption_date():
    programme = Programme(title="P", period_start=2024, period_end=2024)  # 2024: a leap year
    assert programme.legal_deadline == dt.date(2023, 11, 30) == _dates(2024, 2024)["adoption"]


def test_the_programme_page_shows_the_cycle(client, seeded):
    programme = seeded.team.programme
    response = client.get(programme.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert 'datetime="2011-11-30"' in page
    assert 'datetime="2015-05-31"' in page
    assert 'datetime="2014-03-31"' in page


def test_the_calendar_feeds_carry_the_cycle_dates(client, seeded):
    programme = seeded.team.programme
    own = client.get(f"/programmes/{programme.pk}/calendar.ics")
    assert own.status_code == 200
    assert own["Content-Type"].startswith("text/calendar")
    body = own.content.decode()
    assert f"UID:programme-{programme.pk}-adoption@" in body
    assert "DTSTART;VALUE=DATE:20111130" in body
    assert "DTSTART;VALUE=DATE:20150531" in body
    everything = client.get("/calendar.ics").content.decode()
    assert f"UID:programme-{programme.pk}-implementation-report-2014@" in everything


@pytest.fixture
def current_2028(seeded, coordinator) -> Programme:
    return programme_create(
        actor=coordinator,
        kind=ProgrammeKind.ANNUAL,
        title="Program współpracy na rok 2028",
        period_start=2028,
        period_end=2028,
    )


def _at(date: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, dt.time(8, 0)))


def test_the_coordinating_team_is_reminded_days_before_each_date(
    current_2028, coordinator, settings
):
    settings.PROGRAMME_REMINDER_DAYS = 14
    rows = Outbox.objects.filter(kind="programme_deadline_reminder")
    programme_reminders_schedule(_at(dt.date(2027, 11, 15)))  # 15 days before: too early
    assert not rows.exists()
    programme_reminders_schedule(_at(dt.date(2027, 11, 16)))
    programme_reminders_schedule(_at(dt.date(2027, 11, 20)))  # once per date
    assert list(rows.values_list("recipient__email", "occasion")) == [
        (coordinator.email, "adoption-2027-11-30")
    ]
    mail.outbox.clear()
    outbox_sweep(now=_at(dt.date(2027, 11, 20)))
    sent = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(sent) == 1
    assert "30" in sent[0].subject
    assert current_2028.get_absolute_url() in sent[0].body


def test_an_archived_programme_wakes_nobody(seeded, coordinator, settings):
    settings.PROGRAMME_REMINDER_DAYS = 14
    seeds = seeded.team.programme
    programme_reminders_schedule(_at(dt.date(2011, 11, 20)))  # the seeds' cycle is current
    rows = Outbox.objects.filter(kind="programme_deadline_reminder", subject_id=str(seeds.pk))
    assert rows.count() == 1
    rows.delete()
    programme_create(
        actor=coordinator,
        kind=ProgrammeKind.MULTI_YEAR,
        title="Program 2015–2017",
        period_start=2015,
        period_end=2017,
    )
    programme_reminders_schedule(_at(dt.date(2011, 11, 20)))
    assert not rows.exists()
