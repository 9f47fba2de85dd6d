"""Nobody decides on their own comment: a moderator does not hide or show it again, a
coordinator does not settle it (alone or among others). Refused with 403 and a message,
recorded in the audit log as a denial, nothing changed; the pages do not offer it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from consultations.models import AuthorRole, Comment, Disposition, Round
from consultations.phases import Phase
from core.models import AuditEntry
from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
DENIED = "comment.own_decision_denied"


def _own(round_: Round, author: User, text: str = "Moja własna uwaga", **fields: object) -> Comment:
    return Comment.objects.create(
        round=round_, author=author, author_role=AuthorRole.EXPERT, text=text, **fields
    )


@pytest.fixture
def expert_moderator(moderator: User) -> User:
    User.objects.filter(pk=moderator.pk).update(is_expert=True)
    moderator.refresh_from_db()
    return moderator


@pytest.fixture
def expert_coordinator(coordinator: User) -> User:
    User.objects.filter(pk=coordinator.pk).update(is_expert=True)
    coordinator.refresh_from_db()
    return coordinator


def test_a_moderator_cannot_hide_their_own_comment(
    open_round: Round, expert_moderator: User, as_user: Login
) -> None:
    comment = _own(open_round, expert_moderator)
    response = as_user(expert_moderator).post(
        f"/consultations/comments/{comment.pk}/hide/", {"moderation-reason": "Mój wpis"}
    )
    assert response.status_code == 403
    assert "your own comment" in response.content.decode()
    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert not AuditEntry.objects.filter(action="comment.hide").exists()
    denial = AuditEntry.objects.get(action=DENIED)
    assert denial.actor == expert_moderator and denial.target_id == str(comment.pk)
    assert denial.data == {"round": open_round.pk, "attempted": "hide"}


def test_a_moderator_cannot_show_their_own_hidden_comment_again(
    open_round: Round, expert_moderator: User, as_user: Login
) -> None:
    comment = _own(open_round, expert_moderator, hidden_at=timezone.now(), hidden_reason="Spam")
    response = as_user(expert_moderator).post(
        f"/consultations/comments/{comment.pk}/unhide/",
        {"moderation-reason": "Jednak nie"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.is_hidden
    assert AuditEntry.objects.get(action=DENIED).data["attempted"] == "unhide"


def test_the_round_page_offers_a_moderator_hiding_others_comments_but_not_their_own(
    open_round: Round,
    make_comment: Callable[..., Comment],
    expert_moderator: User,
    as_user: Login,
) -> None:
    own = _own(open_round, expert_moderator)
    other = make_comment(open_round, "Cudza uwaga")
    page = as_user(expert_moderator).get(open_round.get_absolute_url()).content.decode()
    assert f"/consultations/comments/{other.pk}/hide/" in page
    assert f"/consultations/comments/{own.pk}/hide/" not in page


def test_a_coordinator_cannot_settle_their_own_comment(
    make_round: Callable[..., Round], expert_coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.CLOSED)
    comment = _own(round_, expert_coordinator)
    client = as_user(expert_coordinator)
    page = client.get(f"/consultations/{round_.pk}/settle/").content.decode()
    assert f'id="choose-{comment.pk}"' not in page
    assert "another coordinator settles it" in page
    response = client.post(
        f"/consultations/{round_.pk}/settle/",
        {
            "comments": [comment.pk],
            f"version-{comment.pk}": comment.version,
            "disposition": Disposition.ACCEPTED,
            "justification": "Słuszna.",
        },
    )
    assert response.status_code == 403
    assert f"#{comment.pk}" in response.content.decode()
    comment.refresh_from_db()
    assert comment.disposition == "" and comment.settled_by is None
    assert not AuditEntry.objects.filter(action="comment.settle").exists()
    denial = AuditEntry.objects.get(action=DENIED)
    assert (denial.actor, denial.target_id) == (expert_coordinator, str(comment.pk))
    assert denial.data["attempted"] == "settle"


def test_an_own_comment_among_several_refuses_the_whole_settling(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    expert_coordinator: User,
    as_user: Login,
) -> None:
    round_ = make_round(Phase.CLOSED)
    own = _own(round_, expert_coordinator, "Ta sama treść")
    other = make_comment(round_, "Ta sama treść")
    response = as_user(expert_coordinator).post(
        f"/consultations/{round_.pk}/settle/",
        {
            "comments": [own.pk, other.pk],
            f"version-{own.pk}": own.version,
            f"version-{other.pk}": other.version,
            "disposition": Disposition.ACCEPTED,
            "justification": "Razem.",
        },
    )
    assert response.status_code == 403
    assert not Comment.objects.filter(round=round_).exclude(disposition="").exists()
    assert list(AuditEntry.objects.filter(action=DENIED).values_list("target_id", flat=True)) == [
        str(own.pk)
    ]


def test_another_coordinator_settles_the_comment(
    make_round: Callable[..., Round],
    expert_coordinator: User,
    as_user: Login,
) -> None:
    round_ = make_round(Phase.CLOSED)
    comment = _own(round_, expert_coordinator)
    second = User.objects.create_user("k2@example.org", "pw-k2-12345", is_coordinator=True)
    response = as_user(second).post(
        f"/consultations/{round_.pk}/settle/",
        {
            "comments": [comment.pk],
            f"version-{comment.pk}": comment.version,
            "disposition": Disposition.NOT_ACCEPTED,
            "justification": "Nie.",
        },
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.settled_by == second
    assert not AuditEntry.objects.filter(action=DENIED).exists()
