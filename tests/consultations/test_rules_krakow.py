"""Kraków's rules for a round (consultations.rules, one place): announced at least
CONSULTATIONS_MIN_NOTICE_DAYS before it opens, lasting at least CONSULTATIONS_MIN_ROUND_DAYS,
with at least CONSULTATIONS_MIN_FORMS forms of consultation including an open meeting.
Shortfalls are warnings; announcing despite them needs a reason, which is stored, audited and
shown in the report. The forms are the round's events (RoundEvent)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from consultations import rules, services
from consultations.models import Round, RoundEvent
from consultations.phases import Phase
from core.models import AuditEntry
from teams.models import Meeting, User
from tests.confirm import CONFIRMED

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
DAY = dt.timedelta(days=1)


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def good_round(make_round: Callable[..., Round]) -> Round:
    """Opens in 10 days, lasts 21 days, with an open meeting and a duty hour."""
    opens = timezone.now() + 10 * DAY
    round_ = make_round(Phase.DRAFT, opens_at=opens, closes_at=opens + 21 * DAY)
    for kind, day in ((RoundEvent.Kind.OPEN_MEETING, 2), (RoundEvent.Kind.DUTY_HOUR, 5)):
        RoundEvent.objects.create(
            round=round_,
            kind=kind,
            starts_at=opens + day * DAY,
            ends_at=opens + day * DAY + dt.timedelta(hours=2),
            place="Urząd Miasta Krakowa, pl. Wszystkich Świętych 3-4",
        )
    return round_


def test_a_round_that_keeps_the_rules_has_no_shortfall(good_round: Round) -> None:
    assert rules.round_shortfalls(good_round) == []


def test_each_shortfall_is_warned(make_round: Callable[..., Round]) -> None:
    round_ = make_round(Phase.DRAFT)  # opens tomorrow, lasts 9 days, no events
    with translation.override("en"):
        found = [str(m) for m in rules.round_shortfalls(round_)]
    assert len(found) == 4, found
    assert any("at least 7 days before it opens" in m for m in found)
    assert any("at least 21 days" in m for m in found)
    assert any("1 form of consultation" in m and "at least 3" in m for m in found)
    assert any("open meeting" in m for m in found)


def test_the_numbers_are_settings(settings: Any, make_round: Callable[..., Round]) -> None:
    settings.CONSULTATIONS_MIN_NOTICE_DAYS = 0
    settings.CONSULTATIONS_MIN_ROUND_DAYS = 5
    settings.CONSULTATIONS_MIN_FORMS = 1
    settings.CONSULTATIONS_REQUIRED_FORMS = []
    assert rules.round_shortfalls(make_round(Phase.DRAFT)) == []


def test_announcing_with_shortfalls_and_no_reason_is_refused(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.DRAFT)
    with pytest.raises(services.Refused):
        services.round_announce(actor=coordinator, round_=round_, override_reason="  ")
    response = as_user(coordinator).post(
        f"/consultations/{round_.pk}/step/announce/", {**CONFIRMED, "override_reason": ""}
    )
    assert response.status_code == 400  # the confirmation page again, asking for the reason
    page = response.content.decode()
    assert "Give the reason" in page and "at least 21 days" in page
    round_.refresh_from_db()
    assert round_.phase == Phase.DRAFT and round_.announced_at is None
    assert round_.rules_override_reason == ""
    assert not AuditEntry.objects.filter(data__round=round_.pk, action="round.announce").exists()


def test_an_override_reason_is_stored_audited_and_shown_in_the_report(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.DRAFT)
    response = as_user(coordinator).post(
        f"/consultations/{round_.pk}/step/announce/",
        {**CONFIRMED, "override_reason": "Termin ustawowy nie pozwala na dłuższe konsultacje."},
        follow=True,
    )
    assert "at least 21 days" in response.content.decode()  # the overridden shortfalls, warned
    round_.refresh_from_db()
    assert round_.phase == Phase.ANNOUNCED
    assert round_.rules_override_reason.startswith("Termin ustawowy")
    entry = AuditEntry.objects.get(data__round=round_.pk, action="round.rules_override")
    assert entry.reason.startswith("Termin ustawowy") and len(entry.data["shortfalls"]) == 4
    Round.objects.filter(pk=round_.pk).update(status=Phase.REPORT_PUBLISHED)
    report = as_user(None).get(f"/consultations/{round_.pk}/report/").content.decode()
    assert "Termin ustawowy nie pozwala" in report
    assert "Why the round departs from" in report


def test_a_round_that_keeps_the_rules_is_announced_without_a_reason(
    good_round: Round, coordinator: User
) -> None:
    services.round_announce(actor=coordinator, round_=good_round)
    good_round.refresh_from_db()
    assert good_round.phase == Phase.ANNOUNCED
    assert not AuditEntry.objects.filter(action="round.rules_override").exists()


def test_creating_a_short_round_warns_and_saves_it(
    seeded: Meeting, coordinator: User, as_user: Login
) -> None:
    opens = timezone.now() + 2 * DAY
    data = {
        "title": "Krótka runda",
        "meeting": seeded.pk,
        "goal": "Cel",
        "subject": "Przedmiot",
        "responsible_office": "MOWIS",
        "contact": "mowis@example.org",
        "opens_at": _local(opens),
        "closes_at": _local(opens + 8 * DAY),
    }
    response = as_user(coordinator).post("/consultations/new/", data, follow=True)
    page = response.content.decode()
    assert "at least 21 days" in page and "open meeting" in page
    assert Round.objects.filter(title="Krótka runda").exists()


def test_the_round_page_lists_shortfalls_to_the_coordinators_only(
    make_round: Callable[..., Round], coordinator: User, member: User, as_user: Login
) -> None:
    round_ = make_round(Phase.DRAFT)
    assert (
        "at least 21 days" in as_user(coordinator).get(round_.get_absolute_url()).content.decode()
    )
    Round.objects.filter(pk=round_.pk).update(status=Phase.ANNOUNCED)
    assert "at least 21 days" not in as_user(member).get(round_.get_absolute_url()).content.decode()


def test_a_reason_typed_in_the_round_form_is_enough_to_announce(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.DRAFT, rules_override_reason="Runda uzupełniająca.")
    as_user(coordinator).post(
        f"/consultations/{round_.pk}/step/announce/", {**CONFIRMED, "override_reason": ""}
    )
    round_.refresh_from_db()
    assert round_.phase == Phase.ANNOUNCED
    entry = AuditEntry.objects.get(data__round=round_.pk, action="round.rules_override")
    assert entry.reason == "Runda uzupełniająca."


def test_the_report_lists_the_forms_used_with_dates_places_and_attendance(
    good_round: Round, as_user: Login
) -> None:
    RoundEvent.objects.filter(round=good_round, kind=RoundEvent.Kind.OPEN_MEETING).update(
        attendance=37
    )
    Round.objects.filter(pk=good_round.pk).update(status=Phase.REPORT_PUBLISHED)
    report = as_user(None).get(f"/consultations/{good_round.pk}/report/").content.decode()
    assert "Open meeting" in report and "Expert duty hour" in report
    assert "Urząd Miasta Krakowa" in report and "37 people attended" in report


def test_a_round_whose_comment_period_is_over_is_not_announced_whatever_the_reason(
    make_round: Callable[..., Round], coordinator: User, as_user: Login, mailoutbox: list[Any]
) -> None:
    """Not a shortfall a reason may override: the confirmation page says so, the step is
    refused, nobody is e-mailed and the round stays a draft."""
    now = timezone.now()
    round_ = make_round(Phase.DRAFT, opens_at=now - 30 * DAY, closes_at=now - DAY)
    client = as_user(coordinator)
    with translation.override("en"):
        page = client.get(f"/consultations/{round_.pk}/step/announce/confirm/")
    assert "comment period is already over" in page.content.decode()
    response = client.post(
        f"/consultations/{round_.pk}/step/announce/",
        {**CONFIRMED, "override_reason": "Runda z przeszłości."},
        follow=True,
    )
    assert "comment period is already over" in response.content.decode()
    round_.refresh_from_db()
    assert round_.status == Phase.DRAFT and round_.announced_at is None
    assert not mailoutbox
    assert not AuditEntry.objects.filter(action="round.announce").exists()
    with pytest.raises(services.Refused, match="already over"):
        services.round_announce(actor=coordinator, round_=round_, override_reason="Powód.")
