"""A round's events (forms of consultation: open meetings, duty hours, written comments,
other), managed by the coordinating team on the round page while the round is not closed;
attendance recorded after the event. Shown to everyone on the round page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from consultations.models import Round, RoundEvent
from consultations.phases import Phase
from core.models import AuditEntry
from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
DAY = dt.timedelta(days=1)


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _data(round_: Round, **changes: Any) -> dict[str, Any]:
    starts = round_.opens_at + DAY
    data = {
        "kind": RoundEvent.Kind.OPEN_MEETING,
        "starts_at": _local(starts),
        "ends_at": _local(starts + dt.timedelta(hours=2)),
        "place": "Sala Obrad, pl. Wszystkich Świętych 3-4",
        "attendance": "",
    }
    return {**data, **changes}


def _event(round_: Round, **fields: Any) -> RoundEvent:
    starts = fields.pop("starts_at", round_.opens_at + DAY)
    return RoundEvent.objects.create(
        round=round_,
        kind=fields.pop("kind", RoundEvent.Kind.OPEN_MEETING),
        starts_at=starts,
        ends_at=fields.pop("ends_at", starts + dt.timedelta(hours=2)),
        place=fields.pop("place", "Sala Obrad"),
        **fields,
    )


def test_a_coordinator_adds_edits_and_deletes_an_event_shown_to_everyone(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.ANNOUNCED)
    client = as_user(coordinator)
    version = round_.version
    response = client.post(f"/consultations/{round_.pk}/events/new/", _data(round_))
    assert response.status_code == 302
    event = RoundEvent.objects.get(round=round_)
    round_.refresh_from_db()
    assert round_.version > version  # the cached round page is stale
    public = as_user(None).get(round_.get_absolute_url()).content.decode()
    assert "Sala Obrad, pl. Wszystkich Świętych 3-4" in public and "Open meeting" in public
    response = client.post(
        f"/consultations/events/{event.pk}/edit/", _data(round_, place="Pałac Wielopolskich")
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.place == "Pałac Wielopolskich"
    assert client.post(f"/consultations/events/{event.pk}/delete/").status_code == 302
    assert not RoundEvent.objects.filter(round=round_).exists()
    actions = set(AuditEntry.objects.filter(data__round=round_.pk).values_list("action", flat=True))
    assert {"round.event_add", "round.event_update", "round.event_delete"} <= actions


@pytest.mark.parametrize("who", ["member", "moderator", "expert"])
def test_only_the_coordinating_team_manages_events(
    make_round: Callable[..., Round],
    as_user: Login,
    who: str,
    request: pytest.FixtureRequest,
) -> None:
    round_ = make_round(Phase.ANNOUNCED)
    event = _event(round_)
    client = as_user(request.getfixturevalue(who))
    assert client.post(f"/consultations/{round_.pk}/events/new/", _data(round_)).status_code == 403
    edit = client.post(f"/consultations/events/{event.pk}/edit/", _data(round_, place="X"))
    assert edit.status_code == 403
    assert client.post(f"/consultations/events/{event.pk}/delete/").status_code == 403
    assert RoundEvent.objects.filter(round=round_).count() == 1
    event.refresh_from_db()
    assert event.place == "Sala Obrad"
    anonymous = as_user(None).post(
        f"/consultations/{round_.pk}/events/new/", _data(round_), HTTP_ORIGIN="http://testserver"
    )
    # Not logged in: nothing is stored, the typed texts come back (SessionEndedMiddleware).
    assert anonymous.status_code == 403 and "kept-text-1" in anonymous.content.decode()
    assert RoundEvent.objects.filter(round=round_).count() == 1


def test_a_closed_round_keeps_its_events_but_records_attendance_after_them(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.CLOSED)
    event = _event(round_)  # ended during the round
    client = as_user(coordinator)
    assert client.post(f"/consultations/{round_.pk}/events/new/", _data(round_)).status_code == 403
    assert client.post(f"/consultations/events/{event.pk}/delete/").status_code == 403
    response = client.post(
        f"/consultations/events/{event.pk}/edit/",
        _data(round_, place="Gdzie indziej", attendance="42"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.attendance, event.place) == (42, "Sala Obrad")
    public = as_user(None).get(round_.get_absolute_url()).content.decode()
    assert "42" in public


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends": -1}, "must end after it starts"),
        ({"before_round": True}, "within the round"),
        ({"attendance": "-3"}, "greater than or equal to 0"),
        ({"future_attendance": True}, "after the event"),
        ({"place": ""}, "This field is required"),
    ],
)
def test_bad_events_are_refused_with_a_message_and_nothing_is_stored(
    make_round: Callable[..., Round],
    coordinator: User,
    as_user: Login,
    changes: dict[str, Any],
    message: str,
) -> None:
    round_ = make_round(Phase.ANNOUNCED)
    starts = round_.opens_at + DAY
    data = _data(round_)
    if "ends" in changes:
        data["ends_at"] = _local(starts - dt.timedelta(hours=1))
    if "before_round" in changes:
        data["starts_at"] = _local(round_.opens_at - 3 * DAY)
        data["ends_at"] = _local(round_.opens_at - 3 * DAY + dt.timedelta(hours=1))
    if "attendance" in changes:
        data["attendance"] = changes["attendance"]
    if "future_attendance" in changes:
        data["attendance"] = "10"
    if "place" in changes:
        data["place"] = changes["place"]
    response = as_user(coordinator).post(f"/consultations/{round_.pk}/events/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RoundEvent.objects.exists()


def test_an_other_event_may_fall_before_the_round(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.ANNOUNCED)
    before = round_.opens_at - 3 * DAY
    data = _data(
        round_,
        kind=RoundEvent.Kind.OTHER,
        starts_at=_local(before),
        ends_at=_local(before + dt.timedelta(hours=1)),
    )
    assert (
        as_user(coordinator).post(f"/consultations/{round_.pk}/events/new/", data).status_code
        == 302
    )
