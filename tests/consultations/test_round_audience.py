"""Everyone a round addresses is told: the announcement, the opening (by hand or by the
clock), the reminders and the closing all ask one rule (notices.round_audience), which
includes the experts and city officials who may take part (``Viewer.is_commenter``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from consultations import notices, services
from consultations.models import AuthorRole, Comment, Round
from consultations.permissions import viewer_for
from consultations.phases import Phase
from notifications.models import Outbox
from teams.models import Meeting, Membership, User

pytestmark = pytest.mark.django_db


def _recipients(kind: str, round_: Round) -> set[str]:
    rows = Outbox.objects.filter(kind=kind, subject_id=str(round_.pk))
    return set(rows.values_list("recipient__email", flat=True))


@pytest.fixture
def outsider(seeded: Meeting) -> User:
    """Logged in once, holds no role and speaks for no organisation: not addressed."""
    return User.objects.create_user("outsider@example.org", "pw-outsider-123")


@pytest.fixture
def retired_expert(seeded: Meeting) -> User:
    return User.objects.create_user(
        "old@example.org", "pw-old-123", is_expert=True, is_active=False
    )


def _team_members(seeded: Meeting) -> set[str]:
    members = User.objects.filter(
        memberships__team=seeded.team, memberships__status=Membership.Status.APPROVED
    )
    return set(members.values_list("email", flat=True))


def test_announcing_tells_experts_officials_representatives_and_the_team(
    make_round: Callable[..., Round],
    coordinator: User,
    member: User,
    other_rep: User,
    expert: User,
    official: User,
    outsider: User,
    retired_expert: User,
    seeded: Meeting,
) -> None:
    round_ = make_round(Phase.DRAFT)
    services.round_announce(actor=coordinator, round_=round_, override_reason="Test.")
    told = _recipients("round_announced", round_)
    assert {member.email, other_rep.email, expert.email, official.email} <= told
    assert _team_members(seeded) <= told
    assert outsider.email not in told
    assert retired_expert.email not in told


def test_opening_by_hand_tells_experts_and_officials(
    make_round: Callable[..., Round], coordinator: User, expert: User, official: User
) -> None:
    round_ = make_round(Phase.ANNOUNCED)
    services.round_open(actor=coordinator, round_=round_)
    assert {expert.email, official.email} <= _recipients("round_opened", round_)


def test_opening_by_the_clock_tells_experts_and_officials(
    make_round: Callable[..., Round], expert: User, official: User, outsider: User
) -> None:
    round_ = make_round(Phase.OPEN)  # opened a day ago by its dates
    notices.rounds_schedule(timezone.now())
    told = _recipients("round_opened", round_)
    assert {expert.email, official.email} <= told
    assert outsider.email not in told


def test_reminders_reach_experts_and_officials_who_have_not_commented(
    make_round: Callable[..., Round],
    expert: User,
    official: User,
    member: User,
    outsider: User,
) -> None:
    now = timezone.now()
    round_ = make_round(
        Phase.OPEN, opens_at=now - dt.timedelta(days=20), closes_at=now + dt.timedelta(hours=12)
    )
    Comment.objects.create(round=round_, author=official, author_role=AuthorRole.OFFICIAL, text="x")
    notices.rounds_schedule(now)
    told = _recipients("round_reminder", round_)
    assert expert.email in told and member.email in told
    assert official.email not in told  # commented already
    assert outsider.email not in told


def test_closing_tells_everyone_addressed_and_every_commenter(
    make_round: Callable[..., Round],
    coordinator: User,
    expert: User,
    official: User,
    member: User,
    outsider: User,
) -> None:
    round_ = make_round(Phase.OPEN)
    services.round_close(actor=coordinator, round_=round_, reason="Zmiana terminu sesji.")
    told = _recipients("round_closed", round_)
    assert {expert.email, official.email, member.email} <= told
    assert outsider.email not in told


def test_the_audience_rule_agrees_with_who_may_take_part(
    make_round: Callable[..., Round],
    expert: User,
    official: User,
    member: User,
    outsider: User,
    coordinator: User,
) -> None:
    round_ = make_round(Phase.OPEN)
    takers = User.objects.filter(notices.may_take_part()).distinct()
    for user in (expert, official, member, outsider, coordinator):
        assert (user in takers) == viewer_for(user, round_).is_commenter, user.email
