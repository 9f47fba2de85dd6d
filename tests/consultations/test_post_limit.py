"""One account sending comments and replies faster than anyone types is stopped for a while
(core/limits.py): each comment takes a registration number and must be settled, so a flood
would be the coordinating team's work. What the person wrote is shown back, as for a late
comment; nothing is saved."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client

from consultations.models import Comment, Round
from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
HX = {"HTTP_HX_REQUEST": "true"}


def _comment(text: str) -> dict[str, str]:
    return {"comment-text": text, "comment-item": "", "comment-token": str(uuid.uuid4())}


def test_a_flood_of_comments_and_replies_from_one_account_is_stopped_and_nothing_lost(
    open_round: Round,
    make_comment: Callable[..., Comment],
    member: User,
    expert: User,
    as_user: Login,
    settings,
) -> None:
    settings.CONSULTATIONS_POSTS_PER_WINDOW = 3
    settings.CONSULTATIONS_POST_WINDOW_SECONDS = 600
    client = as_user(member)
    url = f"/consultations/{open_round.pk}/comments/"
    for n in range(2):
        assert client.post(url, _comment(f"Uwaga {n}")).status_code == 302
    thread = make_comment(open_round, "Wątek")
    reply = f"/consultations/comments/{thread.pk}/reply/"
    answer = client.post(reply, {"reply-text": "Odpowiedź", "reply-token": str(uuid.uuid4())})
    assert answer.status_code == 302  # the third: replies count too

    stopped = client.post(url, _comment("Czwarta <b>uwaga</b>"))
    assert stopped.status_code == 429
    body = stopped.content.decode()
    assert "sent many comments and replies in a short while" in body
    assert "Czwarta &lt;b&gt;uwaga&lt;/b&gt;</textarea>" in body
    in_place = client.post(url, _comment("Piąta"), **HX).content.decode()
    assert "sent many comments" in in_place and "Piąta</textarea>" in in_place
    late_reply = client.post(reply, {"reply-text": "Druga odpowiedź", "reply-token": "x"}, **HX)
    assert "sent many comments" in late_reply.content.decode()
    assert "Druga odpowiedź</textarea>" in late_reply.content.decode()
    sent = Comment.objects.filter(author=member).values_list("text", flat=True)
    assert sorted(t for t in sent if t.startswith(("Uwaga", "Odpowiedź", "Czwarta", "Piąta"))) == [
        "Odpowiedź",
        "Uwaga 0",
        "Uwaga 1",
    ]
    # Another person is not stopped by it.
    assert as_user(expert).post(url, _comment("Ekspert")).status_code == 302
