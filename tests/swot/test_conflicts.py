"""Two moderators editing or merging the same entry at once: one wins, the other is told and
sees both texts; nothing is lost and nothing half-saved."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from actions import services as action_services
from actions.models import Action, Goal
from core.errors import ConflictError
from core.models import AuditEntry
from swot import services
from swot.models import SwotEntry
from teams.models import Meeting, User

from .helpers import add_entry, english, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(seeded: Meeting) -> Meeting:
    return make_meeting(seeded.team)


def test_the_second_of_two_concurrent_edits_gets_a_conflict_and_nothing_is_saved(
    client: Client, moderator: User, coordinator: User, member: User, meeting: Meeting
) -> None:
    entry = add_entry(meeting, member, "Tekst pierwotny")
    url = reverse("swot:entry-edit", args=[entry.pk])
    loaded_version = entry.version  # both moderators open the form now
    client.force_login(moderator)
    first = client.post(
        url, {"quadrant": "S", "text": "Wersja moderatora", "version": loaded_version}
    )
    assert first.status_code == 302
    second_client = english(Client())
    second_client.force_login(coordinator)
    second = second_client.post(
        url, {"quadrant": "W", "text": "Wersja koordynatora", "version": loaded_version}
    )
    assert second.status_code == 409
    body = second.content.decode()
    assert "Someone else saved first" in body
    assert "Wersja moderatora" in body  # what is saved now
    assert "Wersja koordynatora" in body  # their own text, kept
    entry.refresh_from_db()
    assert (entry.text, entry.quadrant, entry.version) == ("Wersja moderatora", "S", 2)
    # The form is re-armed at the current version: saving again deliberately works.
    assert f'value="{entry.version}"' in body
    third = second_client.post(
        url, {"quadrant": "W", "text": "Wersja koordynatora", "version": entry.version}
    )
    assert third.status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Wersja koordynatora"
    assert AuditEntry.objects.filter(action="swot_entry.edit").count() == 2


def test_a_merge_of_an_entry_edited_meanwhile_is_refused(
    client: Client, moderator: User, coordinator: User, member: User, meeting: Meeting
) -> None:
    entry = add_entry(meeting, member, "Duplikat")
    target = add_entry(meeting, member, "Oryginał")
    loaded_version = entry.version
    client.force_login(moderator)
    client.post(
        reverse("swot:entry-edit", args=[entry.pk]),
        {"quadrant": "S", "text": "Duplikat poprawiony", "version": loaded_version},
    )
    other = english(Client())
    other.force_login(coordinator)
    response = other.post(
        reverse("swot:entry-merge", args=[entry.pk]),
        {"into": target.pk, "version": loaded_version},
    )
    assert response.status_code == 409
    assert "Duplikat poprawiony" in response.content.decode()
    entry.refresh_from_db()
    assert entry.merged_into is None
    target.refresh_from_db()
    assert target.version == 1  # the refused merge left no trace on the target either
    assert not AuditEntry.objects.filter(action="swot_entry.merge").exists()


def test_crossed_merges_of_two_entries_into_each_other_keep_one(
    moderator: User, coordinator: User, member: User, meeting: Meeting
) -> None:
    a = add_entry(meeting, member, "A")
    b = add_entry(meeting, member, "B")
    stale_a, stale_b = SwotEntry.objects.get(pk=a.pk), SwotEntry.objects.get(pk=b.pk)
    services.swot_entry_merge(actor=moderator, entry=a, into=b, expected_version=1)
    with pytest.raises(ConflictError) as raised:
        services.swot_entry_merge(
            actor=coordinator, entry=stale_b, into=stale_a, expected_version=1
        )
    assert raised.value.current.pk == b.pk
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.merged_into == b and b.merged_into is None


def test_concurrent_action_edits_conflict(
    client: Client, moderator: User, coordinator: User, member: User, meeting: Meeting
) -> None:
    action = Action.objects.create(
        team=meeting.team, meeting=meeting, number=1, text="Działanie", author=member
    )
    url = reverse("actions:action-edit", args=[action.pk])
    client.force_login(moderator)
    assert client.post(url, {"text": "Pierwsza", "version": 1}).status_code == 302
    other = english(Client())
    other.force_login(coordinator)
    response = other.post(url, {"text": "Druga", "version": 1})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Pierwsza" in body and "Druga" in body
    action.refresh_from_db()
    assert action.text == "Pierwsza"


def test_concurrent_goal_merges_conflict(
    client: Client, moderator: User, coordinator: User, member: User, meeting: Meeting
) -> None:
    goals = [
        Goal.objects.create(team=meeting.team, meeting=meeting, number=n, title=f"Cel {n}")
        for n in (101, 102, 103)
    ]
    client.force_login(moderator)
    url = reverse("actions:goal-merge", args=[goals[0].pk])
    assert client.post(url, {"into": goals[1].pk, "version": 1}).status_code == 302
    other = english(Client())
    other.force_login(coordinator)
    # The second moderator's page is stale: the goal is already merged, so it is gone for them.
    assert other.post(url, {"into": goals[2].pk, "version": 1}).status_code == 404
    goals[0].refresh_from_db()
    assert goals[0].merged_into == goals[1]


def test_a_merge_into_an_item_merged_meanwhile_is_refused_for_every_kind(
    moderator: User, coordinator: User, member: User, meeting: Meeting
) -> None:
    """The moderator chose the target from a stale list: another moderator has merged the
    target itself since. Nothing is merged into a merged item (no chains), for SWOT entries,
    goals and actions alike."""
    a, b, c = (add_entry(meeting, member, text) for text in "ABC")
    services.swot_entry_merge(actor=coordinator, entry=b, into=c, expected_version=1)
    with pytest.raises(ConflictError):
        services.swot_entry_merge(actor=moderator, entry=a, into=b, expected_version=1)
    goals = [action_services.goal_add(actor=member, meeting=meeting, title=t) for t in "ABC"]
    action_services.goal_merge(actor=coordinator, goal=goals[1], into=goals[2], expected_version=1)
    with pytest.raises(ConflictError):
        action_services.goal_merge(
            actor=moderator, goal=goals[0], into=goals[1], expected_version=1
        )
    acts = [action_services.action_add(actor=member, meeting=meeting, text=t) for t in "ABC"]
    action_services.action_merge(
        actor=coordinator, action=acts[1], into=acts[2], expected_version=1
    )
    with pytest.raises(ConflictError):
        action_services.action_merge(
            actor=moderator, action=acts[0], into=acts[1], expected_version=1
        )
    assert SwotEntry.objects.get(pk=a.pk).merged_into is None
    assert Goal.objects.get(pk=goals[0].pk).merged_into is None
    assert Action.objects.get(pk=acts[0].pk).merged_into is None
