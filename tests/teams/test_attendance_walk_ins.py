"""Recording who attended: besides those who registered online, the moderator can tick any
approved member of the meeting's team who came without registering (a walk-in); that creates
their attendance row, and the published minutes list them. Nobody outside the team can be
recorded, and the permissions and phases are those of marking attendance."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.errors import Refused
from core.models import AuditEntry
from teams import meeting_services
from teams.models import Attendance, Meeting, Membership, Organisation, User

from ..swot.helpers import english, make_meeting, other_moderator, outsider

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(seeded: Meeting) -> Meeting:
    return make_meeting(seeded.team, status=Meeting.Status.CLOSED)


def _mark(meeting: Meeting) -> str:
    return reverse("teams:attendance-mark", args=[meeting.pk])


def _newcomer_in(meeting: Meeting, email: str = "wolontariusz@example.org") -> User:
    """An approved member of the meeting's team who never registered for it."""
    user = User.objects.create_user(email, "x", first_name="Wiktor", last_name="Wolontariusz")
    Membership.objects.create(user=user, team=meeting.team, status=Membership.Status.APPROVED)
    return user


def test_it_records_a_member_who_came_without_registering(
    client: Client, moderator: User, member: User, meeting: Meeting
) -> None:
    english(client).force_login(moderator)
    page = client.get(_mark(meeting)).content.decode()
    assert "Members of the team who did not register" in page
    assert "Natalia Organizacyjna" in page
    assert f'name="members" value="{member.pk}"' in page

    response = client.post(_mark(meeting), {"members": [member.pk]})

    assert response.status_code == 302
    assert response["Location"].endswith("#attendance")
    attendance = Attendance.objects.get(meeting=meeting, user=member)
    assert attendance.attended is True
    # Under the organisation the member speaks for, as their own registration would be.
    assert attendance.organisation == Organisation.objects.get(nip="8567346215")
    entry = AuditEntry.objects.filter(action="meeting.mark_attendance").latest("pk")
    assert entry.data["walk_ins"] == [member.pk]
    # The minutes (the moderator's preview before they are published) list them.
    minutes = client.get(reverse("teams:meeting-minutes", args=[meeting.pk])).content.decode()
    attendance_list = minutes[minutes.index('id="attendance-list"') :]
    assert attendance.organisation.name in attendance_list.split("</ul>")[0]
    # Recorded now, so the next visit lists them with those who registered, ticked.
    page = client.get(_mark(meeting)).content.decode()
    assert f'name="members" value="{member.pk}"' not in page
    assert f'name="attended" value="{attendance.pk}"' in page


def test_it_keeps_those_who_registered_and_marks_the_unticked_absent(
    client: Client, moderator: User, member: User, meeting: Meeting
) -> None:
    registered = Attendance.objects.create(meeting=meeting, user=member)
    came_too = Attendance.objects.create(meeting=meeting, user=moderator)
    walk_in = _newcomer_in(meeting)
    english(client).force_login(moderator)
    page = client.get(_mark(meeting)).content.decode()
    # A person who registered is offered once, with the registrations.
    assert f'name="members" value="{member.pk}"' not in page
    assert f'name="attended" value="{registered.pk}"' in page
    assert f'name="members" value="{walk_in.pk}"' in page

    client.post(_mark(meeting), {"attended": [came_too.pk], "members": [walk_in.pk]})

    recorded = dict(Attendance.objects.filter(meeting=meeting).values_list("user", "attended"))
    assert recorded == {member.pk: False, moderator.pk: True, walk_in.pk: True}


