"""Who may do what in a meeting: predicates of role × meeting phase.

Every meeting view (here, in swot and in actions) asks only these predicates; they read the
phase declaration in ``teams.meeting_phases`` through ``phase_opens``. Roles:

- *moderator*: an approved moderator of the meeting's team, or the coordinating team
  (``permissions.can_moderate_meeting``);
- *participant*: an approved member of the team who may contribute at all
  (``is_team_member`` and ``can_contribute``); moderators take part too;
- everyone else (anonymous visitors, other teams' moderators, experts, officials) reads what is
  public and nothing more.

SWOT entries, goals and actions share the entry predicates (``can_edit_entry`` etc.), which the
swot and actions apps call with the entry's meeting and author.
"""

from __future__ import annotations

from .meeting_phases import Feature, phase_of, phase_opens
from .models import Meeting, Team
from .permissions import (
    AnyUser,
    can_contribute,
    can_moderate_meeting,
    can_view_meeting,
    is_coordinator,
    is_team_member,
    is_team_moderator,
)


def can_create_meeting(user: AnyUser, team: Team) -> bool:
    return is_coordinator(user) or is_team_moderator(user, team.pk)


def is_participant(user: AnyUser, meeting: Meeting) -> bool:
    """May take part in the team's work (regardless of the phase)."""
    return is_team_member(user, meeting.team_id) and can_contribute(user)


def can_view_workspace(user: AnyUser, meeting: Meeting) -> bool:
    """The workspace and live pages: the team's members and the moderators. A member who may
    not contribute yet (no verified organisation) reads them without the forms."""
    if not can_view_meeting(user, meeting):
        return False
    return can_moderate_meeting(user, meeting) or is_team_member(user, meeting.team_id)


def can_view_results(user: AnyUser, meeting: Meeting) -> bool:
    """SWOT, goals and actions: public once published; before that, work in progress that
    only the team and the moderators see (in the workspace and on the meeting page)."""
    if meeting.status == Meeting.Status.PUBLISHED:
        return can_view_meeting(user, meeting)
    return can_view_workspace(user, meeting)


def can_plan_meeting(user: AnyUser, meeting: Meeting) -> bool:
    return phase_opens(meeting, Feature.PLAN) and can_moderate_meeting(user, meeting)


def can_advance_meeting(user: AnyUser, meeting: Meeting) -> bool:
    """Move the meeting to its next phase (announce, open, close, publish)."""
    next_status = phase_of(meeting).next_status
    if next_status is None:
        return False
    if next_status == Meeting.Status.PUBLISHED and not phase_opens(meeting, Feature.PUBLISH):
        return False
    return can_moderate_meeting(user, meeting)


def can_register_attendance(user: AnyUser, meeting: Meeting) -> bool:
    return phase_opens(meeting, Feature.REGISTER) and is_participant(user, meeting)


def can_mark_attendance(user: AnyUser, meeting: Meeting) -> bool:
    return phase_opens(meeting, Feature.MARK_ATTENDANCE) and can_moderate_meeting(user, meeting)


def can_add_entries(user: AnyUser, meeting: Meeting) -> bool:
    if not phase_opens(meeting, Feature.ADD_ENTRIES):
        return False
    return is_participant(user, meeting) or can_moderate_meeting(user, meeting)


def can_moderate_entries(user: AnyUser, meeting: Meeting) -> bool:
    """Edit anyone's entry, merge duplicates, reorder."""
    return phase_opens(meeting, Feature.MODERATE) and can_moderate_meeting(user, meeting)


def can_edit_entry(user: AnyUser, meeting: Meeting, author_id: int | None) -> bool:
    """Authors edit their own entries while the workspace is open; moderators anyone's."""
    if can_moderate_entries(user, meeting):
        return True
    return (
        author_id is not None
        and getattr(user, "pk", None) == author_id
        and can_add_entries(user, meeting)
    )


def can_join_speakers(user: AnyUser, meeting: Meeting) -> bool:
    return phase_opens(meeting, Feature.SPEAK) and is_participant(user, meeting)


def can_run_live(user: AnyUser, meeting: Meeting) -> bool:
    """Add names to the speakers list, start and end turns."""
    return phase_opens(meeting, Feature.SPEAK) and can_moderate_meeting(user, meeting)


def can_write_minutes(user: AnyUser, meeting: Meeting) -> bool:
    if meeting.minutes_published_at is not None:
        return False
    return phase_opens(meeting, Feature.MINUTES) and can_moderate_meeting(user, meeting)


def can_publish_minutes(user: AnyUser, meeting: Meeting) -> bool:
    return phase_opens(meeting, Feature.PUBLISH_MINUTES) and can_write_minutes(user, meeting)


def can_view_minutes(user: AnyUser, meeting: Meeting) -> bool:
    """Published minutes are public; before that only those who write them see a preview."""
    if meeting.minutes_published_at is not None:
        return can_view_meeting(user, meeting)
    return can_write_minutes(user, meeting)
