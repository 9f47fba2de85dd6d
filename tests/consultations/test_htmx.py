"""htmx enhances, never replaces: a normal POST redirects, an HX-Request POST gets the fragment."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest
from django.test import Client

from consultations.models import Comment, Flag, Round, Support
from teams.models import Organisation, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
HX = {"HTTP_HX_REQUEST": "true"}


def test_commenting_with_htmx_returns_the_form_and_the_new_comment_out_of_band(
    open_round: Round, member: User, as_user: Login
) -> None:
    response = as_user(member).post(
        f"/consultations/{open_round.pk}/comments/",
        {"comment-text": "Przez htmx", "comment-item": "", "comment-token": uuid4()},
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="comment-form-section"' in body
    assert 'hx-swap-oob="beforeend:#comment-list"' in body
    comment = open_round.comments.get()
    assert f'id="comment-{comment.pk}"' in body and "Przez htmx" in body


def test_a_bad_comment_with_htmx_returns_the_form_with_its_error_and_stores_nothing(
    open_round: Round, member: User, as_user: Login
) -> None:
    response = as_user(member).post(
        f"/consultations/{open_round.pk}/comments/",
        {"comment-text": "", "comment-item": "", "comment-token": uuid4()},
        **HX,
    )
    body = response.content.decode()
    assert "This field is required." in body and "<html" not in body
    assert not open_round.comments.exists()


def test_replying_with_htmx_returns_the_thread_and_without_js_redirects(
    open_round: Round,
    make_comment: Callable[..., Comment],
    expert: User,
    as_user: Login,
) -> None:
    comment = make_comment(open_round, "Wątek")
    client = as_user(expert)
    url = f"/consultations/comments/{comment.pk}/reply/"
    plain = client.post(url, {"reply-text": "Bez JS", "reply-token": uuid4()})
    assert plain.status_code == 302 and plain["Location"].endswith(f"#comment-{comment.pk}-message")
    enhanced = client.post(url, {"reply-text": "Z htmx", "reply-token": uuid4()}, **HX)
    body = enhanced.content.decode()
    assert enhanced.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith("<article") and "Bez JS" in body and "Z htmx" in body
    assert comment.replies.count() == 2


def test_supporting_with_htmx_updates_the_comment_in_place(
    open_round: Round, make_comment: Callable[..., Comment], other_rep: User, as_user: Login
) -> None:
    comment = make_comment(open_round, "Do wsparcia")
    organisation = Organisation.objects.get(representations__user=other_rep)
    response = as_user(other_rep).post(
        f"/consultations/comments/{comment.pk}/support/", {"organisation": organisation.pk}, **HX
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "Supported by" in body and organisation.name in body
    assert Support.objects.filter(comment=comment).count() == 1


def test_flagging_with_htmx_updates_the_comment_in_place(
    open_round: Round, make_comment: Callable[..., Comment], expert: User, as_user: Login
) -> None:
    comment = make_comment(open_round, "Podejrzana")
    response = as_user(expert).post(
        f"/consultations/comments/{comment.pk}/flag/", {"flag-reason": "spam"}, **HX
    )
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert Flag.objects.get(comment=comment).reason == "spam"


def test_hiding_with_htmx_returns_the_comment_marked_hidden_and_without_js_redirects(
    open_round: Round, make_comment: Callable[..., Comment], moderator: User, as_user: Login
) -> None:
    first = make_comment(open_round, "Obraźliwa")
    second = make_comment(open_round, "Też obraźliwa")
    client = as_user(moderator)
    plain = client.post(
        f"/consultations/comments/{first.pk}/hide/", {"moderation-reason": "Obraźliwa treść"}
    )
    assert plain.status_code == 302
    enhanced = client.post(
        f"/consultations/comments/{second.pk}/hide/", {"moderation-reason": "Obraźliwa"}, **HX
    )
    body = enhanced.content.decode()
    assert enhanced.status_code == 200 and "<html" not in body
    assert "Hidden by the moderators" in body
    assert open_round.comments.filter(hidden_at__isnull=False).count() == 2


def test_a_refused_htmx_action_shows_its_message_in_the_comment(
    open_round: Round, make_comment: Callable[..., Comment], moderator: User, as_user: Login
) -> None:
    comment = make_comment(open_round, "Bez powodu")
    response = as_user(moderator).post(
        f"/consultations/comments/{comment.pk}/hide/", {"moderation-reason": ""}, **HX
    )
    assert "Give the reason" in response.content.decode()
    comment.refresh_from_db()
    assert comment.hidden_at is None
