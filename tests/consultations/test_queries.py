"""Scale: the round page costs the same number of queries with 10 comments as with 500."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations.models import AuthorRole, Comment, Round, Support
from teams.models import Organisation, User

pytestmark = pytest.mark.django_db


def _fill(round_: Round, n: int, member: User, other_rep: User) -> None:
    org = Organisation.objects.get(representations__user=member)
    other = Organisation.objects.get(representations__user=other_rep)
    comments = Comment.objects.bulk_create(
        Comment(
            round=round_,
            author=member,
            author_role=AuthorRole.ORGANISATION,
            organisation=org,
            text=f"Uwaga {i}",
        )
        for i in range(n)
    )
    reply_and_support(comments, other_rep, other)


def reply_and_support(comments: list[Comment], replier: User, other: Organisation) -> None:
    """Each comment gets a reply by ``replier`` for ``other``, and ``other``'s support."""
    Comment.objects.bulk_create(
        Comment(
            round=c.round,
            parent=c,
            author=replier,
            author_role=AuthorRole.ORGANISATION,
            organisation=other,
            text="Odpowiedź",
        )
        for c in comments
    )
    Support.objects.bulk_create(Support(comment=c, organisation=other) for c in comments)


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["anonymous", "other_rep", "moderator"])
def test_the_round_page_issues_as_many_queries_with_500_comments_as_with_10(
    make_round: Callable[..., Round],
    member: User,
    other_rep: User,
    as_user: Callable[[User | None], Client],
    who: str,
    request: pytest.FixtureRequest,
) -> None:
    small = make_round(title="Small")
    large = make_round(title="Large")
    _fill(small, 10, member, other_rep)
    _fill(large, 500, member, other_rep)
    client = as_user(None if who == "anonymous" else request.getfixturevalue(who))
    assert _count(client, small.get_absolute_url()) == _count(client, large.get_absolute_url())
    page = client.get(large.get_absolute_url() + "?page=2").content.decode()
    assert "Page 2 of 25" in page


def test_the_report_is_paginated(
    make_round: Callable[..., Round],
    member: User,
    other_rep: User,
    as_user: Callable[[User | None], Client],
) -> None:
    from consultations.phases import Phase

    round_ = make_round(Phase.REPORT_PUBLISHED)
    _fill(round_, 120, member, other_rep)
    body = as_user(None).get(f"/consultations/{round_.pk}/report/?page=3").content.decode()
    assert "Page 3 of 3" in body
    assert body.count('id="report-') == 20


def test_visitors_see_every_change_despite_the_cached_comment_list(
    open_round: Round,
    make_comment: Callable[..., Comment],
    member: User,
    moderator: User,
    as_user: Callable[[User | None], Client],
) -> None:
    visitor = as_user(None)
    assert "Pierwsza" not in visitor.get(open_round.get_absolute_url()).content.decode()
    as_user(member).post(
        f"/consultations/{open_round.pk}/comments/",
        {"comment-text": "Pierwsza uwaga", "comment-token": uuid4()},
    )
    page = visitor.get(open_round.get_absolute_url()).content.decode()
    assert "Pierwsza uwaga" in page
    assert "&lt;" not in page.split("comments-heading")[0][-200:]  # the cached HTML is not escaped
    comment = open_round.comments.get()
    as_user(moderator).post(
        f"/consultations/comments/{comment.pk}/hide/", {"moderation-reason": "Spam"}
    )
    assert "Pierwsza uwaga" not in visitor.get(open_round.get_absolute_url()).content.decode()


def test_the_cached_list_is_kept_per_language(
    open_round: Round,
    make_comment: Callable[..., Comment],
    as_user: Callable[[User | None], Client],
) -> None:
    from django.utils import dateformat, timezone, translation

    comment = make_comment(open_round, "Uwaga z datą")
    english = as_user(None).get(open_round.get_absolute_url()).content.decode()
    polish = Client().get(open_round.get_absolute_url()).content.decode()
    when = timezone.localtime(comment.created_at)
    with translation.override("pl"):
        polish_month = dateformat.format(when, "E")
    with translation.override("en"):
        english_month = dateformat.format(when, "E")
    assert polish_month != english_month
    assert f"{when.day} {polish_month}" in polish
    assert f"{when.day} {english_month}" in english


def test_a_logged_in_commenter_gets_a_fresh_list_with_their_own_actions(
    open_round: Round,
    make_comment: Callable[..., Comment],
    member: User,
    as_user: Callable[[User | None], Client],
) -> None:
    as_user(None).get(open_round.get_absolute_url())
    comment = make_comment(open_round, "Moja uwaga")
    page = as_user(member).get(open_round.get_absolute_url()).content.decode()
    assert "Moja uwaga" in page
    assert f"/consultations/comments/{comment.pk}/edit/" in page
