"""Who may do what in a consultation round: predicates of role × phase.

Every predicate asks ``phase_opens(round, Feature.X)`` (consultations.phases) and a role. Roles:

- *commenter*: an approved representative of a verified organisation, an expert or a city
  official (they comment, reply, edit their own comments and flag others');
- *supporter*: a representative of a verified organisation other than the comment's;
- *moderator*: the coordinating team, or a moderator of the consulted meeting's team;
- *coordinator*: the coordinating team (phase transitions, settling, the report, the audit log).

Predicates that run once per comment on a page take a ``Viewer``: the user's roles worked out
once per request, so that a page of 500 comments asks the database no more than one of 10.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from teams.permissions import (
    AnyUser,
    is_coordinator,
    moderator_memberships,
    person,
    person_roles,
)

from .models import AuthorRole, Comment, Round, role_label
from .phases import Feature, Phase, phase_of, phase_opens, reached


@dataclass
class Viewer:
    user: AnyUser
    is_coordinator: bool = False
    is_moderator: bool = False
    is_expert: bool = False
    is_official: bool = False
    # Verified organisations the user represents (approved), by id → name.
    organisations: dict[int, str] = field(default_factory=dict)
    # The teams the user moderates, once viewer_for has read them (None: not read).
    moderated_teams: frozenset[int] | None = None

    @cached_property
    def is_active(self) -> bool:
        """Asked for every comment of a page: read once (``user`` is the request's lazy
        object, whose every attribute costs a lookup)."""
        return bool(self.user.is_authenticated and self.user.is_active)

    @property
    def active_user_id(self) -> int | None:
        """The person's id, for filters that show them their own comments (None when not
        logged in or inactive)."""
        return self.user.pk if self.is_active else None

    @property
    def is_commenter(self) -> bool:
        """The person may take part in the round: they comment, reply and flag comments."""
        return self.is_active and bool(self.organisations or self.is_expert or self.is_official)

    def on_behalf_key(self) -> tuple[tuple[str, str], ...]:
        """The "on behalf of" choices as plain text: part of the key of every cached form
        that offers them (consultations.fragments, views._round_page)."""
        return tuple((value, str(label)) for value, label in self.on_behalf_choices())

    def on_behalf_choices(self) -> list[tuple[str, str]]:
        """Whom the user may comment for: each organisation, and their expert/official role."""
        choices = [(f"org:{pk}", name) for pk, name in self.organisations.items()]
        if self.is_expert:
            choices.append((AuthorRole.EXPERT.value, role_label(AuthorRole.EXPERT)))
        if self.is_official:
            choices.append((AuthorRole.OFFICIAL.value, role_label(AuthorRole.OFFICIAL)))
        return choices


def person_viewer(user: AnyUser, *, fresh: bool = False) -> Viewer:
    """The person's roles that do not depend on a round: whether they may take part in
    rounds at all (``Viewer.is_commenter``) and for which organisations, and (read with them,
    in the same query) the teams they moderate. ``fresh``: read now, not as read with the
    person for the request (teams.permissions.person_roles)."""
    user = person(user)
    if not (user.is_authenticated and user.is_active):
        return Viewer(user=user)
    organisations, teams = person_roles(user, fresh=fresh)
    coordinator = is_coordinator(user)
    return Viewer(
        user=user,
        is_coordinator=coordinator,
        is_moderator=coordinator,
        is_expert=bool(user.is_expert),
        is_official=bool(user.is_official),
        organisations=organisations,
        moderated_teams=teams,
    )


def viewer_for(user: AnyUser, round_: Round, *, fresh: bool = False) -> Viewer:
    """The person's roles in ``round_``: ``person_viewer``'s, and moderator of the round if
    they moderate its meeting's team."""
    viewer = person_viewer(user, fresh=fresh)
    if viewer.is_active and not viewer.is_moderator:
        viewer.is_moderator = (
            round_.meeting_id is not None and round_.meeting.team_id in viewer.moderated_teams  # type: ignore[union-attr,operator]
        )
    return viewer


# --- The round ---------------------------------------------------------------------------


