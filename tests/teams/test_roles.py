"""Teams and roles on the portal's own pages: join requests, moderators, global roles."""

from __future__ import annotations

import pytest
from django.test import Client

from core.models import AuditEntry
from teams import permissions
from teams.models import Meeting, Membership, Organisation, Representation, Team, User

OTHERS = ["newcomer", "member", "expert", "official"]


@pytest.fixture
def team(seeded: Meeting) -> Team:
    return seeded.team


@pytest.fixture
def other_team(seeded: Meeting) -> Team:
    return Team.objects.get(slug="kultura")


@pytest.fixture
def join_request(newcomer: User, team: Team) -> Membership:
    return Membership.objects.create(user=newcomer, team=team)


def test_team_page_offers_a_logged_in_person_to_ask_to_join(
    en_client: Client, newcomer: User, team: Team
) -> None:
    en_client.force_login(newcomer)
    text = en_client.get(team.get_absolute_url()).content.decode()
    assert "Ask to join this team" in text
    response = en_client.post(f"/teams/{team.slug}/join/", follow=True)
    assert "You asked to join this team" in response.content.decode()
    membership = Membership.objects.get(user=newcomer, team=team)
    assert (membership.status, membership.role) == ("requested", "member")
    assert AuditEntry.objects.filter(action="membership.request", actor=newcomer).exists()
    assert permissions.is_team_member(newcomer, team.pk) is False


def test_asking_twice_creates_one_request(client: Client, newcomer: User, team: Team) -> None:
    client.force_login(newcomer)
    client.post(f"/teams/{team.slug}/join/")
    client.post(f"/teams/{team.slug}/join/")
    assert Membership.objects.filter(user=newcomer, team=team).count() == 1


def test_anonymous_visitor_is_asked_to_log_in_to_join(client: Client, team: Team) -> None:
    text = client.get(team.get_absolute_url()).content.decode()
    assert "Ask to join this team" not in text
    response = client.post(f"/teams/{team.slug}/join/")
    assert response["Location"].startswith("/accounts/login/")
    assert not Membership.objects.filter(status="requested").exists()


@pytest.mark.parametrize("decider", ["moderator", "coordinator"])
def test_moderator_or_coordinator_approves_a_join_request(
    client: Client, join_request: Membership, decider: str, request: pytest.FixtureRequest
) -> None:
    person = request.getfixturevalue(decider)
    client.force_login(person)
    page = client.get(f"/teams/{join_request.team.slug}/members/").content.decode()
    assert join_request.user.email in page
    client.post(f"/memberships/{join_request.pk}/decide/", {"decision": "approve"})
    join_request.refresh_from_db()
    assert join_request.status == Membership.Status.APPROVED
    assert join_request.decided_by == person
    assert join_request.decided_at is not None
    assert permissions.is_team_member(join_request.user, join_request.team_id)
    assert AuditEntry.objects.filter(action="membership.approve", actor=person).exists()


def test_moderator_rejects_a_join_request_with_a_reason(
    client: Client, moderator: User, join_request: Membership
) -> None:
    client.force_login(moderator)
    client.post(
        f"/memberships/{join_request.pk}/decide/", {"decision": "reject", "reason": "Not a NGO"}
    )
    join_request.refresh_from_db()
    assert join_request.status == Membership.Status.REJECTED
    assert AuditEntry.objects.get(action="membership.reject").reason == "Not a NGO"
    assert permissions.can_request_membership(join_request.user, join_request.team_id)


