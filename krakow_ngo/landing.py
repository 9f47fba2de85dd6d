"""What a logged-in person can do now, role by role, for their account page (where everyone
lands after logging in). Each role's section is shown when the predicate the views ask says so
(teams.permissions, teams.meeting_permissions, consultations.permissions, drafts.access): this
module decides nothing itself, it only asks them and names the pages they open."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations import permissions as round_permissions
from drafts.access import can_edit_draft
from teams import meeting_permissions, permissions
from teams.models import Membership, Representation, User


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Role:
    """One thing the person is, what it lets them do, and where. ``contributes``: the role lets
    them write something (the answer to "Can I contribute?")."""

    key: str
    title: str
    text: str
    links: list[Link] = field(default_factory=list)
    contributes: bool = True


@dataclass(frozen=True)
class Landing:
    roles: list[Role]
    pending_representation: bool

    @property
    def contributes(self) -> bool:
        return any(role.contributes for role in self.roles)


def _coordinator(user: User) -> list[Role]:
    if not permissions.is_coordinator(user):
        return []
    links = [Link(_("Requests waiting for the coordinating team"), reverse("teams:coordination"))]
    if round_permissions.can_manage_rounds(user):
        links.append(Link(_("Create a consultation round"), reverse("consultations:round-create")))
    if can_edit_draft(user):
        links.append(Link(_("Edit the programme draft"), reverse("drafts:draft-list")))
    if permissions.can_manage_people(user):
        links.append(Link(_("People and roles"), reverse("teams:people")))
    if round_permissions.can_use_moderation_queue(user):
        links.append(Link(_("Moderation queue"), reverse("consultations:moderation-queue")))
    return [
        Role(
            "coordinator",
            _("Coordinating team"),
            _(
                "You verify organisations and approve their representatives, run consultation "
                "rounds, edit the programme draft, and manage branch teams and people's roles."
            ),
            links,
        )
    ]


def _teams(user: User, *, contributes: bool) -> list[Role]:
    roles = []
    memberships = (
        Membership.objects.filter(user=user, status=Membership.Status.APPROVED)
        .select_related("team")
        .annotate(
            waiting=Count(
                "team__memberships",
                filter=Q(team__memberships__status=Membership.Status.REQUESTED),
            )
        )
        .order_by("team__position")
    )
    queue = round_permissions.can_use_moderation_queue(user)
    for membership in memberships:
        team = membership.team
        team_link = Link(_("The team's page and meetings"), team.get_absolute_url())
        if permissions.is_team_moderator(user, team.pk):
            links = [team_link]
            if permissions.can_decide_membership(user, team.pk):
                links.append(
                    Link(
                        ngettext(
                            "Members and requests (%(counter)s request waiting)",
                            "Members and requests (%(counter)s requests waiting)",
                            membership.waiting,
                        )
                        % {"counter": membership.waiting},
                        reverse("teams:team-members", kwargs={"slug": team.slug}),
                    )
                )
            if meeting_permissions.can_create_meeting(user, team):
                links.append(
                    Link(
                        _("Plan a meeting"),
                        reverse("teams:meeting-create", kwargs={"slug": team.slug}),
                    )
                )
            if queue:
                links.append(Link(_("Moderation queue"), reverse("consultations:moderation-queue")))
            roles.append(
                Role(
                    "moderator",
                    _("Moderator of the branch team %(team)s") % {"team": team.local_name},
                    _(
                        "You plan and run its meetings, moderate its SWOT analysis, goals and "
                        "actions while a meeting is open, decide requests to join the team, and "
                        "moderate comments in consultation rounds on its meetings."
                    ),
                    links,
                )
            )
        elif contributes:
            roles.append(
                Role(
                    "member",
                    _("Member of the branch team %(team)s") % {"team": team.local_name},
                    _(
                        "You are invited to its meetings; while a meeting is open you add SWOT "
                        "entries, goals and actions in its workspace."
                    ),
                    [team_link],
                )
            )
        else:
            roles.append(
                Role(
                    "member",
                    _("Member of the branch team %(team)s") % {"team": team.local_name},
                    _(
                        "You can read its workspace; you can add to it once you represent a "
                        "verified organisation."
                    ),
                    [team_link],
                    contributes=False,
                )
            )
    return roles


def _commenter(user: User) -> list[Role]:
    viewer = round_permissions.person_viewer(user)
    if not viewer.is_commenter:
        return []
    rounds = [
        Link(_("Consultation rounds and reports"), reverse("consultations:round-list")),
        Link(_("My comments"), reverse("consultations:my-comments")),
    ]
    roles = []
    if viewer.organisations:
        roles.append(
            Role(
                "organisation",
                _("On behalf of %(organisations)s")
                % {"organisations": ", ".join(viewer.organisations.values())},
                _(
                    "You comment in consultation rounds on its behalf, reply to comments and "
                    "support other organisations' comments; you may also ask to join a branch "
                    "team."
                ),
                [*rounds, Link(_("Branch teams: ask to join one"), reverse("teams:team-list"))],
            )
        )
    if viewer.is_expert:
        roles.append(
            Role(
                "expert",
                _("Expert"),
                _("You comment in consultation rounds as an expert and reply to comments."),
                rounds,
            )
        )
    if viewer.is_official:
        roles.append(
            Role(
                "official",
                _("City official"),
                _("You comment in consultation rounds as a city official and reply to comments."),
                rounds,
            )
        )
    return roles


def landing_for(user: User) -> Landing:
    if not permissions.is_active_person(user):
        return Landing(roles=[], pending_representation=False)
    contributes = permissions.can_contribute(user)
    roles = [*_coordinator(user), *_teams(user, contributes=contributes), *_commenter(user)]
    pending = Representation.objects.filter(
        user=user, status=Representation.Status.PENDING
    ).exists()
    return Landing(roles=roles, pending_representation=pending)