def can_manage_rounds(user: AnyUser) -> bool:
    """Create rounds and move them through their phases: the coordinating team."""
    return is_coordinator(user)


def can_view_round(user: AnyUser, round_: Round) -> bool:
    """Everyone reads a round once it is announced; a draft only the coordinating team."""
    return round_.status != Phase.DRAFT or is_coordinator(user)


def can_edit_round(user: AnyUser, round_: Round) -> bool:
    return round_.status == Phase.DRAFT and is_coordinator(user)


def can_announce_round(user: AnyUser, round_: Round) -> bool:
    return phase_of(round_) == Phase.DRAFT and is_coordinator(user)


def can_open_round_now(user: AnyUser, round_: Round) -> bool:
    return phase_of(round_) == Phase.ANNOUNCED and is_coordinator(user)


def can_close_round(user: AnyUser, round_: Round) -> bool:
    return phase_of(round_) == Phase.OPEN and is_coordinator(user)


def can_settle(user: AnyUser, round_: Round) -> bool:
    return phase_opens(round_, Feature.SETTLE) and is_coordinator(user)


def can_manage_answer_templates(user: AnyUser) -> bool:
    """Keep the reusable justifications (answer templates): the coordinating team."""
    return is_coordinator(user)


def may_draft_answers(user: AnyUser, round_: Round) -> bool:
    """Who may be assigned comments of the round and draft their answers: an active member
    of the coordinating team or city official who can see the round."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (is_coordinator(user) or user.is_official)
        and can_view_round(user, round_)
    )


def can_draft_answer(user: AnyUser, comment: Comment, assignee_id: int | None) -> bool:
    """Draft the answer to an assigned comment while the round is settled: its assignee, or
    the coordinating team."""
    return (
        phase_opens(comment.round, Feature.SETTLE)
        and may_draft_answers(user, comment.round)
        and (assignee_id == user.pk or is_coordinator(user))
    )


def decides_on_own(user: AnyUser, comment: Comment) -> bool:
    """The person wrote the comment, so they may not decide on it (hide it, show it again,
    settle it): someone else must. Asked by the pages (the controls are not offered) and by
    the services (``services.OwnComment``), which refuse it whatever the page let through."""
    return comment.author_id is not None and comment.author_id == user.pk


def can_mark_settled(user: AnyUser, round_: Round) -> bool:
    return phase_of(round_) == Phase.CLOSED and is_coordinator(user)


def can_publish_report(user: AnyUser, round_: Round) -> bool:
    return phase_of(round_) == Phase.SETTLED and is_coordinator(user)


def can_view_report(user: AnyUser, round_: Round) -> bool:
    """Public once published; the coordinating team previews it from the close on."""
    if phase_opens(round_, Feature.REPORT):
        return True
    return reached(phase_of(round_), Phase.CLOSED) and is_coordinator(user)


def can_view_audit(user: AnyUser, round_: Round) -> bool:
    return is_coordinator(user)


# --- Comments (per viewer) -----------------------------------------------------------------


def can_comment(viewer: Viewer, round_: Round) -> bool:
    return phase_opens(round_, Feature.COMMENT) and viewer.is_commenter


def takes_responses(comment: Comment) -> bool:
    """Replies, supports and flags go only to a comment anyone may read: not to one the
    moderators hid (its placeholder keeps its place on the page) nor to a withdrawn one, for
    anyone, moderators included. Asked by the pages (``can_reply``, ``can_support``,
    ``can_flag``) and by the services, which refuse it whatever the page let through
    (``closed_to_responses`` says why)."""
    return not comment.is_hidden and not comment.is_withdrawn


def closed_to_responses(comment: Comment) -> str:
    """Why the comment takes no reply, support or flag (``takes_responses``); "" when it does."""
    if comment.is_hidden:
        return _(
            "The moderators have hidden this comment: it cannot be replied to, supported or "
            "reported. Nothing was saved."
        )
    if comment.is_withdrawn:
        return _("This comment was withdrawn by its author. Nothing was saved.")
    return ""


def can_reply(viewer: Viewer, comment: Comment) -> bool:
    return (
        phase_opens(comment.round, Feature.REPLY)
        and viewer.is_commenter
        and comment.parent_id is None
        and takes_responses(comment)
    )


def supporting_organisations(viewer: Viewer, comment: Comment) -> dict[int, str]:
    """The viewer's organisations that may still support the comment (needs
    ``comment.supports`` prefetched to stay one query per page)."""
    if not (viewer.is_active and viewer.organisations):
        return {}
    done = _supporters(comment)
    return {
        pk: name
        for pk, name in viewer.organisations.items()
        if pk != comment.organisation_id and pk not in done
    }


def _supporters(comment: Comment) -> set[int]:
    """The ids of the organisations that support the comment (its prefetched supports)."""
    return {s.organisation_id for s in comment.supports.all()}


def withdrawable_supports(viewer: Viewer, comment: Comment) -> dict[int, str]:
    """The viewer's organisations whose support of the comment they may take back: while the
    round takes supports (needs ``comment.supports`` prefetched, as above)."""
    if not (viewer.is_active and viewer.organisations) or comment.parent_id is not None:
        return {}
    if not phase_opens(comment.round, Feature.SUPPORT):
        return {}
    given = _supporters(comment)
    return {pk: name for pk, name in viewer.organisations.items() if pk in given}


def can_support(viewer: Viewer, comment: Comment) -> bool:
    return (
        phase_opens(comment.round, Feature.SUPPORT)
        and comment.parent_id is None
        and takes_responses(comment)
        and bool(supporting_organisations(viewer, comment))
    )


def can_edit_comment(viewer: Viewer, comment: Comment) -> bool:
    """The author edits or withdraws until the round closes."""
    return (
        phase_opens(comment.round, Feature.EDIT_OWN)
        and viewer.is_active
        and comment.author_id == viewer.user.pk
        and not comment.is_withdrawn
    )


def can_flag(viewer: Viewer, comment: Comment) -> bool:
    """People who take part in the round flag others' comments (not throwaway accounts)."""
    return (
        phase_opens(comment.round, Feature.FLAG)
        and viewer.is_commenter
        and comment.author_id != viewer.user.pk
        and takes_responses(comment)
    )


