"""Kraków's numbers for a round's dates are settings, read by one place (consultations.rules):
change a setting and the warnings, the announce check and their messages all follow. What
makes a round impossible (closing before it opens) is one check asked through Round.clean(),
shared by the form and the services. Events and overrides: test_rules_krakow.py."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone, translation

from consultations import rules, services
from consultations.forms import RoundForm
from consultations.models import Round
from consultations.phases import Phase
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


def test_the_form_and_the_service_refuse_a_round_closing_before_it_opens_alike(
    seeded: Meeting, coordinator: User, as_user: Login
) -> None:
    with translation.override("en"):
        form = RoundForm(_post_data(seeded, -1))
        assert not form.is_valid()
        (message,) = form.errors["closes_at"]
        with pytest.raises(services.Refused) as refused:
            services.round_create(actor=coordinator, **_fields(seeded, -1))
    assert str(refused.value) == message
    response = as_user(coordinator).post("/consultations/new/", _post_data(seeded, -1))
    assert response.status_code == 400
    assert not Round.objects.filter(title="Runda").exists()


def test_the_minimum_length_follows_the_setting_both_ways(
    settings: Any, seeded: Meeting, coordinator: User
) -> None:
    settings.CONSULTATIONS_MIN_ROUND_DAYS = 3
    assert RoundForm(_post_data(seeded, 4)).is_valid()
    round_ = services.round_create(actor=coordinator, **_fields(seeded, 4))
    assert not round_.is_short
    with translation.override("en"):
        assert not any("days;" in str(m) for m in rules.round_shortfalls(round_))
        settings.CONSULTATIONS_MIN_ROUND_DAYS = 7
        assert round_.is_short
        assert any("at least 7 days" in str(m) for m in rules.round_shortfalls(round_))
    services.round_update(actor=coordinator, round_=round_, title="Zmieniona")  # a warning only


def test_the_page_follows_the_setting(
    settings: Any, seeded: Meeting, coordinator: User, as_user: Login
) -> None:
    settings.CONSULTATIONS_MIN_ROUND_DAYS = 10
    page = as_user(coordinator).get("/consultations/new/").content.decode()
    assert "A round lasts at least 10 days." in page
    assert "21 days" not in page


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
    announce = {**CONFIRMED, "override_reason": "Test."}
    response = client.post(f"/consultations/{round_.pk}/step/announce/", announce, follow=True)
    assert "before it opens" not in response.content.decode()
    settings.CONSULTATIONS_MIN_NOTICE_DAYS = 3
    other = make_round(Phase.DRAFT, **dates)
    response = client.post(f"/consultations/{other.pk}/step/announce/", announce, follow=True)
    assert "at least 3 days before it opens" in response.content.decode()


def test_closing_before_opening_stays_a_database_constraint(
    seeded: Meeting, coordinator: User
) -> None:
    round_ = services.round_create(actor=coordinator, **_fields(seeded, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.filter(pk=round_.pk).update(closes_at=round_.opens_at)


WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


@pytest.mark.parametrize(
    ("opens", "closes", "short"),
    [
        # The clocks move forward on 28 March 2027: 21 days on the calendar, 20 d 23 h elapsed.
        (dt.datetime(2027, 3, 8, tzinfo=WARSAW), dt.datetime(2027, 3, 29, tzinfo=WARSAW), False),
        # Back on 25 October 2026: 20 d 23 h 30 min on the calendar, 21 d 0 h 30 min elapsed.
        (
            dt.datetime(2026, 10, 4, 3, 30, tzinfo=WARSAW),
            dt.datetime(2026, 10, 25, 3, tzinfo=WARSAW),
            True,
        ),
        (dt.datetime(2026, 10, 4, tzinfo=WARSAW), dt.datetime(2026, 10, 25, tzinfo=WARSAW), False),
    ],
)
def test_the_minimum_length_counts_warsaws_days_across_a_change_of_the_clocks(
    seeded: Meeting, coordinator: User, opens: dt.datetime, closes: dt.datetime, short: bool
) -> None:
    """Kraków's rules count days: the same round is short, or not, whether its times come from
    the form (in Warsaw's zone) or from the database (UTC)."""
    opens_at, closes_at = opens, closes
    assert rules.is_short(opens_at, closes_at) is short
    fields = {**_fields(seeded, 0), "opens_at": opens_at, "closes_at": closes_at}
    round_ = services.round_create(actor=coordinator, **fields)
    stored = Round.objects.get(pk=round_.pk)
    assert stored.opens_at.utcoffset() == dt.timedelta(0)  # as the database gives it
    assert stored.is_short is short
    with translation.override("en"):
        found = any("days;" in str(m) for m in rules.round_shortfalls(stored, now=stored.opens_at))
    assert found is short
