"""A form sent after the person's session ended (it expired, or they signed out in another
window): the text is shown back with a way to sign in that leads to the page the form was on,
not to the form's POST-only address (krakow_ngo.middleware.SessionEndedMiddleware)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from django.test import Client

from consultations.models import Comment, Round
from teams.models import User
from tests.test_kept_text import ESCAPED, comment_data

from .conftest import english


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
def test_a_comment_sent_after_the_session_ended_is_shown_back_with_a_way_to_sign_in(
    open_round: Round, htmx: bool
) -> None:
    client = english(Client())
    page = open_round.get_absolute_url()
    headers = {
        "HTTP_REFERER": f"http://testserver{page}?page=2",
        "HTTP_ORIGIN": "http://testserver",
    }
    if htmx:
        headers["HTTP_HX_REQUEST"] = "true"
    response = client.post(f"{page}comments/", comment_data(), **headers)
    body = response.content.decode()
    assert response.status_code == (200 if htmx else 403)
    assert "You are not logged in" in body
    assert "Proponujemy dodać działanie:" in body and ESCAPED in body
    assert "0b5e4c5e" not in body and "org:3" not in body  # the form's own values
    # Back to the page the form was on, not to the form's POST-only address.
    back = quote(f"{page}?page=2", safe="")
    assert f'href="/accounts/login/?next={back}"' in body
    assert "no-cache" in response["Cache-Control"]
    if htmx:
        assert response["HX-Retarget"] == "#main"
        assert "<html" not in body
    assert not Comment.objects.filter(round=open_round).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "referer",
    [
        "https://evil.example/phish",
        "http://testserver//evil.example/x",
        "http://testserver/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_the_way_back_is_never_another_site(open_round: Round, referer: str) -> None:
    response = english(Client()).post(
        f"{open_round.get_absolute_url()}comments/",
        comment_data(),
        HTTP_ORIGIN="http://testserver",  # the portal's own page
        HTTP_REFERER=referer,
    )
    assert 'href="/accounts/login/?next=%2F"' in response.content.decode()


@pytest.mark.django_db
def test_a_signed_in_post_and_a_sign_out_keep_their_own_answers(
    open_round: Round, expert: User, as_user: Callable[[User | None], Client]
) -> None:
    client = as_user(expert)
    response = client.post(f"{open_round.get_absolute_url()}comments/", {})
    assert response.status_code == 400  # the form's own errors, not "signed out"
    assert "You are not logged in" not in response.content.decode()
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