def can_moderate(viewer: Viewer, round_: Round) -> bool:
    return phase_opens(round_, Feature.MODERATE) and viewer.is_moderator


def hiding_reserved(comment: Comment) -> bool:
    """Only the coordinating team hides or shows again a comment the city registered (a
    letter, an e-mail, an ePUAP filing: the team registered it and answers for the record of
    what was received) or one already settled (the report prints it beside its disposition):
    a team's moderators keep the portal's debate civil, they do not edit the city's record.
    Nor do flags: such a comment is never hidden automatically (services.comment_flag)."""
    return comment.is_registered or comment.is_settled


def may_hide(coordinator: bool, comment: Comment) -> bool:
    """Whether a moderator (of the coordinating team: ``coordinator``) may hide the comment or
    show it again, as far as ``hiding_reserved`` goes: asked by the round page, the moderation
    queue and the services."""
    return coordinator or not hiding_reserved(comment)


def may_dismiss_flags(coordinator: bool, comment: Comment) -> bool:
    """Dismissing the flags of a comment they hid automatically shows it again: for a comment
    reserved to the coordinating team, only that team may (``may_hide``)."""
    shows_again = comment.is_hidden and comment.hidden_automatically
    return may_hide(coordinator, comment) or not shows_again


def can_moderate_comment(viewer: Viewer, comment: Comment) -> bool:
    """Hide or show again this comment: a moderator of the round, unless it is their own; one
    reserved to the coordinating team (``hiding_reserved``) only by that team."""
    return (
        can_moderate(viewer, comment.round)
        and not decides_on_own(viewer.user, comment)
        and may_hide(viewer.is_coordinator, comment)
    )


