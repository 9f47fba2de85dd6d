"""The cycle's adoption reminder (teams.cycle) is not sent once the programme is adopted:
drafts, which records the adoption, tells the cycle the obligation is met."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from drafts import services as draft_services
from drafts.models import DraftVersion
from notifications.models import Outbox
from notifications.outbox import outbox_sweep
from teams.models import Meeting, User
from teams.notices import programme_reminders_schedule

pytestmark = pytest.mark.django_db


def _remind(coordinator: User) -> list:
    mail.outbox.clear()
    # 10 days before 30 November, in Warsaw.
    eve = dt.datetime(2011, 11, 20, 8, 0, tzinfo=timezone.get_current_timezone())
    programme_reminders_schedule(eve)
    outbox_sweep()
    return [m for m in mail.outbox if m.to == [coordinator.email]]


def test_no_adoption_reminder_once_the_programme_is_adopted(
    seeded: Meeting, coordinator: User, settings
) -> None:
    settings.PROGRAMME_REMINDER_DAYS = 14
    programme = seeded.team.programme
    version = DraftVersion.objects.get(draft__programme=programme, number=1)
    draft_services.draft_version_adopt(
        actor=coordinator,
        version=version,
        number="XXI/123/11",
        date=timezone.localdate(),
        url="https://www.bip.krakow.pl/",
    )
    assert _remind(coordinator) == []
    row = Outbox.objects.get(kind="programme_deadline_reminder", recipient=coordinator)
    assert row.occasion.startswith("adoption-") and row.cancelled_at is not None


def test_the_adoption_reminder_goes_while_the_programme_is_not_adopted(
    seeded: Meeting, coordinator: User, settings
) -> None:
    settings.PROGRAMME_REMINDER_DAYS = 14
    assert len(_remind(coordinator)) == 1
