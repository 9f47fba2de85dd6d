"""Who may see and do what with teams and meetings. Views call only these predicates."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from .models import Meeting, Membership, User


def is_coordinator(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.is_coordinator or user.is_superuser))


def is_team_moderator(user: User | AnonymousUser, team_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user,
        team_id=team_id,
        role=Membership.Role.MODERATOR,
        status=Membership.Status.APPROVED,
    ).exists()


def can_view_meeting(user: User | AnonymousUser, meeting: Meeting) -> bool:
    """Everyone reads a meeting once it is announced; a draft only its planners see."""
    if meeting.status != Meeting.Status.DRAFT:
        return True
    return is_coordinator(user) or is_team_moderator(user, meeting.team_id)
