"""Item 1 of issue 18: each action of the adopted programme is followed — its responsible
unit, partners, indicators with planned values per year, and each year's status, comment and
achieved values; officials and the coordinating team enter them, organisations propose,
the coordinating team decides; every change audited; bad input refused with nothing stored."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action
from core.models import AuditEntry
from implementation import selectors
from implementation.models import ActionPlan, ActionYear, Indicator, IndicatorValue, Proposal
from teams.models import Meeting, Organisation, Programme, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def _action(seeded: Meeting, number: int = 1) -> Action:
    return Action.objects.get(meeting=seeded, number=number)


def _plan_url(action: Action) -> str:
    return reverse("implementation:action", args=[action.pk])


def _year_url(action: Action, year: int) -> str:
    return reverse("implementation:action-year", args=[action.pk, year])


def _add_indicator(client: Client, action: Action, **planned: str) -> None:
    data = {"name": "Liczba szkoleń", "unit": "szt."}
    data.update({f"planned_{year[1:]}": value for year, value in planned.items()})
    response = client.post(reverse("implementation:indicator-add", args=[action.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_it_follows_the_18_actions_of_the_adopted_programme(adopted: Programme) -> None:
    assert len(selectors.followed_actions(adopted)) == 18


def test_nothing_is_followed_before_adoption(programme: Programme, as_user: Login) -> None:
    assert len(selectors.followed_actions(programme)) == 0
    action = Action.objects.filter(team__programme=programme).first()
    assert action is not None
    assert as_user(None).get(_plan_url(action)).status_code == 404


def test_it_records_unit_partners_indicators_and_a_year(
    adopted: Programme, seeded: Meeting, official: User, member_org: Organisation, as_user: Login
) -> None:
    client = as_user(official)
    action = _action(seeded)
    response = client.post(
        reverse("implementation:plan-edit", args=[action.pk]),
        {"responsible_unit": "Wydział Polityki Społecznej", "partners": [member_org.pk]},
    )
    assert response.status_code == 302
    _add_indicator(client, action, y2012="10", y2013="12")
    indicator = Indicator.objects.get(plan__action=action)
    response = client.post(
        _year_url(action, 2012),
        {
            "status": "in_progress",
            "comment": "Szkolenia trwają.",
            f"achieved_{indicator.pk}": "7",
            f"source_{indicator.pk}": "Sprawozdanie WPS",
        },
    )
    assert response.status_code == 302
    plan = ActionPlan.objects.get(action=action)
    assert plan.responsible_unit == "Wydział Polityki Społecznej"
    assert list(plan.partners.all()) == [member_org]
    value = IndicatorValue.objects.get(indicator=indicator, year=2012)
    assert (value.planned, value.achieved, value.source) == (
        Decimal(10),
        Decimal(7),
        "Sprawozdanie WPS",
    )
    assert ActionYear.objects.get(plan=plan, year=2012).status == "in_progress"
    page = as_user(None).get(_plan_url(action)).content.decode()
    assert "Wydział Polityki Społecznej" in page
    assert "Sprawozdanie WPS" in page
    recorded = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"action_plan.edit", "indicator.add", "action_year.save"} <= recorded


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"planned_2016": "3"}, None),  # no such field: a year outside the period is not offered
        ({"planned_2012": "-1"}, "cannot be negative"),
        ({"unit": ""}, "This field is required"),
    ],
)
def test_bad_indicators_are_refused_with_nothing_stored(
    adopted: Programme,
    seeded: Meeting,
    official: User,
    as_user: Login,
    fields: dict[str, str],
    message: str | None,
) -> None:
    action = _action(seeded)
    data = {"name": "Liczba szkoleń", "unit": "szt.", **fields}
    response = as_user(official).post(
        reverse("implementation:indicator-add", args=[action.pk]), data
    )
    if message is None:  # the extra field is ignored, the indicator saved without it
        assert not IndicatorValue.objects.filter(year=2016).exists()
        return
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Indicator.objects.exists()


def test_a_year_outside_the_period_is_refused(
    adopted: Programme, seeded: Meeting, official: User, as_user: Login
) -> None:
    action = _action(seeded)
    response = as_user(official).post(_year_url(action, 2016), {"status": "done"})
    assert response.status_code == 404
    assert not ActionYear.objects.exists()


@pytest.mark.parametrize(
    ("achieved", "source", "message"),
    [
        ("-3", "Sprawozdanie", "cannot be negative"),
        ("3", "", "needs its source"),
    ],
)
def test_bad_achieved_values_are_refused_with_nothing_stored(
    adopted: Programme,
    seeded: Meeting,
    official: User,
    as_user: Login,
    achieved: str,
    source: str,
    message: str,
) -> None:
    client = as_user(official)
    action = _action(seeded)
    _add_indicator(client, action, y2012="10")
    indicator = Indicator.objects.get()
    response = client.post(
        _year_url(action, 2012),
        {
            "status": "done",
            f"achieved_{indicator.pk}": achieved,
            f"source_{indicator.pk}": source,
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ActionYear.objects.exists()
    assert IndicatorValue.objects.get().achieved is None


def test_people_without_the_role_cannot_enter(
    adopted: Programme, seeded: Meeting, member: User, expert: User, as_user: Login
) -> None:
    action = _action(seeded)
    for user in (member, expert):
        client = as_user(user)
        assert client.post(_year_url(action, 2012), {"status": "done"}).status_code == 403
        response = client.post(
            reverse("implementation:plan-edit", args=[action.pk]), {"responsible_unit": "X"}
        )
        assert response.status_code == 403
    response = as_user(None).post(_year_url(action, 2012), {"status": "done"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not ActionYear.objects.exists()
    assert not ActionPlan.objects.exclude(responsible_unit="").exists()


def test_an_organisation_proposes_and_the_coordinating_team_decides(
    adopted: Programme,
    seeded: Meeting,
    member: User,
    member_org: Organisation,
    coordinator: User,
    official: User,
    as_user: Login,
) -> None:
    action = _action(seeded, 2)
    _add_indicator(as_user(official), action, y2013="5")
    indicator = Indicator.objects.get()
    propose = reverse("implementation:proposal-add", args=[action.pk, 2013])
    response = as_user(member).post(
        propose,
        {
            "organisation": member_org.pk,
            "status": "done",
            "comment": "Zrobione",
            f"achieved_{indicator.pk}": "5",
            f"source_{indicator.pk}": "Lista obecności",
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert not ActionYear.objects.exists()  # nothing applied until decided
    decide = reverse("implementation:proposal-decide", args=[proposal.pk])
    # An official enters values but does not decide proposals; a rejection needs a reason.
    assert as_user(official).post(decide, {"decision": "accept"}).status_code == 403
    response = as_user(coordinator).post(decide, {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert "reason" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.PENDING
    response = as_user(coordinator).post(decide, {"decision": "accept"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.ACCEPTED
    year = ActionYear.objects.get()
    assert (year.year, year.status, year.comment) == (2013, "done", "Zrobione")
    value = IndicatorValue.objects.get(year=2013)
    assert (value.achieved, value.source) == (Decimal(5), "Lista obecności")
    # Decided once.
    assert as_user(coordinator).post(decide, {"decision": "accept"}).status_code == 409
    recorded = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"proposal.submit", "proposal.accept"} <= recorded


def test_an_organisation_can_only_propose_for_itself(
    adopted: Programme,
    seeded: Meeting,
    member: User,
    other_rep: User,
    member_org: Organisation,
    as_user: Login,
) -> None:
    action = _action(seeded, 2)
    propose = reverse("implementation:proposal-add", args=[action.pk, 2013])
    response = as_user(other_rep).post(propose, {"organisation": member_org.pk, "status": "done"})
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_a_rejection_keeps_its_reason(
    adopted: Programme,
    seeded: Meeting,
    member: User,
    member_org: Organisation,
    coordinator: User,
    as_user: Login,
) -> None:
    action = _action(seeded, 3)
    as_user(member).post(
        reverse("implementation:proposal-add", args=[action.pk, 2012]),
        {"organisation": member_org.pk, "status": "abandoned", "comment": "?"},
    )
    proposal = Proposal.objects.get()
    response = as_user(coordinator).post(
        reverse("implementation:proposal-decide", args=[proposal.pk]),
        {"decision": "reject", "reason": "Brak potwierdzenia w dokumentach."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.REJECTED
    assert proposal.reason == "Brak potwierdzenia w dokumentach."
    assert not ActionYear.objects.exists()


def test_the_demo_data_invents_nothing_and_shows_empty_forms(
    adopted: Programme, seeded: Meeting, official: User, as_user: Login
) -> None:
    assert not ActionPlan.objects.exists()
    assert not Proposal.objects.exists()
    client = as_user(official)
    page = client.get(reverse("implementation:programme", args=[adopted.pk])).content.decode()
    assert page.count('href="/implementation/actions/') == 18
    action = _action(seeded)
    page = client.get(_plan_url(action)).content.decode()
    assert "Not entered yet." in page and "No indicators entered yet." in page
    form = client.get(_year_url(action, 2012)).content.decode()
    assert 'name="status"' in form and "selected" not in form.split('name="status"')[1][:400]


def test_an_unadopted_programme_says_so(programme: Programme, as_user: Login) -> None:
    page = as_user(None).get(reverse("implementation:programme", args=[programme.pk]))
    assert page.status_code == 200
    assert "not adopted yet" in page.content.decode()


def test_an_indicator_is_corrected_and_the_change_audited(
    adopted: Programme, seeded: Meeting, official: User, member: User, as_user: Login
) -> None:
    client = as_user(official)
    action = _action(seeded, 5)
    _add_indicator(client, action, y2012="10", y2013="12")
    indicator = Indicator.objects.get()
    url = reverse("implementation:indicator-edit", args=[indicator.pk])
    assert as_user(member).post(url, {"name": "X", "unit": "y"}).status_code == 403
    form = client.get(url).content.decode()
    assert 'value="Liczba szkoleń"' in form and 'value="12' in form
    response = client.post(
        url, {"name": "Liczba szkoleń stacjonarnych", "unit": "szkolenia", "planned_2013": "15"}
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.unit) == ("Liczba szkoleń stacjonarnych", "szkolenia")
    planned = dict(indicator.values.values_list("year", "planned"))
    assert planned == {2012: None, 2013: Decimal(15)}
    entry = AuditEntry.objects.get(action="indicator.edit")
    assert entry.data["before"]["name"] == "Liczba szkoleń"
    response = client.post(url, {"name": "Liczba", "unit": "", "planned_2013": "-1"})
    assert response.status_code == 400
    indicator.refresh_from_db()
    assert indicator.unit == "szkolenia"


def test_the_demo_once_adopted_offers_every_form_empty_with_nothing_invented(
    adopted: Programme, official: User, as_user: Login
) -> None:
    """The demo data (what ``seed_demo`` loads) holds no follow-up: once the coordinating team
    records the adoption (the demo's seeds hold no resolution, so the demo does not invent
    one), an official finds each action's forms there and empty."""
    assert not ActionPlan.objects.exists()
    assert not Indicator.objects.exists()
    assert not ActionYear.objects.exists()
    action = Action.objects.filter(team__programme=adopted).order_by("number").first()
    assert action is not None
    client = as_user(official)
    year = adopted.period_start
    for url in (
        reverse("implementation:plan-edit", args=[action.pk]),
        reverse("implementation:action-year", args=[action.pk, year]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        form = response.context["form"]
        assert not any(value for value in form.initial.values()), url
    assert not ActionPlan.objects.exists()
