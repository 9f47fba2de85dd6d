"""Whom a comment speaks for is the service's rule, not only the page's: a representative
(``Representation.objects.active()``: approved, the organisation verified) for their
organisation, an expert or a city official in that role. A request that names another
organisation or a role the person lacks is refused by ``services.comment_post`` (and
``comment_support``) however it got there, and nothing is stored."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from uuid import uuid4

import pytest
from django.test import Client
from django.utils import translation

from consultations import services
from consultations.models import AuthorRole, Comment, Round, Support
from notifications.models import Outbox
from teams.models import Organisation, Representation, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def _post(actor: User, round_: Round, **fields: Any) -> Comment:
    return services.comment_post(actor=actor, round_=round_, text="Uwaga", **fields)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def other_org(other_rep: User) -> Organisation:
    return Organisation.objects.get(representations__user=other_rep)


def test_a_comment_for_an_organisation_the_user_does_not_represent_is_refused(
    open_round: Round, member: User, other_org: Organisation
) -> None:
    with pytest.raises(services.Refused, match="do not speak for this organisation"):
        _post(member, open_round, author_role=AuthorRole.ORGANISATION, organisation=other_org)
    assert not Comment.objects.filter(round=open_round).exists()
    assert not Outbox.objects.exists()


def test_a_reply_for_an_organisation_the_user_does_not_represent_is_refused(
    open_round: Round,
    member: User,
    other_org: Organisation,
    make_comment: Callable[..., Comment],
) -> None:
    parent = make_comment(open_round)
    with pytest.raises(services.Refused):
        _post(
            member,
            open_round,
            author_role=AuthorRole.ORGANISATION,
            organisation=other_org,
            parent=parent,
        )
    assert not parent.replies.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"status": Representation.Status.PENDING},
        {"status": Representation.Status.REJECTED},
    ],
)
def test_a_representation_that_is_not_approved_does_not_speak_for_the_organisation(
    open_round: Round, member: User, member_org: Organisation, change: dict[str, str]
) -> None:
    Representation.objects.filter(user=member).update(**change)
    with pytest.raises(services.Refused):
        _post(member, open_round, author_role=AuthorRole.ORGANISATION, organisation=member_org)
    assert not Comment.objects.filter(round=open_round).exists()


def test_an_unverified_organisation_has_nobody_speaking_for_it(
    open_round: Round, member: User, member_org: Organisation
) -> None:
    Organisation.objects.filter(pk=member_org.pk).update(verified_at=None)
    with pytest.raises(services.Refused):
        _post(member, open_round, author_role=AuthorRole.ORGANISATION, organisation=member_org)
    assert not Comment.objects.filter(round=open_round).exists()


@pytest.mark.parametrize("role", [AuthorRole.EXPERT, AuthorRole.OFFICIAL, "coordinator"])
def test_a_role_the_person_does_not_hold_is_refused(
    open_round: Round, member: User, role: str
) -> None:
    with pytest.raises(services.Refused):
        _post(member, open_round, author_role=role)
    assert not Comment.objects.filter(round=open_round).exists()


def test_a_personal_role_does_not_carry_an_organisation(
    open_round: Round, expert: User, other_org: Organisation
) -> None:
    with pytest.raises(services.Refused):
        _post(expert, open_round, author_role=AuthorRole.EXPERT, organisation=other_org)
    assert not Comment.objects.filter(round=open_round).exists()


def test_each_person_comments_in_what_they_are(
    open_round: Round, member: User, member_org: Organisation, expert: User, official: User
) -> None:
    _post(member, open_round, author_role=AuthorRole.ORGANISATION, organisation=member_org)
    _post(expert, open_round, author_role=AuthorRole.EXPERT)
    _post(official, open_round, author_role=AuthorRole.OFFICIAL)
    assert Comment.objects.filter(round=open_round).count() == 3


def test_support_on_behalf_of_an_organisation_the_user_does_not_represent_is_refused(
    open_round: Round,
    make_comment: Callable[..., Comment],
    expert: User,
    other_org: Organisation,
) -> None:
    comment = make_comment(open_round)
    with pytest.raises(services.Refused, match="do not speak for this organisation"):
        services.comment_support(actor=expert, comment=comment, organisation=other_org)
    assert not Support.objects.filter(comment=comment).exists()


def test_the_page_offers_only_the_persons_own_choices(
    open_round: Round, member: User, other_org: Organisation, as_user: Login
) -> None:
    response = as_user(member).post(
        f"/consultations/{open_round.pk}/comments/",
        {
            "comment-on_behalf": f"org:{other_org.pk}",
            "comment-text": "Uwaga",
            "comment-token": uuid4(),
        },
    )
    assert response.status_code == 400
    assert not Comment.objects.filter(round=open_round).exists()


def test_an_organisation_given_by_its_id_is_read_with_the_check_that_one_speaks_for_it(
    open_round: Round, member: User, member_org: Organisation, other_org: Organisation
) -> None:
    """As the comment form gives it (forms.OnBehalfMixin.clean_on_behalf): the id of the
    organisation chosen; the service reads the organisation in the query that checks that the
    person speaks for it."""
    with pytest.raises(services.Refused, match="do not speak for this organisation"):
        _post(member, open_round, author_role=AuthorRole.ORGANISATION, organisation=other_org.pk)
    comment = _post(
        member, open_round, author_role=AuthorRole.ORGANISATION, organisation=member_org.pk
    )
    assert comment.organisation == member_org
    assert comment.organisation.name == member_org.name
    assert Comment.objects.get(pk=comment.pk).organisation_id == member_org.pk


def test_a_flag_is_checked_against_the_roles_as_they_are_now(
    open_round: Round,
    member: User,
    expert: User,
    make_comment: Callable[..., Comment],
) -> None:
    """The person as loaded for the request carries the roles of that moment
    (teams.models.User.loaded_roles); the flag's service reads them afresh, so a
    representation ended meanwhile no longer lets the person flag."""
    comment = make_comment(
        open_round, author=expert, author_role=AuthorRole.EXPERT, organisation=None
    )
    loaded = User.objects.get(pk=member.pk)
    assert loaded.loaded_roles
    Representation.objects.filter(user=member).delete()
    with pytest.raises(services.Refused, match="Only people who may take part"):
        services.comment_flag(actor=loaded, comment=comment)
