"""Every role in every meeting phase: the predicates of teams.meeting_permissions, and the
views that use them (allowed and refused), from the table in teams.meeting_phases."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from swot.models import SwotEntry
from teams import meeting_permissions as perms
from teams.models import Attendance, Meeting, Membership, User

from ..confirm import CONFIRMED
from ..swot.helpers import add_entry, make_meeting, other_moderator, outsider, topic_of

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "outsider",
    "member",
    "moderator",
    "other_team_moderator",
    "coordinator",
    "expert",
    "official",
]
PHASES = [s.value for s in Meeting.Status]
MODERATORS = {"moderator", "coordinator"}
PARTICIPANTS = {"member"}  # the demo moderator represents no organisation: moderates only

# predicate -> (roles allowed, phases in which they are allowed)
EXPECTED = {
    "can_plan_meeting": (MODERATORS, {"draft", "planned", "open"}),
    "can_advance_meeting": (MODERATORS, {"draft", "planned", "open", "closed"}),
    "can_register_attendance": (PARTICIPANTS, {"planned", "open"}),
    "can_mark_attendance": (MODERATORS, {"open", "closed"}),
    "can_add_entries": (MODERATORS | PARTICIPANTS, {"open"}),
    "can_moderate_entries": (MODERATORS, {"open", "closed"}),
    "can_join_speakers": (PARTICIPANTS, {"open"}),
    "can_run_live": (MODERATORS, {"open"}),
    "can_write_minutes": (MODERATORS, {"closed", "published"}),
    "can_publish_minutes": (MODERATORS, {"published"}),
    "can_view_minutes": (MODERATORS, {"closed", "published"}),
}


@pytest.fixture
def person(request: pytest.FixtureRequest, seeded: Meeting) -> User | AnonymousUser:
    role = request.param
    if role == "anonymous":
        return AnonymousUser()
    if role == "outsider":
        return outsider()
    if role == "other_team_moderator":
        return other_moderator()
    return request.getfixturevalue(role)


def expected(predicate: str, role: str, phase: str) -> bool:
    roles, phases = EXPECTED[predicate]
    return role in roles and phase in phases


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_predicates_follow_the_phase_table_for_every_role(
    request: pytest.FixtureRequest, person: User | AnonymousUser, phase: str, seeded: Meeting
) -> None:
    role = request.node.callspec.params["person"]
    meeting = make_meeting(seeded.team, status=phase, date=timezone.localdate())
    got = {name: getattr(perms, name)(person, meeting) for name in EXPECTED}
    want = {name: expected(name, role, phase) for name in EXPECTED}
    assert got == want
    visible = phase != "draft" and role in MODERATORS | PARTICIPANTS
    assert perms.can_view_workspace(person, meeting) == (visible or role in MODERATORS)
    results = phase == "published" or visible or role in MODERATORS
    assert perms.can_view_results(person, meeting) == results


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_views_allow_and_refuse_by_role_and_phase(
    request: pytest.FixtureRequest,
    client: Client,
    person: User | AnonymousUser,
    phase: str,
    seeded: Meeting,
) -> None:
    role = request.node.callspec.params["person"]
    meeting = make_meeting(seeded.team, status=phase, date=timezone.localdate())
    colleague = User.objects.create_user("colleague@example.org", "x")
    Membership.objects.create(user=colleague, team=seeded.team, status=Membership.Status.APPROVED)
    theirs = add_entry(meeting, colleague, "Wpis kolegi")
    duplicate = add_entry(meeting, colleague, "Wpis kolegi (duplikat)")
    if isinstance(person, User):
        client.force_login(person)
    topic = topic_of(meeting)
    prefix = f"topic-{topic.pk}"

    def refused(response) -> bool:  # noqa: ANN001
        if isinstance(person, AnonymousUser):
            if response.status_code == 403:  # a form with text: shown back to copy
                return "kept-text-1" in response.content.decode()
            return response.status_code == 302 and "/accounts/login/" in response["Location"]
        return response.status_code in (403, 404)

    # Workspace page.
    response = client.get(reverse("teams:meeting-workspace", args=[meeting.pk]))
    if perms.can_view_workspace(person, meeting):
        assert response.status_code == 200
    else:
        assert refused(response)

    # Add a SWOT entry.
    response = client.post(
        reverse("swot:entry-add", args=[topic.pk]),
        {f"{prefix}-quadrant": "W", f"{prefix}-text": "Nowy wpis"},
    )
    added = SwotEntry.objects.filter(text="Nowy wpis").exists()
    if expected("can_add_entries", role, phase):
        assert response.status_code == 302 and added
    else:
        assert refused(response) and not added

    # Edit someone else's entry: moderators only; for others it is as if it did not exist.
    response = client.post(
        reverse("swot:entry-edit", args=[theirs.pk]),
        {"quadrant": "S", "text": "Poprawione", "version": theirs.version},
    )
    theirs.refresh_from_db()
    if expected("can_moderate_entries", role, phase):
        assert response.status_code == 302 and theirs.text == "Poprawione"
    else:
        assert refused(response) and theirs.text == "Wpis kolegi"
        if not isinstance(person, AnonymousUser):
            assert response.status_code == 404

    # Merge.
    response = client.post(
        reverse("swot:entry-merge", args=[duplicate.pk]),
        {"into": theirs.pk, "version": duplicate.version},
    )
    duplicate.refresh_from_db()
    assert (duplicate.merged_into_id == theirs.pk) == expected("can_moderate_entries", role, phase)
    if duplicate.merged_into_id is None:
        assert refused(response)

    # Add an action.
    response = client.post(
        reverse("actions:action-add", args=[meeting.pk]), {"action-text": "Działanie"}
    )
    exists = Action.objects.filter(meeting=meeting).exists()
    assert exists == expected("can_add_entries", role, phase)
    if not exists:
        assert refused(response)

    # Register attendance.
    response = client.post(reverse("teams:attendance-toggle", args=[meeting.pk]), {"register": "1"})
    registered = Attendance.objects.filter(meeting=meeting).exists()
    assert registered == expected("can_register_attendance", role, phase)
    if not registered:
        assert refused(response)

    # Move to the next phase.
    response = client.post(
        reverse("teams:meeting-advance", args=[meeting.pk]), {**CONFIRMED, "status": phase}
    )
    moved = Meeting.objects.get(pk=meeting.pk).status != phase
    assert moved == expected("can_advance_meeting", role, phase)
    if not moved and perms.can_moderate_meeting(person, meeting):
        # A moderator whose meeting has no step left is told so on the workspace.
        assert response["Location"] == reverse("teams:meeting-workspace", args=[meeting.pk])
    elif not moved:
        assert refused(response)


def test_someone_elses_entry_is_refused_like_a_missing_one(
    client: Client, member: User, moderator: User, seeded: Meeting
) -> None:
    meeting = make_meeting(seeded.team)
    theirs = add_entry(meeting, moderator, "Wpis moderatora")
    client.force_login(member)
    for name in ["swot:entry-edit", "swot:entry-merge"]:
        other = client.get(reverse(name, args=[theirs.pk]))
        missing = client.get(reverse(name, args=[999999]))
        assert other.status_code == missing.status_code == 404
    mine = add_entry(meeting, member, "Mój wpis")
    assert client.get(reverse("swot:entry-edit", args=[mine.pk])).status_code == 200
    # A member edits their own entry but may not merge it.
    assert client.get(reverse("swot:entry-merge", args=[mine.pk])).status_code == 404


@pytest.mark.parametrize("phase", ["closed", "published"])
def test_a_member_cannot_edit_their_own_entry_after_the_workspace_closes(
    client: Client, member: User, seeded: Meeting, phase: str
) -> None:
    meeting = make_meeting(seeded.team)
    mine = add_entry(meeting, member, "Mój wpis")
    Meeting.objects.filter(pk=meeting.pk).update(status=phase)
    client.force_login(member)
    response = client.post(
        reverse("swot:entry-edit", args=[mine.pk]),
        {"quadrant": "S", "text": "Zmiana", "version": mine.version},
    )
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.text == "Mój wpis"


def test_nobody_changes_anything_once_results_are_published(
    client: Client, coordinator: User, seeded: Meeting
) -> None:
    meeting = make_meeting(seeded.team, status=Meeting.Status.PUBLISHED)
    entry = add_entry(meeting, coordinator, "Opublikowany")
    client.force_login(coordinator)
    urls = [
        (reverse("swot:entry-edit", args=[entry.pk]), {"quadrant": "S", "text": "X", "version": 1}),
        (reverse("swot:entry-move", args=[entry.pk]), {"direction": "up"}),
        (reverse("teams:meeting-edit", args=[meeting.pk]), {"title": "X"}),
        (reverse("actions:goal-add", args=[meeting.pk]), {"goal-title": "X"}),
    ]
    for url, data in urls:
        assert client.post(url, data).status_code in (403, 404), url
    entry.refresh_from_db()
    assert entry.text == "Opublikowany"
    assert not meeting.goals.exists()
