"""Kraków's numbers for a round's dates are settings, read by one check (consultations.rules,
asked through Round.clean()) that the form and the services share: change a setting and the
form, the service, their messages and the help texts all follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone, translation

from consultations import services
from consultations.forms import RoundForm
from consultations.models import Round
from consultations.phases import Phase
from core.models import AuditEntry
from teams.models import Meeting, Programme, User
from tests.confirm import CONFIRMED

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def _fields(meeting: Meeting, days: float) -> dict[str, Any]:
    opens = timezone.now() + dt.timedelta(days=30)
    return {
        "title": "Runda",
        "meeting": meeting,
        "goal": "Cel",
        "subject": "Przedmiot",
        "responsible_office": "MOWIS",
        "contact": "mowis@example.org",
        "opens_at": opens,
        "closes_at": opens + dt.timedelta(days=days),
    }


def _post_data(meeting: Meeting, days: float, **extra: str) -> dict[str, Any]:
    fields = _fields(meeting, days)
    for name in ("opens_at", "closes_at"):
        fields[name] = timezone.localtime(fields[name]).strftime("%Y-%m-%dT%H:%M")
    return {**fields, "meeting": meeting.pk, **extra}


def test_the_form_and_the_service_refuse_a_short_round_with_the_same_message(
    settings: Any, seeded: Meeting, coordinator: User, as_user: Login
) -> None:
    settings.CONSULTATIONS_MIN_ROUND_DAYS = 10
    with translation.override("en"):
        form = RoundForm(_post_data(seeded, 8))
        assert not form.is_valid()
        (message,) = form.errors["short_duration_reason"]
        assert "at least 10 days" in message
        with pytest.raises(services.Refused) as refused:
            services.round_create(actor=coordinator, **_fields(seeded, 8))
    assert str(refused.value) == message
    response = as_user(coordinator).post("/consultations/new/", _post_data(seeded, 8))
    assert response.status_code == 400
    assert "at least 10 days" in response.content.decode()
    assert not Round.objects.filter(title="Runda").exists()


def test_the_minimum_follows_the_setting_both_ways(
    settings: Any, seeded: Meeting, coordinator: User
) -> None:
    settings.CONSULTATIONS_MIN_ROUND_DAYS = 3
    assert RoundForm(_post_data(seeded, 4)).is_valid()
    round_ = services.round_create(actor=coordinator, **_fields(seeded, 4))
    assert not round_.is_short
    settings.CONSULTATIONS_MIN_ROUND_DAYS = 7
    assert round_.is_short
    assert not RoundForm(_post_data(seeded, 4)).is_valid()
    with pytest.raises(services.Refused):
        services.round_update(actor=coordinator, round_=round_, title="Zmieniona")


def test_a_short_round_with_a_reason_is_saved_and_audited(
    settings: Any, seeded: Meeting, coordinator: User
) -> None:
    settings.CONSULTATIONS_MIN_ROUND_DAYS = 10
    round_ = services.round_create(
        actor=coordinator, short_duration_reason="Pilne.", **_fields(seeded, 8)
    )
    assert round_.is_short
    assert AuditEntry.objects.filter(action="round.short_duration", data__round=round_.pk).exists()


def test_help_texts_and_pages_follow_the_setting(
    settings: Any, seeded: Meeting, coordinator: User, as_user: Login
) -> None:
    settings.CONSULTATIONS_MIN_ROUND_DAYS = 10
    field = RoundForm().fields["short_duration_reason"]
    with translation.override("en"):
        assert str(field.label) == "Reason for a round shorter than 10 days"
        assert "shorter than 10 days" in str(field.help_text)
    with translation.override("pl"):
        assert "10 dni" in str(field.help_text)
    page = as_user(coordinator).get("/consultations/new/").content.decode()
    assert "A round lasts at least 10 days." in page
    assert "7 days" not in page
    round_ = services.round_create(
        actor=coordinator, short_duration_reason="Pilne.", **_fields(seeded, 8)
    )
    Round.objects.filter(pk=round_.pk).update(status=Phase.ANNOUNCED)
    page = as_user(None).get(round_.get_absolute_url()).content.decode()
    assert "Why shorter than 10 days" in page


def test_the_legal_deadline_margin_follows_the_setting(
    settings: Any, seeded: Meeting, coordinator: User
) -> None:
    deadline = Programme.objects.get().legal_deadline
    closes = timezone.make_aware(dt.datetime.combine(deadline - dt.timedelta(days=20), dt.time(16)))
    fields = {**_fields(seeded, 10), "opens_at": closes - dt.timedelta(days=10)}
    round_ = services.round_create(actor=coordinator, **{**fields, "closes_at": closes})
    assert round_.days_before_legal_deadline == 20
    assert round_.leaves_too_little_time  # 30 by default
    settings.CONSULTATIONS_DAYS_BEFORE_LEGAL_DEADLINE = 14
    assert not round_.leaves_too_little_time


def test_the_notice_before_opening_follows_the_setting(
    settings: Any, make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    opens = timezone.now() + dt.timedelta(days=2)
    dates = {"opens_at": opens, "closes_at": opens + dt.timedelta(days=10)}
    client = as_user(coordinator)
    settings.CONSULTATIONS_MIN_NOTICE_DAYS = 1
    round_ = make_round(Phase.DRAFT, **dates)
    response = client.post(f"/consultations/{round_.pk}/step/announce/", CONFIRMED, follow=True)
    assert "before it opens" not in response.content.decode()
    settings.CONSULTATIONS_MIN_NOTICE_DAYS = 3
    other = make_round(Phase.DRAFT, **dates)
    response = client.post(f"/consultations/{other.pk}/step/announce/", CONFIRMED, follow=True)
    assert "at least 3 days before it opens" in response.content.decode()


def test_closing_before_opening_stays_a_database_constraint(
    seeded: Meeting, coordinator: User
) -> None:
    round_ = services.round_create(actor=coordinator, **_fields(seeded, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.filter(pk=round_.pk).update(closes_at=round_.opens_at)