def can_see_comment(viewer: Viewer, comment: Comment) -> bool:
    """Who reads a comment in full. Hidden comments: their author and the moderators;
    withdrawn ones: their author."""
    own = viewer.is_active and comment.author_id == viewer.user.pk
    if comment.is_withdrawn:
        return own
    if comment.is_hidden:
        return own or viewer.is_moderator
    return True


def sees_placeholder(viewer: Viewer, comment: Comment) -> bool:
    """A comment or reply the moderators hid keeps its place on the round page: whoever may
    not read it (``can_see_comment``) finds there who sent it, when and why it was hidden
    (``Comment.report_text``, as the report says) — for a comment, also what it is on, its
    supports and its replies; a reply stays under its comment — never its text, and
    no control. A withdrawn one stays gone, as in the report."""
    return comment.is_hidden and not comment.is_withdrawn and not can_see_comment(viewer, comment)


def can_list_comment(viewer: Viewer, comment: Comment) -> bool:
    """The comment or reply is on the viewer's round page, in full or as a placeholder
    (``CommentQuerySet.listed_to`` as a filter); the comment actions answer 404 otherwise.
    A reply is there only under its comment: one under a comment its author withdrew is on
    nobody's page but that author's (the page reads replies under its listed threads only)."""
    parent = comment.parent if comment.parent_id is not None else None
    return _listed_itself(viewer, comment) and (parent is None or _listed_itself(viewer, parent))


def _listed_itself(viewer: Viewer, comment: Comment) -> bool:
    return can_see_comment(viewer, comment) or sees_placeholder(viewer, comment)


# --- The register (comments received outside the portal) -------------------------------------


def can_register_comments(user: AnyUser, round_: Round) -> bool:
    """Register (and correct) comments received by e-mail, post, ePUAP, in person…: the
    coordinating team, from the announcement until the comments are settled."""
    return phase_opens(round_, Feature.REGISTER) and is_coordinator(user)


def can_withdraw_registered(user: AnyUser, comment: Comment) -> bool:
    """Withdraw a registered comment (the sender's written withdrawal, a duplicate, a
    registration error): the coordinating team, until the report is published
    (``Feature.REGISTER_WITHDRAW``). Withdrawing one already withdrawn is not offered."""
    return (
        comment.is_registered
        and comment.parent_id is None
        and not comment.is_withdrawn
        and phase_opens(comment.round, Feature.REGISTER_WITHDRAW)
        and is_coordinator(user)
    )


def can_view_originals(user: AnyUser, round_: Round) -> bool:
    """The originals of registered comments (scans, photos, e-mails): the coordinating team
    only, in every phase; they may hold personal data nobody else may read."""
    return is_coordinator(user)


# --- The moderation queue ------------------------------------------------------------------


def can_use_moderation_queue(user: AnyUser) -> bool:
    """The queue page and its header badge: the coordinating team and the moderators of any
    team (each sees the comments of the rounds they moderate, selectors.moderation_queue)."""
    if is_coordinator(user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return moderator_memberships(user).exists()


# --- A round's events (Kraków's rules) -------------------------------------------------------


def can_manage_events(user: AnyUser, round_: Round) -> bool:
    """Add, change and delete a round's events: the coordinating team, until it closes."""
    return is_coordinator(user) and not reached(phase_of(round_), Phase.CLOSED)


def can_record_attendance(user: AnyUser, round_: Round) -> bool:
    """The attendance of a round's events: the coordinating team, until the report is out."""
    return is_coordinator(user) and phase_of(round_) != Phase.REPORT_PUBLISHED


def can_manage_report_records(user: AnyUser, round_: Round) -> bool:
    """Where the announcement was published, and the report's annexes (the KRDPP opinion,
    the minutes of open meetings): the coordinating team, until the report is published."""
    return is_coordinator(user) and phase_of(round_) != Phase.REPORT_PUBLISHED


def annexes_public(round_: Round) -> bool:
    """The report's annexes are public with the report."""
    return phase_opens(round_, Feature.REPORT)


def can_view_annexes(user: AnyUser, round_: Round) -> bool:
    """The report's annexes: the coordinating team before the report is published, everyone
    after."""
    return annexes_public(round_) or is_coordinator(user)
