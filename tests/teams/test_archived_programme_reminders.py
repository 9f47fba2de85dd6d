"""The report on an archived programme's last years is still reminded (issue 13, item 4):
starting the next programme before 30 November archives this one while the report on its last
year is due 31 May of the year after it. Reminders of an archived programme stop at its last
date, skip its adoption and never repeat what is already queued."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from drafts import services as draft_services
from drafts.models import DraftVersion
from implementation import services as implementation_services
from notifications.models import Outbox
from notifications.outbox import outbox_sweep
from teams.models import Meeting, Programme, ProgrammeKind, User
from teams.notices import programme_reminders_schedule
from teams.services import programme_create

pytestmark = pytest.mark.django_db

REASON = "Dane zbierane są poza portalem."


def _warsaw(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def archived(seeded: Meeting, coordinator: User, settings) -> Programme:
    """The seeds' programme 2012–2014, adopted, its reports on 2012 and 2013 published (not on
    2014), archived by starting the programme 2015–2017. (Built today: the demo's version 1
    is published today, and an adoption cannot predate it.)"""
    settings.PROGRAMME_REMINDER_DAYS = 14
    seeds = seeded.team.programme
    draft_services.draft_version_adopt(
        actor=coordinator,
        version=DraftVersion.objects.get(draft__programme=seeds, number=1),
        number="XXI/123/11",
        date=timezone.localdate(),
        url="https://www.bip.krakow.pl/",
    )
    for year in (2012, 2013):
        implementation_services.report_publish(
            actor=coordinator, programme=seeds, year=year, reason=REASON
        )
    programme_create(
        actor=coordinator,
        kind=ProgrammeKind.MULTI_YEAR,
        title="Program 2015–2017",
        period_start=2015,
        period_end=2017,
    )
    seeds.refresh_from_db()
    assert not seeds.is_current
    return seeds


def _reminders(programme: Programme):
    return Outbox.objects.filter(kind="programme_deadline_reminder", subject_id=str(programme.pk))


def test_the_report_on_an_archived_programmes_last_year_is_reminded(
    archived: Programme, coordinator: User
) -> None:
    moment = _warsaw(2015, 5, 20, 9, 0)
    with time_machine.travel(moment, tick=False):
        programme_reminders_schedule(moment)
        programme_reminders_schedule(moment)  # the sweep runs every minute: queued once
        assert list(_reminders(archived).values_list("recipient__email", "occasion")) == [
            (coordinator.email, "implementation-report-2014-2015-05-31")
        ]
        mail.outbox.clear()
        outbox_sweep(now=moment)
    sent = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(sent) == 1
    assert "2014" in sent[0].subject
    assert archived.get_absolute_url() in sent[0].body
    assert _reminders(archived).get().sent_at is not None


def test_an_archived_programmes_published_report_is_not_reminded(
    archived: Programme, coordinator: User
) -> None:
    moment = _warsaw(2015, 5, 20, 9, 0)
    with time_machine.travel(moment, tick=False):
        implementation_services.report_publish(
            actor=coordinator, programme=archived, year=2014, reason=REASON
        )
        programme_reminders_schedule(moment)
        mail.outbox.clear()
        outbox_sweep(now=moment)
    assert not [m for m in mail.outbox if m.to == [coordinator.email]]
    assert all(row.sent_at is None for row in _reminders(archived))


@pytest.mark.parametrize(
    "moment",
    [
        _warsaw(2015, 5, 16, 9, 0),  # 15 days before 31 May: too early
        _warsaw(2015, 6, 1, 9, 0),  # after the last date: the archive sleeps
        _warsaw(2016, 5, 20, 9, 0),  # the next year: nothing of 2012–2014 is due any more
        _warsaw(2014, 11, 20, 9, 0),  # no report due; the current programme's adoption only
    ],
)
def test_an_archived_programme_is_reminded_only_before_its_reports(
    archived: Programme, moment: dt.datetime
) -> None:
    programme_reminders_schedule(moment)
    assert not _reminders(archived).exists()


def test_an_archived_programme_is_not_reminded_of_its_adoption(
    seeded: Meeting, coordinator: User, settings
) -> None:
    """Its adoption was superseded by the programme that replaced it."""
    settings.PROGRAMME_REMINDER_DAYS = 14
    seeds = seeded.team.programme
    programme_create(
        actor=coordinator,
        kind=ProgrammeKind.MULTI_YEAR,
        title="Program 2015–2017",
        period_start=2015,
        period_end=2017,
    )
    programme_reminders_schedule(_warsaw(2011, 11, 20, 9, 0))
    assert not _reminders(seeds).exists()
