"""The predicates for accounts, organisations and roles, for every role, allowed and refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from teams import permissions
from teams.models import Meeting, Membership, Organisation, Team, User

ROLES = ["anonymous", "newcomer", "member", "moderator", "coordinator", "expert", "official"]


@pytest.fixture
def person(request: pytest.FixtureRequest, seeded: Meeting) -> User | AnonymousUser:
    if request.param == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(request.param)


def expect(allowed: set[str]) -> list[tuple[str, bool]]:
    return [(role, role in allowed) for role in ROLES]


def _parametrize(allowed: set[str]):  # noqa: ANN202
    return pytest.mark.parametrize(("person", "expected"), expect(allowed), indirect=["person"])


@_parametrize({"coordinator"})
def test_coordinator_only_predicates(person: User | AnonymousUser, expected: bool) -> None:
    assert permissions.can_manage_teams(person) is expected
    assert permissions.can_manage_people(person) is expected
    assert permissions.can_verify_organisation(person) is expected
    assert permissions.can_decide_representation(person) is expected
    assert permissions.can_view_coordination(person) is expected


@_parametrize({"moderator", "coordinator"})
def test_join_requests_of_the_team_are_decided_by_its_moderator_or_the_coordinating_team(
    person: User | AnonymousUser, expected: bool, seeded: Meeting
) -> None:
    assert permissions.can_decide_membership(person, seeded.team_id) is expected


@_parametrize({"coordinator"})
def test_join_requests_of_another_team_only_the_coordinating_team(
    person: User | AnonymousUser, expected: bool
) -> None:
    other = Team.objects.get(slug="kultura")
    assert permissions.can_decide_membership(person, other.pk) is expected


@_parametrize({"newcomer", "coordinator", "expert", "official"})
def test_asking_to_join_the_seeded_team(
    person: User | AnonymousUser, expected: bool, seeded: Meeting
) -> None:
    # member and moderator are in it already; anonymous must log in first.
    assert permissions.can_request_membership(person, seeded.team_id) is expected


@_parametrize({"newcomer", "member", "moderator", "coordinator", "expert", "official"})
def test_any_logged_in_person_registers_an_organisation_and_manages_their_account(
    person: User | AnonymousUser, expected: bool
) -> None:
    assert permissions.can_register_organisation(person) is expected
    assert permissions.can_manage_own_account(person) is expected


@_parametrize({"newcomer", "moderator", "coordinator", "expert", "official"})
def test_asking_to_represent_the_demo_organisation(
    person: User | AnonymousUser, expected: bool
) -> None:
    demo = Organisation.objects.get(nip="8567346215")
    # member represents it already.
    assert permissions.can_request_representation(person, demo) is expected


@_parametrize({"member", "coordinator", "expert", "official"})
def test_who_can_contribute(person: User | AnonymousUser, expected: bool) -> None:
    # The seeded moderator represents no organisation and holds no global role.
    assert permissions.can_contribute(person) is expected


@_parametrize(set(ROLES))
def test_verified_organisations_are_public(person: User | AnonymousUser, expected: bool) -> None:
    demo = Organisation.objects.get(nip="8567346215")
    assert permissions.can_view_organisation(person, demo) is expected


@_parametrize(set(ROLES) - {"anonymous"})
def test_unverified_organisations_are_seen_by_logged_in_people(
    person: User | AnonymousUser, expected: bool
) -> None:
    pending = Organisation.objects.create(name="Nowa", nip="5261040828")
    assert permissions.can_view_organisation(person, pending) is expected


def test_deactivated_coordinator_loses_every_power(coordinator: User, seeded: Meeting) -> None:
    coordinator.is_active = False
    assert not permissions.can_manage_teams(coordinator)
    assert not permissions.can_decide_membership(coordinator, seeded.team_id)
    assert not permissions.can_request_membership(coordinator, seeded.team_id)


def test_requested_membership_is_not_membership(newcomer: User, seeded: Meeting) -> None:
    Membership.objects.create(
        user=newcomer, team=seeded.team, role=Membership.Role.MODERATOR
    )  # requested, not approved
    assert not permissions.is_team_moderator(newcomer, seeded.team_id)
    assert not permissions.can_decide_membership(newcomer, seeded.team_id)
    assert not permissions.can_request_membership(newcomer, seeded.team_id)
