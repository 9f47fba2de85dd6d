"""The role × phase matrix: every predicate, for every role, in every phase of the round."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser

from consultations import permissions as perms
from consultations.models import Comment, Round
from consultations.phases import Phase
from teams.models import Organisation, Representation, User

from .conftest import PHASES

pytestmark = pytest.mark.django_db

P = Phase
ROLES = ["anonymous", "unverified", "member", "expert", "official", "moderator", "coordinator"]
ALL = set(PHASES)
NOT_DRAFT = ALL - {P.DRAFT}
COMMENTERS = {"member", "expert", "official"}

# feature → role → phases in which the role may use it
EXPECTED: dict[str, dict[str, set[str]]] = {
    "view": {role: ALL if role == "coordinator" else NOT_DRAFT for role in ROLES},
    "comment": {role: {P.OPEN} if role in COMMENTERS else set() for role in ROLES},
    "reply": {role: {P.OPEN} if role in COMMENTERS else set() for role in ROLES},
    # The comment is by another organisation; only the member represents an organisation.
    "support": {role: {P.OPEN} if role == "member" else set() for role in ROLES},
    # Only people who may take part in a round (its commenters) flag its comments.
    "flag": {role: {P.OPEN, P.CLOSED} if role in COMMENTERS else set() for role in ROLES},
    "moderate": {
        role: {P.OPEN, P.CLOSED, P.SETTLED} if role in ("moderator", "coordinator") else set()
        for role in ROLES
    },
    "settle": {role: {P.CLOSED} if role == "coordinator" else set() for role in ROLES},
    "mark_settled": {role: {P.CLOSED} if role == "coordinator" else set() for role in ROLES},
    "publish_report": {role: {P.SETTLED} if role == "coordinator" else set() for role in ROLES},
    "report": {
        role: {P.CLOSED, P.SETTLED, P.REPORT_PUBLISHED}
        if role == "coordinator"
        else {P.REPORT_PUBLISHED}
        for role in ROLES
    },
    "announce": {role: {P.DRAFT} if role == "coordinator" else set() for role in ROLES},
    "close": {role: {P.OPEN} if role == "coordinator" else set() for role in ROLES},
    "audit": {role: ALL if role == "coordinator" else set() for role in ROLES},
}


def _check(feature: str, user: object, round_: Round, comment: Comment) -> bool:
    viewer = perms.viewer_for(user, round_)  # type: ignore[arg-type]
    return {
        "view": lambda: perms.can_view_round(user, round_),
        "comment": lambda: perms.can_comment(viewer, round_),
        "reply": lambda: perms.can_reply(viewer, comment),
        "support": lambda: perms.can_support(viewer, comment),
        "flag": lambda: perms.can_flag(viewer, comment),
        "moderate": lambda: perms.can_moderate(viewer, round_),
        "settle": lambda: perms.can_settle(user, round_),
        "mark_settled": lambda: perms.can_mark_settled(user, round_),
        "publish_report": lambda: perms.can_publish_report(user, round_),
        "report": lambda: perms.can_view_report(user, round_),
        "announce": lambda: perms.can_announce_round(user, round_),
        "close": lambda: perms.can_close_round(user, round_),
        "audit": lambda: perms.can_view_audit(user, round_),
    }[feature]()


@pytest.fixture
def people(
    member: User, expert: User, official: User, moderator: User, coordinator: User, unverified
) -> dict[str, object]:
    return {
        "anonymous": AnonymousUser(),
        "unverified": unverified,
        "member": member,
        "expert": expert,
        "official": official,
        "moderator": moderator,
        "coordinator": coordinator,
    }


def test_every_role_in_every_phase_may_do_exactly_what_the_lifecycle_opens(
    make_round: Callable[..., Round], people: dict[str, object], other_rep: User
) -> None:
    other_org = Organisation.objects.get(representations__user=other_rep)
    mismatches = []
    for phase in PHASES:
        round_ = make_round(phase)
        comment = Comment.objects.create(
            round=round_,
            author=other_rep,
            author_role="organisation",
            organisation=other_org,
            text="By another organisation",
        )
        for role, user in people.items():
            for feature, allowed in EXPECTED.items():
                got = _check(feature, user, round_, comment)
                if got != (phase in allowed[role]):
                    mismatches.append(f"{role} {feature} in {phase}: {got}")
    assert mismatches == []


def test_an_author_edits_only_while_the_round_is_open(
    make_round: Callable[..., Round], make_comment: Callable[..., Comment], member: User
) -> None:
    for phase in PHASES:
        comment = make_comment(make_round(phase))
        viewer = perms.viewer_for(member, comment.round)
        assert perms.can_edit_comment(viewer, comment) == (phase == P.OPEN), phase


def test_nobody_else_edits_a_comment(
    open_round: Round, make_comment: Callable[..., Comment], coordinator: User, other_rep: User
) -> None:
    comment = make_comment(open_round)
    for user in (coordinator, other_rep):
        assert not perms.can_edit_comment(perms.viewer_for(user, open_round), comment)


def test_a_representative_whose_organisation_is_not_verified_cannot_comment(
    open_round: Round, member: User
) -> None:
    Organisation.objects.filter(representations__user=member).update(verified_at=None)
    assert not perms.can_comment(perms.viewer_for(member, open_round), open_round)


def test_a_pending_representative_cannot_comment(open_round: Round, member: User) -> None:
    Representation.objects.filter(user=member).update(status=Representation.Status.PENDING)
    assert not perms.can_comment(perms.viewer_for(member, open_round), open_round)


def test_an_organisation_cannot_support_its_own_comment(
    open_round: Round, make_comment: Callable[..., Comment], member: User
) -> None:
    comment = make_comment(open_round)
    assert not perms.can_support(perms.viewer_for(member, open_round), comment)
