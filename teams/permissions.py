"""Who may see and do what with people, teams and meetings.

Views call only these predicates (and the access helpers in access.py, which use them).
The meeting predicates build on them: e.g. meeting_permissions.is_participant asks
can_contribute().
"""

from __future__ import annotations

from typing import Any, TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.functional import LazyObject, empty

from .models import MODERATING, ROLES, Meeting, Membership, Organisation, Representation, User

AnyUser = User | AnonymousUser


def person(user: Any) -> Any:
    """The request's user itself rather than the lazy wrapper django.contrib.auth puts on the
    request: every attribute read through the wrapper costs two more Python calls, and a page
    of comments asks a few hundred (``consultations.permissions.Viewer``)."""
    if isinstance(user, LazyObject):
        if user._wrapped is empty:  # type: ignore[attr-defined]
            user._setup()  # type: ignore[attr-defined]
        return user._wrapped  # type: ignore[attr-defined]
    return user


def is_coordinator(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.is_coordinator or user.is_superuser)
    )


def moderator_memberships(user: User | int) -> QuerySet[Membership]:
    """The person's (or the person id's) approved memberships as a moderator (of any team)."""
    return Membership.objects.filter(MODERATING, user=user)


def person_roles(user: User, *, fresh: bool = False) -> tuple[dict[int, str], frozenset[int]]:
    """The verified organisations the person speaks for (id → name, by name) and the teams
    they moderate: as read with the person when Django loaded them for this request
    (``UserManager.get``: one query for both), else, or ``fresh``, read now. A service that
    checks again what the page let through asks them ``fresh``."""
    loaded = None if fresh else user.loaded_roles
    rows = loaded if loaded is not None else ROLES.rows(user.pk)
    organisations: dict[int, str] = {}
    teams: set[int] = set()
    for kind, ref, label in rows:
        if kind == "organisation":
            organisations[ref] = label
        else:
            teams.add(ref)
    return organisations, frozenset(teams)


def is_team_moderator(user: AnyUser, team_id: int) -> bool:
    if not is_active_person(user):
        return False
    return moderator_memberships(user).filter(team_id=team_id).exists()


def is_team_member(user: AnyUser, team_id: int) -> bool:
    """An approved member or moderator of the team."""
    if not (user.is_authenticated and user.is_active):
        return False
    return Membership.objects.filter(
        user=user, team_id=team_id, status=Membership.Status.APPROVED
    ).exists()


def represents_verified_organisation(user: AnyUser) -> bool:
    """Speaks for an organisation: ``Representation.objects.active()``, the one rule."""
    if not (user.is_authenticated and user.is_active):
        return False
    return Representation.objects.active().filter(user=user).exists()


def can_contribute(user: AnyUser) -> bool:
    """May write anything at all: a verified organisation's approved representative, or a
    person holding a global role. Until then a person can read but not contribute."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_coordinator or user.is_expert or user.is_official or user.is_superuser:
        return True
    return represents_verified_organisation(user)


def can_moderate_meeting(user: AnyUser, meeting: Meeting) -> bool:
    return is_coordinator(user) or is_team_moderator(user, meeting.team_id)


def can_view_meeting(user: AnyUser, meeting: Meeting) -> bool:
    """Everyone reads a meeting once it is announced; a draft only its planners see."""
    if meeting.status != Meeting.Status.DRAFT:
        return True
    return can_moderate_meeting(user, meeting)


# --- Accounts, organisations and roles (issue 3) ---------------------------------------------


def is_active_person(user: AnyUser) -> TypeGuard[User]:
    return bool(user.is_authenticated and user.is_active)


def can_manage_teams(user: AnyUser) -> bool:
    """Create and edit teams, appoint and remove their moderators."""
    return is_coordinator(user)


def can_manage_programmes(user: AnyUser) -> bool:
    """Start a programme (a new cycle) and edit its title."""
    return is_coordinator(user)


def can_manage_people(user: AnyUser) -> bool:
    """See the people page and grant the global roles expert and city official."""
    return is_coordinator(user)


def can_verify_organisation(user: AnyUser) -> bool:
    return is_coordinator(user)


def can_decide_representation(user: AnyUser) -> bool:
    return is_coordinator(user)


def can_view_coordination(user: AnyUser) -> bool:
    return is_coordinator(user)


def can_decide_membership(user: AnyUser, team_id: int) -> bool:
    """A moderator of the team, or the coordinating team, approves or rejects join requests."""
    return is_coordinator(user) or is_team_moderator(user, team_id)


def can_register_organisation(user: AnyUser) -> bool:
    return is_active_person(user)


def can_view_organisation(user: AnyUser, organisation: Organisation) -> bool:
    """Verified organisations are public; one awaiting verification is seen by logged-in people
    (so that a second representative can find it and ask to represent it)."""
    return organisation.is_verified or is_active_person(user)


def can_request_representation(user: AnyUser, organisation: Organisation) -> bool:
    """Anyone logged in may ask, unless they already represent it or are waiting for a decision."""
    if not is_active_person(user):
        return False
    return not Representation.objects.filter(
        user=user,
        organisation=organisation,
        status__in=[Representation.Status.PENDING, Representation.Status.APPROVED],
    ).exists()


def can_request_membership(user: AnyUser, team_id: int) -> bool:
    """Anyone logged in may ask to join a team they are not in and have not asked to join."""
    if not is_active_person(user):
        return False
    return not Membership.objects.filter(
        user=user,
        team_id=team_id,
        status__in=[Membership.Status.REQUESTED, Membership.Status.APPROVED],
    ).exists()


def can_manage_own_account(user: AnyUser) -> bool:
    """Download one's data, edit one's profile, delete one's account."""
    return is_active_person(user)
