"""Goals and postulated actions: numbering, merging (kept on record), reordering, audit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from actions import services
from actions.models import Action, Goal
from core.errors import Refused
from core.models import AuditEntry
from teams.models import Meeting, Organisation, User

from ..swot.helpers import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(seeded: Meeting) -> Meeting:
    return make_meeting(seeded.team)


def test_actions_get_the_next_free_number_of_their_meeting(member: User, meeting: Meeting) -> None:
    first = services.action_add(actor=member, meeting=meeting, text="Pierwsze")
    second = services.action_add(actor=member, meeting=meeting, text="Drugie")
    assert (first.number, second.number) == (1, 2)
    assert first.organisation == Organisation.objects.get(nip="8567346215")
    assert first.team == meeting.team


def test_a_number_taken_meanwhile_is_retried(
    member: User, meeting: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.action_add(actor=member, meeting=meeting, text="Cudze")
    real_create = Action.objects.create
    calls = {"n": 0}

    def racing_create(**fields: object) -> Action:
        calls["n"] += 1
        if calls["n"] == 1:  # we read the maximum before someone else's insert committed
            fields["number"] = 1
        return real_create(**fields)

    monkeypatch.setattr(Action.objects, "create", racing_create)
    action = services.action_add(actor=member, meeting=meeting, text="Moje")
    assert action.number == 2
    assert calls["n"] == 2
    assert Action.objects.filter(meeting=meeting).count() == 2


def test_goal_numbers_continue_within_the_team(member: User, meeting: Meeting) -> None:
    Goal.objects.create(team=meeting.team, number=7, title="Starszy cel")
    goal = services.goal_add(actor=member, meeting=meeting, title="Nowy cel")
    assert goal.number == 8


def test_merging_a_goal_moves_its_actions_and_keeps_it_on_record(
    moderator: User, member: User, meeting: Meeting
) -> None:
    keep = services.goal_add(actor=member, meeting=meeting, title="Informacja")
    dup = services.goal_add(actor=member, meeting=meeting, title="Informowanie")
    action = services.action_add(actor=member, meeting=meeting, text="Portal", goal=dup)
    services.goal_merge(actor=moderator, goal=dup, into=keep, expected_version=1)
    dup.refresh_from_db()
    action.refresh_from_db()
    assert dup.merged_into == keep
    assert action.goal == keep
    entry = AuditEntry.objects.get(action="goal.merge")
    assert entry.actor == moderator and entry.data["moved_actions"] == [action.pk]


def test_a_merged_action_keeps_its_number_with_status_merged(
    moderator: User, member: User, meeting: Meeting
) -> None:
    a = services.action_add(actor=member, meeting=meeting, text="A")
    b = services.action_add(actor=member, meeting=meeting, text="A (powtórzone)")
    services.action_merge(actor=moderator, action=b, into=a, expected_version=1)
    b.refresh_from_db()
    assert (b.number, b.status, b.merged_into) == (2, Action.Status.MERGED, a)


def test_moving_an_action_swaps_numbers_with_its_neighbour(
    moderator: User, member: User, meeting: Meeting
) -> None:
    for text in ["A", "B", "C"]:
        services.action_add(actor=member, meeting=meeting, text=text)
    c = Action.objects.get(meeting=meeting, text="C")
    services.action_move(actor=moderator, action=c, direction="up")
    order = list(meeting.actions.order_by("number").values_list("text", flat=True))
    assert order == ["A", "C", "B"]
    first = Action.objects.get(meeting=meeting, text="A")
    services.action_move(actor=moderator, action=first, direction="up")  # already first
    assert list(meeting.actions.order_by("number").values_list("text", flat=True)) == order
    # Only the move that moved something is on record, as for SWOT entries and topics.
    assert AuditEntry.objects.filter(action="action.move").count() == 1


def test_a_goal_at_either_end_does_not_move_and_nothing_is_audited(
    moderator: User, member: User, meeting: Meeting
) -> None:
    first = services.goal_add(actor=member, meeting=meeting, title="Pierwszy")
    last = services.goal_add(actor=member, meeting=meeting, title="Drugi")
    services.goal_move(actor=moderator, goal=first, direction="up")
    services.goal_move(actor=moderator, goal=last, direction="down")
    assert not AuditEntry.objects.filter(action="goal.move").exists()
    services.goal_move(actor=moderator, goal=last, direction="up")
    assert list(meeting.goals.order_by("number").values_list("title", flat=True)) == [
        "Drugi",
        "Pierwszy",
    ]
    assert AuditEntry.objects.filter(action="goal.move").count() == 1


def test_services_refuse_a_frozen_meeting_even_from_a_stale_page(
    moderator: User, member: User, meeting: Meeting
) -> None:
    action = services.action_add(actor=member, meeting=meeting, text="A")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PUBLISHED)
    with pytest.raises(Refused):
        services.action_edit(
            actor=moderator, action=action, text="B", goal=None, expected_version=1
        )
    with pytest.raises(Refused):
        services.action_add(actor=member, meeting=meeting, text="C")
    action.refresh_from_db()
    assert action.text == "A"


def test_a_refusal_by_a_service_answers_403_and_saves_nothing(
    client: Client,
    moderator: User,
    member: User,
    meeting: Meeting,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page was loaded while the workspace was open; the meeting was published before the
    save: the view's own check is passed (the access helper read it open), the service refuses,
    and the person gets the same 403 as for any refused step."""
    action = services.action_add(actor=member, meeting=meeting, text="A")
    monkeypatch.setattr("actions.access.get_action_to_edit", lambda user, pk: action)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PUBLISHED)
    client.force_login(moderator)
    response = client.post(
        reverse("actions:action-edit", args=[action.pk]),
        {"text": "B", "goal": "", "version": action.version},
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.text == "A"


@pytest.mark.parametrize(
    ("status", "said"),
    [
        (Meeting.Status.PUBLISHED, "No goals were worked out at this meeting."),
        (Meeting.Status.CLOSED, "No goals have been worked out at this meeting yet."),
    ],
)
def test_a_published_meeting_without_goals_says_so_without_yet(
    client: Client, seeded: Meeting, moderator: User, status: str, said: str
) -> None:
    """Its results are final: "not yet" would promise more."""
    meeting = make_meeting(seeded.team, status=status)
    client.force_login(moderator)
    client.cookies["django_language"] = "en"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert said in page
