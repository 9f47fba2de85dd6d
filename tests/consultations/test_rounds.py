"""The coordinating team runs the lifecycle: draft → announced → open → closed → settled →
report published; the clock decides open and closed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from consultations import services
from consultations.models import Round
from consultations.phases import Phase, phase_at
from core.models import AuditEntry
from notifications.models import Outbox
from notifications.outbox import outbox_sweep
from teams.models import Meeting, User
from tests.confirm import CONFIRMED

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def test_the_clock_decides_open_and_closed_to_the_second() -> None:
    opens = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    closes = opens + dt.timedelta(days=7)
    second = dt.timedelta(seconds=1)

    def at(now: dt.datetime, status: str = Phase.ANNOUNCED) -> str:
        return phase_at(status=status, opens_at=opens, closes_at=closes, now=now)

    assert at(opens - second) == Phase.ANNOUNCED
    assert at(opens) == Phase.OPEN
    assert at(closes - second) == Phase.OPEN
    assert at(closes) == Phase.CLOSED
    assert at(opens, Phase.DRAFT) == Phase.DRAFT
    assert at(opens, Phase.CLOSED) == Phase.CLOSED


def test_a_coordinator_creates_edits_and_announces_a_round(
    coordinator: User, as_user: Login, seeded: Meeting
) -> None:
    client = as_user(coordinator)
    data = {
        "title": "Nowa runda",
        "meeting": seeded.pk,
        "goal": "Cel",
        "subject": "Przedmiot",
        "scope_and_forms": "Formularz",
        "responsible_office": "MOWIS",
        "contact": "mowis@example.org",
        "opens_at": "2030-09-01T08:00",
        "closes_at": "2030-09-22T16:00",
    }
    assert client.post("/consultations/new/", data).status_code == 302
    round_ = Round.objects.get(title="Nowa runda")
    assert round_.phase == Phase.DRAFT
    assert timezone.localtime(round_.closes_at).hour == 16  # entered as Warsaw time
    response = client.post(f"/consultations/{round_.pk}/edit/", {**data, "title": "Zmieniona"})
    assert response.status_code == 302
    # No open meeting nor other forms yet (tests/consultations/test_rules_krakow.py): a reason.
    announce = {**CONFIRMED, "override_reason": "Spotkania w kolejnej rundzie."}
    assert client.post(f"/consultations/{round_.pk}/step/announce/", announce).status_code == 302
    round_.refresh_from_db()
    assert (round_.title, round_.phase) == ("Zmieniona", Phase.ANNOUNCED)
    assert client.get(f"/consultations/{round_.pk}/edit/").status_code == 403
    assert set(
        AuditEntry.objects.filter(data__round=round_.pk).values_list("action", flat=True)
    ) >= {"round.create", "round.update", "round.announce"}


def test_a_round_must_close_after_it_opens(
    coordinator: User, as_user: Login, seeded: Meeting
) -> None:
    response = as_user(coordinator).post(
        "/consultations/new/",
        {
            "title": "Odwrócona",
            "meeting": seeded.pk,
            "goal": "Cel",
            "subject": "Przedmiot",
            "responsible_office": "MOWIS",
            "contact": "x",
            "opens_at": "2030-09-22T08:00",
            "closes_at": "2030-09-01T16:00",
        },
    )
    assert response.status_code == 400
    assert "must close after it opens" in response.content.decode()
    assert not Round.objects.filter(title="Odwrócona").exists()


def test_an_announced_round_opens_by_itself_when_its_time_comes(
    make_round: Callable[..., Round],
) -> None:
    round_ = make_round(Phase.ANNOUNCED)
    assert round_.phase == Phase.ANNOUNCED
    with time_machine.travel(round_.opens_at, tick=False):
        assert round_.phase == Phase.OPEN
    with time_machine.travel(round_.closes_at, tick=False):
        assert round_.phase == Phase.CLOSED


def test_the_coordinating_team_opens_early_and_closes_early(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.ANNOUNCED)
    client = as_user(coordinator)
    client.post(f"/consultations/{round_.pk}/step/open/", CONFIRMED)
    round_.refresh_from_db()
    assert round_.phase == Phase.OPEN
    announced = round_.closes_at
    confirm = client.get(f"/consultations/{round_.pk}/step/close/confirm/").content.decode()
    assert 'name="reason"' in confirm  # before the deadline: why
    refused = client.post(f"/consultations/{round_.pk}/step/close/", CONFIRMED)
    assert refused.status_code == 400 and 'name="reason"' in refused.content.decode()
    round_.refresh_from_db()
    assert round_.phase == Phase.OPEN
    client.post(
        f"/consultations/{round_.pk}/step/close/",
        {**CONFIRMED, "reason": "Rada Miasta zbiera się wcześniej."},
    )
    round_.refresh_from_db()
    assert round_.phase == Phase.CLOSED
    assert round_.closes_at <= timezone.now()
    assert round_.announced_closes_at == announced
    assert round_.early_close_reason == "Rada Miasta zbiera się wcześniej."
    entry = AuditEntry.objects.get(action="round.close", target_id=str(round_.pk))
    assert entry.reason == "Rada Miasta zbiera się wcześniej."
    assert entry.data["announced_closes_at"] == announced.isoformat()
    # The round page (and the report page, which shows the same announcement) says so.
    page = as_user(None).get(round_.get_absolute_url()).content.decode()
    assert "The round closed before its announced deadline" in page
    assert "Rada Miasta zbiera się wcześniej." in page
    # And so does the e-mail telling everyone the round closed.
    assert Outbox.objects.filter(kind="round_closed", subject_id=str(round_.pk)).exists()
    mail.outbox.clear()
    outbox_sweep()
    bodies = [m.body for m in mail.outbox if "Rada Miasta zbiera się wcześniej." in m.body]
    assert bodies and all(
        "It closed before its announced deadline" in body
        or "Zamknięto ją przed zapowiedzianym terminem" in body
        for body in bodies
    )


def test_closing_early_without_a_reason_is_refused_by_the_service(
    make_round: Callable[..., Round], coordinator: User
) -> None:
    round_ = make_round(Phase.OPEN)
    with pytest.raises(services.CloseReasonRequired):
        services.round_close(actor=coordinator, round_=round_, reason="  ")
    round_.refresh_from_db()
    assert round_.phase == Phase.OPEN and round_.announced_closes_at is None


@pytest.mark.parametrize("who", ["member", "moderator", "expert"])
def test_only_the_coordinating_team_moves_the_round_on(
    make_round: Callable[..., Round], as_user: Login, who: str, request: pytest.FixtureRequest
) -> None:
    round_ = make_round(Phase.OPEN)
    response = as_user(request.getfixturevalue(who)).post(
        f"/consultations/{round_.pk}/step/close/", CONFIRMED
    )
    assert response.status_code == 403
    round_.refresh_from_db()
    assert round_.phase == Phase.OPEN


def test_an_unknown_step_is_404(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.OPEN)
    assert (
        as_user(coordinator).post(f"/consultations/{round_.pk}/step/reopen/", CONFIRMED).status_code
        == 404
    )


def test_a_step_from_the_wrong_phase_is_refused_with_a_message(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.CLOSED)
    client = as_user(coordinator)
    client.cookies["django_language"] = "en"
    response = client.post(f"/consultations/{round_.pk}/step/publish/", CONFIRMED, follow=True)
    assert response.redirect_chain == [(round_.get_absolute_url(), 302)]
    assert "not in the right phase for this step any more" in response.content.decode()
    round_.refresh_from_db()
    assert round_.phase == Phase.CLOSED


def test_the_list_shows_announced_rounds_and_reports_but_drafts_only_to_coordinators(
    make_round: Callable[..., Round], coordinator: User, member: User, as_user: Login
) -> None:
    draft = make_round(Phase.DRAFT, title="Szkic rundy")
    make_round(Phase.OPEN, title="Otwarta runda")
    visitor = as_user(None).get("/consultations/").content.decode()
    assert "Otwarta runda" in visitor and "Szkic rundy" not in visitor
    assert "Szkic rundy" not in as_user(member).get("/consultations/").content.decode()
    assert draft.title in as_user(coordinator).get("/consultations/").content.decode()
    published = Round.objects.get(status=Phase.REPORT_PUBLISHED)  # the demo's settled round
    assert f"/consultations/{published.pk}/report/" in visitor


def test_announcing_less_than_7_days_before_opening_warns(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.DRAFT)  # opens tomorrow
    response = as_user(coordinator).post(
        f"/consultations/{round_.pk}/step/announce/",
        {**CONFIRMED, "override_reason": "Pilne."},
        follow=True,
    )
    assert "at least 7 days before it opens" in response.content.decode()
    round_.refresh_from_db()
    assert round_.phase == Phase.ANNOUNCED


def test_the_list_of_rounds_says_its_times_are_warsaw_time(
    open_round: Round, as_user: Callable[[User | None], Client]
) -> None:
    """A deadline to the minute must say whose minute it is, as the round's own page does."""
    body = as_user(None).get("/consultations/").content.decode()
    assert re.search(r"from .*? to .*? \(Warsaw time\)", body)
