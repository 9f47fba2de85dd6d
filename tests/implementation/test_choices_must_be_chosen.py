"""A year's status and a decision on a proposal are chosen, never assumed: their select opens
on an empty first choice, and a form sent without one is refused beside the field, with
nothing stored (an official who only typed the values used to record "not started", a
coordinator who only typed a reason, "accept")."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action
from implementation.models import ActionYear, Proposal
from teams.models import Meeting, Organisation, Programme, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


@pytest.fixture
def action(seeded: Meeting) -> Action:
    return Action.objects.get(meeting=seeded, number=4)


def _status_select(html: str) -> str:
    return html.split('name="status"')[1].split("</select>")[0]


def test_the_year_form_opens_on_an_empty_status(
    adopted: Programme, action: Action, official: User, as_user: Login
) -> None:
    html = (
        as_user(official)
        .get(reverse("implementation:action-year", args=[action.pk, 2013]))
        .content.decode()
    )
    select = _status_select(html)
    assert "required" in select.split(">")[0]
    first = select.split("<option")[1]
    assert 'value=""' in first and "selected" not in select


def test_a_year_without_its_status_is_refused_with_nothing_stored(
    adopted: Programme, action: Action, official: User, as_user: Login
) -> None:
    response = as_user(official).post(
        reverse("implementation:action-year", args=[action.pk, 2013]),
        {"status": "", "comment": "Tylko wartości"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["status"] == ["Choose the action's status in this year."]
    assert "Tylko wartości" in response.content.decode()
    assert not ActionYear.objects.exists()


def test_a_proposal_without_its_status_is_refused(
    adopted: Programme, action: Action, member: User, member_org: Organisation, as_user: Login
) -> None:
    response = as_user(member).post(
        reverse("implementation:proposal-add", args=[action.pk, 2013]),
        {"organisation": member_org.pk, "status": ""},
    )
    assert response.status_code == 400
    assert "Choose the action&#x27;s status in this year." in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_decision_must_be_chosen(
    adopted: Programme,
    action: Action,
    member: User,
    member_org: Organisation,
    coordinator: User,
    as_user: Login,
) -> None:
    as_user(member).post(
        reverse("implementation:proposal-add", args=[action.pk, 2013]),
        {"organisation": member_org.pk, "status": "done"},
    )
    proposal = Proposal.objects.get()
    client = as_user(coordinator)
    html = client.get(reverse("implementation:action", args=[action.pk])).content.decode()
    select = html.split('name="decision"')[1].split("</select>")[0]
    assert 'value=""' in select.split("<option")[1] and "selected" not in select
    response = client.post(
        reverse("implementation:proposal-decide", args=[proposal.pk]),
        {"decision": "", "reason": "Nie wiem"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["decision"] == ["Choose whether to accept or reject the proposal."]
    assert "reason" not in errors  # not told a rejection needs a reason: none was chosen
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.PENDING
    assert not ActionYear.objects.exists()