@pytest.mark.parametrize("persona", OTHERS)
def test_others_cannot_see_or_decide_join_requests(
    client: Client, join_request: Membership, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/teams/{join_request.team.slug}/members/").status_code == 404
    response = client.post(f"/memberships/{join_request.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 404
    join_request.refresh_from_db()
    assert join_request.status == Membership.Status.REQUESTED


def test_moderator_of_another_team_cannot_decide(
    client: Client, moderator: User, other_team: Team, newcomer: User
) -> None:
    elsewhere = Membership.objects.create(user=newcomer, team=other_team)
    client.force_login(moderator)
    assert (
        client.post(f"/memberships/{elsewhere.pk}/decide/", {"decision": "approve"}).status_code
        == 404
    )
    assert client.get(f"/teams/{other_team.slug}/members/").status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Membership.Status.REQUESTED


def test_anonymous_visitor_cannot_decide(client: Client, join_request: Membership) -> None:
    response = client.post(f"/memberships/{join_request.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == Membership.Status.REQUESTED


def test_coordinator_creates_and_edits_a_team(
    en_client: Client, coordinator: User, seeded: Meeting
) -> None:
    en_client.force_login(coordinator)
    assert en_client.get("/coordination/teams/new/").status_code == 200
    response = en_client.post(
        "/coordination/teams/new/",
        {"name": "ds.  seniorów ", "slug": "seniorzy", "description": "", "position": 8},
    )
    team = Team.objects.get(slug="seniorzy")
    assert response["Location"] == "/teams/seniorzy/"
    assert team.name == "ds. seniorów"
    assert team.programme == seeded.team.programme
    en_client.post(
        "/teams/seniorzy/edit/",
        {
            "name": "ds. osób starszych",
            "slug": "seniorzy",
            "other_names": "ds. seniorów",
            "position": 8,
        },
    )
    team.refresh_from_db()
    assert (team.name, team.other_names) == ("ds. osób starszych", "ds. seniorów")
    assert AuditEntry.objects.filter(action__in=["team.create", "team.update"]).count() == 2
    # The audit says what the team was called before the edit (the edit form had already
    # written the new values onto the object it was given).
    update = AuditEntry.objects.get(action="team.update")
    assert update.data["before"]["name"] == "ds. seniorów"


def test_team_with_empty_name_or_taken_slug_is_refused(
    en_client: Client, coordinator: User, team: Team
) -> None:
    en_client.force_login(coordinator)
    before = Team.objects.count()
    response = en_client.post(
        "/coordination/teams/new/", {"name": "", "slug": team.slug, "position": 1}
    )
    text = response.content.decode()
    assert "This field is required." in text
    assert "Branch team with this Slug already exists." in text
    assert Team.objects.count() == before


@pytest.mark.parametrize("persona", ["newcomer", "member", "moderator", "expert", "official"])
def test_only_coordinators_manage_teams_and_moderators(
    client: Client, team: Team, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/coordination/teams/new/").status_code == 404
    response = client.post("/coordination/teams/new/", {"name": "x", "slug": "x", "position": 1})
    assert response.status_code == 404
    assert client.post(f"/teams/{team.slug}/edit/", {"name": "x", "slug": "x"}).status_code == 404
    response = client.post(f"/teams/{team.slug}/moderators/", {"email": "ngo@example.org"})
    assert response.status_code == 404
    moderation = Membership.objects.get(team=team, role="moderator")
    assert client.post(f"/memberships/{moderation.pk}/remove-moderator/").status_code == 404
    assert not Team.objects.filter(slug="x").exists()
    assert Membership.objects.get(pk=moderation.pk).role == "moderator"


def test_coordinator_appoints_and_removes_a_moderator(
    client: Client, coordinator: User, newcomer: User, other_team: Team
) -> None:
    client.force_login(coordinator)
    client.post(f"/teams/{other_team.slug}/moderators/", {"email": newcomer.email.upper()})
    membership = Membership.objects.get(user=newcomer, team=other_team)
    assert (membership.role, membership.status) == ("moderator", "approved")
    assert permissions.is_team_moderator(newcomer, other_team.pk)

    client.post(f"/memberships/{membership.pk}/remove-moderator/")
    membership.refresh_from_db()
    assert (membership.role, membership.status) == ("member", "approved")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"membership.appoint_moderator", "membership.remove_moderator"} <= actions


def test_appointing_an_unknown_address_is_refused(
    en_client: Client, coordinator: User, other_team: Team
) -> None:
    en_client.force_login(coordinator)
    response = en_client.post(
        f"/teams/{other_team.slug}/moderators/", {"email": "ghost@example.org"}, follow=True
    )
    assert "No active account uses this e-mail address." in response.content.decode()
    assert not other_team.memberships.exists()


def test_coordinator_grants_and_withdraws_global_roles(
    client: Client, coordinator: User, newcomer: User
) -> None:
    client.force_login(coordinator)
    assert newcomer.email in client.get("/coordination/people/", {"q": "nowy"}).content.decode()
    client.post(f"/coordination/people/{newcomer.pk}/roles/", {"is_expert": "on"})
    newcomer.refresh_from_db()
    assert (newcomer.is_expert, newcomer.is_official) == (True, False)
    assert permissions.can_contribute(newcomer)
    client.post(f"/coordination/people/{newcomer.pk}/roles/", {"is_official": "on"})
    newcomer.refresh_from_db()
    assert (newcomer.is_expert, newcomer.is_official) == (False, True)
    assert AuditEntry.objects.filter(action="user.set_roles", actor=coordinator).count() == 2


@pytest.mark.parametrize("persona", ["newcomer", "member", "moderator", "expert", "official"])
def test_only_coordinators_grant_global_roles(
    client: Client, newcomer: User, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/coordination/people/").status_code == 404
    response = client.post(f"/coordination/people/{newcomer.pk}/roles/", {"is_expert": "on"})
    assert response.status_code == 404
    newcomer.refresh_from_db()
    assert newcomer.is_expert is False


def test_coordination_link_is_shown_to_coordinators_only(
    en_client: Client, coordinator: User, moderator: User
) -> None:
    en_client.force_login(moderator)
    assert 'href="/coordination/"' not in en_client.get("/").content.decode()
    en_client.force_login(coordinator)
    assert 'href="/coordination/"' in en_client.get("/").content.decode()


def test_moderator_sees_whether_the_requester_represents_an_organisation(
    en_client: Client, moderator: User, join_request: Membership
) -> None:
    en_client.force_login(moderator)
    url = f"/teams/{join_request.team.slug}/members/"
    assert "Represents no organisation yet." in en_client.get(url).content.decode()
    organisation = Organisation.objects.get(nip="8567346215")
    Representation.objects.create(user=join_request.user, organisation=organisation)
    text = en_client.get(url).content.decode()
    assert "Represents:" in text and "(awaiting approval)" in text


def test_htmx_decision_replaces_the_request_with_its_outcome(
    en_client: Client, moderator: User, join_request: Membership
) -> None:
    en_client.force_login(moderator)
    response = en_client.post(
        f"/memberships/{join_request.pk}/decide/",
        {"decision": "approve"},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert text.strip().startswith("<li") and '<span role="status">' in text
    assert f"{join_request.user.email} is now a member of the team." in text
    join_request.refresh_from_db()
    assert join_request.status == Membership.Status.APPROVED


def test_htmx_decision_with_bad_input_reloads_the_page_with_the_message(
    en_client: Client, moderator: User, join_request: Membership
) -> None:
    en_client.force_login(moderator)
    response = en_client.post(
        f"/memberships/{join_request.pk}/decide/",
        {"decision": "maybe"},
        headers={"HX-Request": "true"},
    )
    assert response.headers["HX-Redirect"] == f"/teams/{join_request.team.slug}/members/"
    page = en_client.get(response.headers["HX-Redirect"]).content.decode()
    assert "Select a valid choice. maybe is not one of the available choices." in page
    join_request.refresh_from_db()
    assert join_request.status == Membership.Status.REQUESTED


def test_team_page_offers_planning_to_its_moderator_only(
    en_client: Client, moderator: User, member: User, team: Team
) -> None:
    plan = f'href="/teams/{team.slug}/meetings/new/"'
    en_client.force_login(member)
    assert plan not in en_client.get(team.get_absolute_url()).content.decode()
    en_client.force_login(moderator)
    assert plan in en_client.get(team.get_absolute_url()).content.decode()
