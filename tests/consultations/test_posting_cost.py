"""Posting a comment in the last hours of a round (issue 17): a post costs a fixed, small number
of queries — the new thread is not read back, the round's items come from the cache, the
registration number is one UPDATE … RETURNING — and still answers with the new comment as
everyone will see it, numbered, on the right item."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from consultations.models import Comment, Round
from teams.models import Meeting, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
HX = {"HTTP_HX_REQUEST": "true"}

# The session comes from the cache (cached_db), and so does the round's row under its stamp;
# then the user with their organisations and moderated teams (one query: teams.models.
# UserManager.get), the round's stamp, BEGIN (a savepoint in a test), the organisation chosen in
# the form, read with the check that the person still represents it, the registration number
# (one UPDATE … RETURNING, which takes none when the person already made this very comment:
# a form sent again after the Back button, numbering.registration_number_unless), INSERT, the
# round's comments_changed_at, COMMIT (a release in a test). The form's token is looked up
# only when the insert fails or the comment is refused.
POST_QUERIES = 8


def _post(client: Client, round_: Round, text: str, item: str = "") -> tuple[str, list[str]]:
    """The answer to an htmx post, and the SQL it cost."""
    data = {"comment-text": text, "comment-item": item, "comment-token": str(uuid.uuid4())}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/consultations/{round_.pk}/comments/", data, **HX)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def test_a_post_costs_a_fixed_few_queries_and_answers_with_the_new_comment(
    open_round: Round, member: User, as_user: Login
) -> None:
    client = as_user(member)
    client.get(open_round.get_absolute_url())  # the page the form came from
    _post(client, open_round, "Pierwsza uwaga")  # the round's items now in the cache
    html, queries = _post(client, open_round, "Druga uwaga")
    assert len(queries) == POST_QUERIES, "\n".join(sql[:100] for sql in queries)
    comment = Comment.objects.get(text="Druga uwaga")
    assert f'id="comment-{comment.pk}"' in html
    assert "Druga uwaga" in html and comment.registration_number in html
    first = Comment.objects.get(text="Pierwsza uwaga")
    assert int(comment.registration_number[-4:]) == int(first.registration_number[-4:]) + 1


def test_the_new_comment_as_answered_is_the_thread_everyone_then_sees(
    open_round: Round, member: User, expert: User, as_user: Login
) -> None:
    client = as_user(member)
    html, _queries = _post(client, open_round, "Uwaga do wątku")
    comment = Comment.objects.get(text="Uwaga do wątku")
    start = html.index(f'id="comment-{comment.pk}"')
    # Read back from the database on the round page, the thread is the one the post answered.
    page = client.get(open_round.get_absolute_url()).content.decode()
    assert html[start : start + 400] in page
    # A reply to it shows at once for everyone (its thread's version moved).
    reader = as_user(expert)
    reader.get(open_round.get_absolute_url())
    reply = {"reply-text": "Odpowiedź", "reply-token": str(uuid.uuid4())}
    assert client.post(f"/consultations/comments/{comment.pk}/reply/", reply).status_code == 302
    assert "Odpowiedź" in reader.get(open_round.get_absolute_url()).content.decode()


def test_the_items_offered_follow_the_meetings_publication(
    open_round: Round, member: User, as_user: Login, seeded: Meeting
) -> None:
    client = as_user(member)
    action = Action.objects.filter(meeting=seeded, merged_into=None).first()
    assert action is not None
    _post(client, open_round, "Do działania", item=f"action:{action.pk}")
    assert Comment.objects.get(text="Do działania").action == action
    # Withdrawn from publication, the meeting's results are no longer consulted.
    Meeting.objects.filter(pk=seeded.pk).update(status=Meeting.Status.DRAFT)
    html, _queries = _post(client, open_round, "Znowu do działania", item=f"action:{action.pk}")
    assert not Comment.objects.filter(text="Znowu do działania").exists()
    assert "is not one of the available choices" in html
