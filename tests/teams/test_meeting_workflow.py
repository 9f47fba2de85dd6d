"""The meeting workspace end to end through the test client: plan, announce, open, register,
add entries, moderate, close, publish (frozen), minutes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Goal
from core.errors import Refused
from core.models import AuditEntry
from demo.seed_data import MEETING_RULES
from swot.models import SwotEntry
from teams import meeting_services
from teams.models import Attendance, Meeting, Organisation, User

from ..confirm import CONFIRMED
from ..swot.helpers import english, make_meeting, topic_of

pytestmark = pytest.mark.django_db


def test_the_plan_form_is_prefilled_with_the_seeds_rules(
    client: Client, moderator: User, seeded: Meeting
) -> None:
    client.force_login(moderator)
    url = reverse("teams:meeting-create", args=[seeded.team.slug])
    body = client.get(url).content.decode()
    assert MEETING_RULES[0] in body
    assert 'maxlength="300"' in body


def test_a_moderator_plans_a_meeting_end_to_end(
    client: Client, moderator: User, member: User, seeded: Meeting
) -> None:
    english(client)
    client.force_login(moderator)
    response = client.post(
        reverse("teams:meeting-create", args=[seeded.team.slug]),
        {
            "title": "Spotkanie wrześniowe",
            "date": timezone.localdate().isoformat(),  # announced and published on its day
            "start_time": "16:00",
            "end_time": "18:00",
            "place": "",
            "online_url": "https://meet.example.org/krakow",
            "rules": "\n".join(MEETING_RULES),
            "next_steps": "",
            "speaking_time_seconds": "120",
        },
    )
    meeting = Meeting.objects.get(title="Spotkanie wrześniowe")
    assert response.status_code == 302
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.rule_list == MEETING_RULES
    plan = reverse("teams:meeting-edit", args=[meeting.pk])
    client.post(
        reverse("teams:agenda-item-add", args=[meeting.pk]),
        {
            "agenda-numeral": "I",
            "agenda-title": "Analiza SWOT",
            "agenda-starts_at": "16:15",
            "agenda-duration_minutes": "45",
        },
    )
    item = meeting.agenda_items.get()
    assert (item.position, item.duration_minutes, str(item.starts_at)) == (1, 45, "16:15:00")
    client.post(
        reverse("swot:topic-add", args=[meeting.pk]),
        {"topic-title": "Współpraca z miastem", "topic-agenda_item": item.pk},
    )
    assert topic_of(meeting).agenda_item == item
    # The same topic again (another letter case, stray spaces): refused, said at the field.
    again = client.post(
        reverse("swot:topic-add", args=[meeting.pk]),
        {"topic-title": " współpraca  z MIASTEM ", "topic-agenda_item": item.pk},
    )
    assert again.status_code == 400
    assert "This meeting already has the SWOT topic" in again.content.decode()
    assert meeting.swot_topics.count() == 1
    body = client.get(plan).content.decode()
    assert "Analiza SWOT" in body and "Współpraca z miastem" in body

    # The member does not see the draft; announcing shows it.
    client.force_login(member)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    client.force_login(moderator)
    client.post(
        reverse("teams:meeting-advance", args=[meeting.pk]), {**CONFIRMED, "status": "draft"}
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED

    # The member registers while planned.
    client.force_login(member)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    client.post(reverse("teams:attendance-toggle", args=[meeting.pk]), {"register": "1"})
    attendance = Attendance.objects.get(meeting=meeting, user=member)
    assert attendance.organisation == Organisation.objects.get(nip="8567346215")

    # Open; the member adds entries, a goal and an action.
    client.force_login(moderator)
    client.post(
        reverse("teams:meeting-advance", args=[meeting.pk]), {**CONFIRMED, "status": "planned"}
    )
    client.force_login(member)
    topic = topic_of(meeting)
    prefix = f"topic-{topic.pk}"
    for text in ["Dobra współpraca z MOWIS", "Dobra współpraca z MOWiS-em"]:
        response = client.post(
            reverse("swot:entry-add", args=[topic.pk]),
            {f"{prefix}-quadrant": "S", f"{prefix}-text": text},
        )
        assert response.status_code == 302
    first, second = SwotEntry.objects.filter(topic=topic).order_by("pk")
    assert first.author == member and first.organisation == attendance.organisation
    assert (first.position, second.position) == (1, 2)
    client.post(
        reverse("actions:goal-add", args=[meeting.pk]),
        {"goal-title": "Lepsza informacja", "goal-proposed_solutions": "Portal\nNewsletter"},
    )
    goal = Goal.objects.get(meeting=meeting)
    for text in ["Portal dla organizacji", "Newsletter MOWIS"]:
        client.post(
            reverse("actions:action-add", args=[meeting.pk]),
            {"action-goal": goal.pk, "action-text": text},
        )
    assert list(meeting.actions.order_by("number").values_list("number", "text")) == [
        (1, "Portal dla organizacji"),
        (2, "Newsletter MOWIS"),
    ]
    workspace = client.get(reverse("teams:meeting-workspace", args=[meeting.pk]))
    assert "Dobra współpraca z MOWIS" in workspace.content.decode()

    # The moderator merges the duplicate, reorders, closes and publishes.
    client.force_login(moderator)
    client.post(
        reverse("swot:entry-merge", args=[second.pk]),
        {"into": first.pk, "version": second.version},
    )
    second.refresh_from_db()
    assert second.merged_into == first
    client.post(
        reverse("actions:action-move", args=[meeting.actions.get(number=2).pk]), {"direction": "up"}
    )
    assert meeting.actions.get(number=1).text == "Newsletter MOWIS"
    client.post(
        reverse("teams:meeting-advance", args=[meeting.pk]), {**CONFIRMED, "status": "open"}
    )
    client.post(
        reverse("teams:meeting-advance", args=[meeting.pk]), {**CONFIRMED, "status": "closed"}
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.published_at is not None
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"swot_entry.merge", "action.move", "meeting.closed", "meeting.published"} <= actions

    # Published page: the merged entry and the record of the merge.
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "Dobra współpraca z MOWIS" in body
    assert "1 entry merged into another" in body
    assert "Dobra współpraca z MOWiS-em" in body

    # Frozen: nobody may edit, even the moderator, and nothing changes.
    response = client.post(
        reverse("swot:entry-edit", args=[first.pk]),
        {"quadrant": "S", "text": "Zmiana", "version": first.version},
    )
    assert response.status_code == 404
    first.refresh_from_db()
    assert first.text == "Dobra współpraca z MOWIS"


def test_the_moderator_writes_and_publishes_the_minutes(
    client: Client, moderator: User, member: User, seeded: Meeting
) -> None:
    english(client)
    meeting = make_meeting(seeded.team, status=Meeting.Status.CLOSED)
    attendance = Attendance.objects.create(
        meeting=meeting, user=member, organisation=Organisation.objects.get(nip="8567346215")
    )
    client.force_login(moderator)
    client.post(reverse("teams:attendance-mark", args=[meeting.pk]), {"attended": [attendance.pk]})
    attendance.refresh_from_db()
    assert attendance.attended is True
    edit = reverse("teams:meeting-minutes-edit", args=[meeting.pk])
    # Publishing the minutes waits for the results to be published.
    response = client.post(
        edit, {"minutes": "Protokół", "version": meeting.version, "publish": "1"}
    )
    assert response.status_code == 403
    client.post(edit, {"minutes": "Protokół spotkania.", "version": meeting.version})
    meeting.refresh_from_db()
    assert meeting.minutes == "Protokół spotkania." and meeting.minutes_published_at is None
    client.logout()
    assert client.get(reverse("teams:meeting-minutes", args=[meeting.pk])).status_code == 404
    client.force_login(moderator)
    client.post(
        reverse("teams:meeting-advance", args=[meeting.pk]), {**CONFIRMED, "status": "closed"}
    )
    meeting.refresh_from_db()
    response = client.post(
        edit, {"minutes": "Protokół spotkania.", "version": meeting.version, "publish": "1"}
    )
    assert response.url == reverse("teams:meeting-minutes-publish-confirm", args=[meeting.pk])
    meeting.refresh_from_db()
    client.post(
        reverse("teams:meeting-minutes-publish", args=[meeting.pk]),
        {**CONFIRMED, "version": meeting.version},
    )
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is not None
    # Published minutes are frozen.
    assert client.get(edit).status_code == 403
    client.logout()
    body = client.get(reverse("teams:meeting-minutes", args=[meeting.pk])).content.decode()
    assert "Protokół spotkania." in body
    assert "Stowarzyszenie Demonstracyjne" in body
    assert "Natalia" not in body  # no consent to show the name
    assert (
        reverse("teams:meeting-minutes", args=[meeting.pk])
        in client.get(meeting.get_absolute_url()).content.decode()
    )
    member.show_name_publicly = True
    member.save()
    body = client.get(reverse("teams:meeting-minutes", args=[meeting.pk])).content.decode()
    assert "Natalia Organizacyjna" in body


def test_action_numbers_continue_after_merged_actions(
    client: Client, member: User, seeded: Meeting
) -> None:
    meeting = make_meeting(seeded.team)
    client.force_login(member)
    for text in ["Jeden", "Dwa"]:
        client.post(reverse("actions:action-add", args=[meeting.pk]), {"action-text": text})
    Action.objects.filter(meeting=meeting, number=2).update(
        status=Action.Status.MERGED, merged_into=Action.objects.get(meeting=meeting, number=1)
    )
    client.post(reverse("actions:action-add", args=[meeting.pk]), {"action-text": "Trzy"})
    assert Action.objects.get(meeting=meeting, text="Trzy").number == 3


def test_a_phase_that_moved_on_is_refused_by_the_service_in_the_one_vocabulary(
    member: User, seeded: Meeting
) -> None:
    meeting = make_meeting(seeded.team, status=Meeting.Status.CLOSED)
    with pytest.raises(Refused) as raised:
        meeting_services.attendance_register(actor=member, meeting=meeting)
    assert not isinstance(raised.value, PermissionDenied)  # services speak core.errors only
    assert not meeting.attendances.exists()


def test_a_step_the_service_refuses_after_the_view_let_it_through_answers_403(
    client: Client, member: User, seeded: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The registration was open when the view checked; the service reads the meeting closed
    inside its transaction: the answer is 403, as when the view refuses, and nothing is saved."""
    meeting = make_meeting(seeded.team, status=Meeting.Status.CLOSED)
    monkeypatch.setattr(
        "teams.meeting_permissions.can_register_attendance", lambda user, meeting: True
    )
    client.force_login(member)
    response = client.post(reverse("teams:attendance-toggle", args=[meeting.pk]), {"register": "1"})
    assert response.status_code == 403
    assert not meeting.attendances.exists()
