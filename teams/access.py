"""One access helper per object type: the object, or 404 for missing and forbidden alike."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from . import permissions, selectors
from .models import Meeting, Membership, Organisation, Representation, Team, User


def get_meeting_for_user(user: User | AnonymousUser, pk: int) -> Meeting:
    meeting = selectors.meeting_with_plan(Meeting.objects.all()).filter(pk=pk).first()
    if meeting is None or not permissions.can_view_meeting(user, meeting):
        raise Http404("No such meeting.")
    return meeting


# --- Accounts, organisations and roles (issue 3) ---------------------------------------------


def get_organisation_for_user(user: User | AnonymousUser, pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not permissions.can_view_organisation(user, organisation):
        raise Http404("No such organisation.")
    return organisation


def get_organisation_to_verify(user: User | AnonymousUser, pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not permissions.can_verify_organisation(user):
        raise Http404("No such organisation.")
    return organisation


def get_representation_to_decide(user: User | AnonymousUser, pk: int) -> Representation:
    representation = (
        Representation.objects.select_related("user", "organisation").filter(pk=pk).first()
    )
    if representation is None or not permissions.can_decide_representation(user):
        raise Http404("No such request.")
    return representation


def get_membership_to_decide(user: User | AnonymousUser, pk: int) -> Membership:
    membership = Membership.objects.select_related("user", "team").filter(pk=pk).first()
    if membership is None or not permissions.can_decide_membership(user, membership.team_id):
        raise Http404("No such request.")
    return membership


def get_team_for_user(user: User | AnonymousUser, slug: str) -> Team:
    """Teams are public."""
    team = Team.objects.select_related("programme").filter(slug=slug).first()
    if team is None:
        raise Http404("No such team.")
    return team


def get_team_to_manage(user: User | AnonymousUser, slug: str) -> Team:
    team = Team.objects.select_related("programme").filter(slug=slug).first()
    if team is None or not permissions.can_manage_teams(user):
        raise Http404("No such team.")
    return team


def get_team_requests_for_user(user: User | AnonymousUser, slug: str) -> Team:
    """The team's membership page: its moderators and the coordinating team only."""
    team = Team.objects.select_related("programme").filter(slug=slug).first()
    if team is None or not permissions.can_decide_membership(user, team.pk):
        raise Http404("No such team.")
    return team


def get_moderator_membership_to_remove(user: User | AnonymousUser, pk: int) -> Membership:
    membership = (
        Membership.objects.select_related("user", "team")
        .filter(pk=pk, role=Membership.Role.MODERATOR)
        .first()
    )
    if membership is None or not permissions.can_manage_teams(user):
        raise Http404("No such moderator.")
    return membership


def get_person_for_user(user: User | AnonymousUser, pk: int) -> User:
    person = User.objects.filter(pk=pk, is_active=True).first()
    if person is None or not permissions.can_manage_people(user):
        raise Http404("No such person.")
    return person