def test_it_refuses_someone_outside_the_team_and_saves_nothing(
    client: Client, moderator: User, member: User, meeting: Meeting
) -> None:
    stranger = outsider()
    english(client).force_login(moderator)
    page = client.get(_mark(meeting)).content.decode()
    assert str(stranger) not in page
    response = client.post(_mark(meeting), {"members": [member.pk, stranger.pk]})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not Attendance.objects.filter(meeting=meeting).exists()
    # The service itself refuses it, whatever a page let through.
    with pytest.raises(Refused):
        meeting_services.attendance_mark(
            actor=moderator,
            meeting=meeting,
            attended_ids=set(),
            member_ids={member.pk, stranger.pk},
        )
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_a_requested_membership_is_not_a_member_who_can_be_recorded(
    client: Client, moderator: User, meeting: Meeting
) -> None:
    asking = _newcomer_in(meeting)
    Membership.objects.filter(user=asking).update(status=Membership.Status.REQUESTED)
    english(client).force_login(moderator)
    assert f'value="{asking.pk}"' not in client.get(_mark(meeting)).content.decode()
    assert client.post(_mark(meeting), {"members": [asking.pk]}).status_code == 400
    assert not Attendance.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (Meeting.Status.DRAFT, False),
        (Meeting.Status.PLANNED, False),
        (Meeting.Status.OPEN, True),
        (Meeting.Status.CLOSED, True),
        (Meeting.Status.PUBLISHED, False),
    ],
)
def test_only_the_moderator_records_walk_ins_while_attendance_can_be_marked(
    client: Client, moderator: User, member: User, seeded: Meeting, status: str, allowed: bool
) -> None:
    meeting = make_meeting(seeded.team, status=status)
    for person in (member, other_moderator()):
        client.force_login(person)
        # Refused (a draft meeting is not even visible to them).
        assert client.post(_mark(meeting), {"members": [member.pk]}).status_code in (403, 404)
    assert not Attendance.objects.filter(meeting=meeting).exists()
    client.force_login(moderator)
    response = client.post(_mark(meeting), {"members": [member.pk]})
    assert response.status_code == (302 if allowed else 403)
    assert Attendance.objects.filter(meeting=meeting, attended=True).exists() == allowed
    if not allowed:  # and the service refuses it too, whatever a stale page sends
        with pytest.raises(Refused):
            meeting_services.attendance_mark(
                actor=moderator, meeting=meeting, attended_ids=set(), member_ids={member.pk}
            )
        assert not Attendance.objects.filter(meeting=meeting).exists()


def test_a_member_recorded_as_present_cannot_withdraw_the_record_while_the_workspace_is_open(
    client: Client, moderator: User, member: User, seeded: Meeting
) -> None:
    """Marking attendance and registering both happen while the workspace is open: once the
    moderator recorded someone as present, that person's "withdraw my registration" would
    delete the meeting's record. It is refused, and the workspace says why instead of offering
    the button."""
    meeting = make_meeting(seeded.team, status=Meeting.Status.OPEN)
    english(client).force_login(moderator)
    assert client.post(_mark(meeting), {"members": [member.pk]}).status_code == 302
    client.force_login(member)
    workspace = client.get(reverse("teams:meeting-workspace", args=[meeting.pk])).content.decode()
    assert "The moderator has recorded that you attended." in workspace
    assert "Withdraw my registration" not in workspace
    response = client.post(reverse("teams:attendance-toggle", args=[meeting.pk]))
    assert response.status_code == 403
    assert Attendance.objects.filter(meeting=meeting, user=member, attended=True).exists()
    # Not yet recorded as present, a registration can still be withdrawn.
    Attendance.objects.filter(meeting=meeting, user=member).update(attended=False)
    client.post(reverse("teams:attendance-toggle", args=[meeting.pk]))
    assert not Attendance.objects.filter(meeting=meeting, user=member).exists()


def test_a_walk_in_ticked_by_mistake_and_unticked_leaves_no_registration_behind(
    client: Client, moderator: User, member: User, meeting: Meeting
) -> None:
    """Recorded as a walk-in, then unticked: the row goes (they never registered), so they are
    not counted as registered nor e-mailed the minutes as one. Someone who registered keeps
    their registration when unticked (marked absent)."""
    english(client).force_login(moderator)
    client.post(_mark(meeting), {"members": [member.pk]})
    walk_in = Attendance.objects.get(meeting=meeting, user=member)
    assert walk_in.walk_in
    client.post(_mark(meeting), {})
    assert not Attendance.objects.filter(meeting=meeting, user=member).exists()
    entry = AuditEntry.objects.filter(action="meeting.mark_attendance").latest("pk")
    assert entry.data["removed"] == [member.pk]

    registered = Attendance.objects.create(meeting=meeting, user=member)
    client.post(_mark(meeting), {})
    registered.refresh_from_db()
    assert registered.attended is False
