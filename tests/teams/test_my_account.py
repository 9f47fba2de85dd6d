"""My account: the status, the profile, the data download and the deletion (RODO)."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from actions.models import Action, Goal
from consultations.models import Comment, Round
from core.models import AuditEntry
from swot.models import SwotEntry
from teams.models import Meeting, Membership, Organisation, Representation, Speaker, User

from .conftest import PASSWORD


@pytest.fixture
def contributions(member: User, seeded: Meeting) -> dict[str, object]:
    organisation = member.representations.get().organisation
    entry = SwotEntry.objects.create(
        topic=seeded.swot_topics.first(),
        quadrant="S",
        text="Silne organizacje",
        author=member,
        organisation=organisation,
    )
    goal = Goal.objects.create(
        team=seeded.team, number=99, title="Cel testowy", author=member, organisation=organisation
    )
    action = Action.objects.create(
        team=seeded.team,
        meeting=seeded,
        number=99,
        text="Działanie testowe",
        author=member,
        organisation=organisation,
    )
    return {"entry": entry, "goal": goal, "action": action, "organisation": organisation}


def test_account_page_requires_log_in(client: Client, seeded: Meeting) -> None:
    response = client.get("/my-account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_newcomer_is_told_they_cannot_contribute_yet_and_what_to_do(
    en_client: Client, newcomer: User
) -> None:
    en_client.force_login(newcomer)
    text = en_client.get("/my-account/").content.decode()
    assert "Not yet. You can read everything. To contribute, register your organisation" in text
    assert 'href="/organisations/new/"' in text


def test_pending_representative_sees_the_waiting_status(en_client: Client, newcomer: User) -> None:
    organisation = Organisation.objects.create(name="Fundacja X", nip="5261040828")
    Representation.objects.create(user=newcomer, organisation=organisation)
    en_client.force_login(newcomer)
    text = en_client.get("/my-account/").content.decode()
    assert "once the coordinating team has verified your organisation" in text
    assert "awaiting approval" in text
    assert "organisation awaiting verification" in text


def test_approved_member_sees_they_can_contribute(en_client: Client, member: User) -> None:
    en_client.force_login(member)
    text = en_client.get("/my-account/").content.decode()
    assert "Yes. This is what you can do now:" in text
    assert "Razem w Krakowie" in text


def test_profile_edit_changes_name_and_consent_and_shows_the_clause(
    en_client: Client, newcomer: User
) -> None:
    en_client.force_login(newcomer)
    assert (
        "The controller of your personal data"
        in en_client.get("/my-account/edit/").content.decode()
    )
    en_client.post(
        "/my-account/edit/",
        {
            "first_name": "Jan",
            "last_name": "Kowalski",
            "show_name_publicly": "on",
            "language": "en",
        },
    )
    newcomer.refresh_from_db()
    assert (newcomer.get_full_name(), newcomer.show_name_publicly) == ("Jan Kowalski", True)


def test_over_long_name_is_refused_and_nothing_saved(en_client: Client, newcomer: User) -> None:
    en_client.force_login(newcomer)
    response = en_client.post(
        "/my-account/edit/", {"first_name": "J" * 151, "last_name": "", "language": "pl"}
    )
    assert "Ensure this value has at most 150 characters (it has 151)." in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.first_name == ""


def test_data_download_holds_account_organisations_teams_and_contributions(
    client: Client, member: User, contributions: dict[str, object]
) -> None:
    client.force_login(member)
    response = client.get("/my-account/data.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]  # personal data: kept by no cache
    data = json.loads(response.content)
    assert data["account"]["email"] == member.email
    assert data["account"]["first_name"] == member.first_name
    assert data["email_addresses"] == [{"email": member.email, "verified": True, "primary": True}]
    assert [r["organisation"] for r in data["representations"]] == [
        contributions["organisation"].name  # type: ignore[attr-defined]
    ]
    assert data["memberships"][0]["status"] == "approved"
    assert [e["text"] for e in data["swot_entries"]] == ["Silne organizacje"]
    assert [g["title"] for g in data["goals"]] == ["Cel testowy"]
    assert [a["text"] for a in data["actions"]] == ["Działanie testowe"]


def test_data_download_holds_only_ones_own_data(
    client: Client, newcomer: User, contributions: dict[str, object]
) -> None:
    client.force_login(newcomer)
    data = json.loads(client.get("/my-account/data.json").content)
    assert data["account"]["email"] == newcomer.email
    assert data["swot_entries"] == data["goals"] == data["actions"] == []
    assert data["consultation_comments"] == []
    assert data["representations"] == data["memberships"] == []


def test_anonymous_visitor_gets_no_data(client: Client, seeded: Meeting) -> None:
    assert client.get("/my-account/data.json").status_code == 302


def test_deleting_with_a_wrong_password_is_refused(en_client: Client, member: User) -> None:
    en_client.force_login(member)
    response = en_client.post("/my-account/delete/", {"password": "not-my-password"})
    assert "This is not your password. Your account was not deleted." in response.content.decode()
    member.refresh_from_db()
    assert member.is_active and member.email == "ngo@example.org"


def test_deleting_the_account_erases_personal_data_and_keeps_contributions(
    client: Client, member: User, seeded: Meeting, contributions: dict[str, object]
) -> None:
    speaker = Speaker.objects.create(meeting=seeded, user=member, name="Natalia", position=1)
    client.force_login(member)
    response = client.post("/my-account/delete/", {"password": "demo-krakow-2011"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session

    member.refresh_from_db()
    assert member.email == f"deleted-{member.pk}@invalid"
    assert (member.first_name, member.last_name) == ("", "")
    assert member.is_active is False
    assert member.has_usable_password() is False
    assert member.show_name_publicly is False
    assert not EmailAddress.objects.filter(user=member).exists()
    assert not Membership.objects.filter(user=member).exists()
    assert not Representation.objects.filter(user=member).exists()
    speaker.refresh_from_db()
    assert speaker.name != "Natalia"

    entry = SwotEntry.objects.get(pk=contributions["entry"].pk)  # type: ignore[attr-defined]
    assert entry.author == member
    assert entry.organisation == contributions["organisation"]
    assert Goal.objects.filter(pk=contributions["goal"].pk).exists()  # type: ignore[attr-defined]
    assert Action.objects.filter(pk=contributions["action"].pk).exists()  # type: ignore[attr-defined]
    audit = AuditEntry.objects.get(action="user.delete_account")
    assert "ngo@example.org" not in audit.target_repr
    assert audit.data["memberships"] == [seeded.team_id]


def test_deleted_person_cannot_log_in_and_the_address_can_sign_up_again(
    client: Client, member: User
) -> None:
    client.force_login(member)
    client.post("/my-account/delete/", {"password": "demo-krakow-2011"})
    client.post("/accounts/login/", {"login": "ngo@example.org", "password": "demo-krakow-2011"})
    assert "_auth_user_id" not in client.session
    client.post(
        "/accounts/signup/",
        {"email": "ngo@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert User.objects.filter(email="ngo@example.org", is_active=True).count() == 1


def test_moderator_sees_how_many_join_requests_wait(
    en_client: Client, moderator: User, newcomer: User, seeded: Meeting
) -> None:
    Membership.objects.create(user=newcomer, team=seeded.team)
    en_client.force_login(moderator)
    text = en_client.get("/my-account/").content.decode()
    assert "Members and requests (1 request waiting)" in text
    assert f'href="/teams/{seeded.team.slug}/members/"' in text


def test_data_download_holds_ones_consultation_comments(client: Client, member: User) -> None:
    consultation_round = Round.objects.order_by("pk").first()
    assert consultation_round is not None  # seed_demo makes demo rounds
    Comment.objects.create(
        round=consultation_round,
        author=member,
        organisation=member.representations.get().organisation,
        author_role="organisation",
        text="Uwaga testowa",
    )
    client.force_login(member)
    data = json.loads(client.get("/my-account/data.json").content)
    assert "Uwaga testowa" in [c["text"] for c in data["consultation_comments"]]
