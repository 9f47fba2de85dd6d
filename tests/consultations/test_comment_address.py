"""A comment's address leads to the round page that lists it: in a round of more than twenty
threads most are not on page 1, where every link to a comment (e-mails, My comments, the
moderation queue, search, the API) and every comment action without JavaScript used to land."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from django.test import Client

from consultations import services
from consultations.models import AuthorRole, Comment, Round
from consultations.views import COMMENTS_PER_PAGE
from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def _threads(round_: Round, author: User, count: int) -> list[Comment]:
    return [
        Comment.objects.create(
            round=round_, author=author, author_role=AuthorRole.EXPERT, text=f"Wątek {n}"
        )
        for n in range(count)
    ]


def test_a_comment_sent_without_javascript_is_shown_on_the_page_that_lists_it(
    open_round: Round, expert: User, member: User, as_user: Login
) -> None:
    _threads(open_round, expert, COMMENTS_PER_PAGE + 5)
    client = as_user(member)
    response = client.post(
        f"/consultations/{open_round.pk}/comments/",
        {"comment-text": "Moja uwaga", "comment-item": "", "comment-token": uuid.uuid4()},
    )
    comment = Comment.objects.get(text="Moja uwaga")
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{open_round.get_absolute_url()}?page=2#comment-{comment.pk}-message"
    )
    page = client.get(response["Location"]).content.decode()
    assert f'id="comment-{comment.pk}"' in page and "Your comment has been added." in page
    # A reply to it, also without JavaScript, comes back to the same page at its thread.
    reply = client.post(
        f"/consultations/comments/{comment.pk}/reply/",
        {"reply-text": "Dopisek", "reply-token": uuid.uuid4()},
    )
    assert (
        reply["Location"] == f"{open_round.get_absolute_url()}?page=2#comment-{comment.pk}-message"
    )


def test_the_address_leads_each_viewer_to_their_own_page_of_the_round(
    open_round: Round, expert: User, member: User, as_user: Login
) -> None:
    """The pages differ by viewer: a withdrawn comment is listed to its author only."""
    withdrawn, *_rest = _threads(open_round, member, 1) + _threads(
        open_round, expert, COMMENTS_PER_PAGE - 1
    )
    services.comment_withdraw(actor=member, comment=withdrawn)
    target = _threads(open_round, expert, 1)[0]
    reply = Comment.objects.create(
        round=open_round, parent=target, author=expert, author_role=AuthorRole.EXPERT, text="Re"
    )
    base = open_round.get_absolute_url()
    author_sees = as_user(member).get(target.get_absolute_url())
    assert author_sees.status_code == 302
    assert author_sees["Location"] == f"{base}?page=2#comment-{target.pk}"
    assert as_user(expert).get(target.get_absolute_url())["Location"] == (
        f"{base}#comment-{target.pk}"
    )
    anonymous = as_user(None)
    assert anonymous.get(target.get_absolute_url())["Location"] == f"{base}#comment-{target.pk}"
    # A reply: its thread's page, at the reply itself.
    assert anonymous.get(reply.get_absolute_url())["Location"] == f"{base}#comment-{reply.pk}"
    followed = anonymous.get(reply.get_absolute_url(), follow=True).content.decode()
    assert f'id="comment-{reply.pk}"' in followed
    # A comment the viewer may not see has no address for them; someone not logged in is
    # asked to log in (it may be their own, linked from an e-mail), as for any number.
    assert as_user(expert).get(withdrawn.get_absolute_url()).status_code == 404
    assert as_user(member).get(withdrawn.get_absolute_url()).status_code == 302
    for address in (withdrawn.get_absolute_url(), "/consultations/comments/999999/"):
        asked = anonymous.get(address)
        assert asked.status_code == 302 and asked["Location"].startswith("/accounts/login/")
    assert as_user(expert).get("/consultations/comments/999999/").status_code == 404


def test_a_reply_under_a_withdrawn_comment_is_on_no_page_but_its_authors(
    open_round: Round, expert: User, member: User, moderator: User, as_user: Login
) -> None:
    """Nobody but the withdrawn comment's author has it on their page, its replies with it:
    not the reply's own author, not the moderators, whose queue drops the reply's flags."""
    (thread,) = _threads(open_round, member, 1)
    reply = services.comment_post(
        actor=expert,
        round_=open_round,
        text="Odpowiedź",
        author_role=AuthorRole.EXPERT,
        parent=thread,
    )
    services.comment_flag(actor=member, comment=reply, reason="Nie na temat")
    queue = as_user(moderator).get("/consultations/moderation/").content.decode()
    assert "Odpowiedź" in queue
    services.comment_withdraw(actor=member, comment=thread)
    assert as_user(member).get(reply.get_absolute_url())["Location"] == (
        f"{open_round.get_absolute_url()}#comment-{reply.pk}"
    )
    for viewer in (expert, moderator):
        assert as_user(viewer).get(reply.get_absolute_url()).status_code == 404
    # The reply's author's list says why, and does not link the address that leads nowhere.
    mine = as_user(expert).get("/consultations/my-comments/").content.decode()
    assert "so the round's page no longer shows this reply" in mine
    assert f'href="{reply.get_absolute_url()}"' not in mine
    assert "Odpowiedź" not in as_user(moderator).get("/consultations/moderation/").content.decode()


def test_links_to_a_comment_use_its_address(
    open_round: Round, expert: User, member: User, as_user: Login
) -> None:
    _threads(open_round, expert, COMMENTS_PER_PAGE)
    mine = Comment.objects.create(
        round=open_round, author=member, author_role=AuthorRole.EXPERT, text="Na stronie 2"
    )
    page = as_user(member).get("/consultations/my-comments/").content.decode()
    assert f'href="{mine.get_absolute_url()}"' in page
    api = as_user(None).get(f"/api/v1/comments/{mine.pk}/")
    assert api.json()["html_url"] == f"http://testserver{mine.get_absolute_url()}"


def _top_messages(page: str) -> str:
    """The messages at the top of the page, whitespace between attributes made one space."""
    start = page.find('<div class="messages">')
    if start < 0:
        return ""
    return re.sub(r"\s+", " ", page[start : page.index("<h1", start)])


def test_without_javascript_the_confirmation_is_at_the_top_of_the_thread(
    open_round: Round, expert: User, member: User, as_user: Login
) -> None:
    """Where the page opens and a screen reader starts reading: as the htmx answer puts it."""
    _threads(open_round, expert, COMMENTS_PER_PAGE + 2)
    client = as_user(member)
    target = Comment.objects.filter(round=open_round).last()
    assert target is not None
    answer = client.post(
        f"/consultations/comments/{target.pk}/reply/",
        {"reply-text": "Odpowiedź bez JS", "reply-token": uuid.uuid4()},
        follow=True,
    )
    page = answer.content.decode()
    article = re.sub(r"\s+", " ", page[page.index(f'id="comment-{target.pk}"') :])
    # The address names the message, which a browser then focuses: it skips autofocus on a
    # page opened at a fragment.
    message = f'id="comment-{target.pk}-message"'
    assert answer.redirect_chain[-1][0].endswith(f"#comment-{target.pk}-message")
    assert f"{message} autofocus>Your reply has been added." in article[:1500]
    assert 'role="status" tabindex="-1"' in article[:1500]
    assert page.count(message) == 1
    assert "Your reply has been added." not in _top_messages(page)
    assert page.count("Your reply has been added.") == 1
    assert '<div class="messages">' not in page  # no empty box left at the top
    # A refusal too, as an alert: a second flag of the same comment by the same person.
    client.post(f"/consultations/comments/{target.pk}/flag/", {"reason": "Nie na temat"})
    refused = client.post(
        f"/consultations/comments/{target.pk}/flag/", {"reason": "Znowu"}, follow=True
    ).content.decode()
    article = re.sub(r"\s+", " ", refused[refused.index(f'id="comment-{target.pk}"') :])
    assert 'class="alert alert-danger" role="alert"' in article[:1500]
    # The first flag's thanks, not read before (that answer was not followed), is not lost.
    assert "the moderators will look at this comment." in article[:1500]
    assert _top_messages(refused).count("alert") == 0


def test_a_confirmation_for_a_thread_not_on_the_page_stays_at_its_top(
    open_round: Round, expert: User, member: User, as_user: Login
) -> None:
    first = _threads(open_round, expert, COMMENTS_PER_PAGE + 2)[0]
    client = as_user(member)
    response = client.post(
        f"/consultations/comments/{first.pk}/reply/",
        {"reply-text": "Na stronie 1", "reply-token": uuid.uuid4()},
    )
    assert "?page=" not in response["Location"]
    # The reader goes to page 2 instead: the message is not lost, it is at the top.
    page = client.get(f"{open_round.get_absolute_url()}?page=2").content.decode()
    assert "Your reply has been added." in _top_messages(page)
    assert 'class="alert alert-success"' in _top_messages(page)


def test_messages_in_several_threads_focus_only_the_latest(
    open_round: Round, expert: User, member: User, as_user: Login
) -> None:
    """A page has one autofocus: the thread of the latest action, where its address leads."""
    first, second = _threads(open_round, expert, 2)
    client = as_user(member)
    client.post(f"/consultations/comments/{first.pk}/flag/", {"reason": "Nie na temat"})
    client.post(f"/consultations/comments/{second.pk}/flag/", {"reason": "Też"})
    page = client.get(open_round.get_absolute_url()).content.decode()
    assert page.count("the moderators will look at this comment.") == 2
    assert page.count("autofocus") == 1
    focused = page[: page.index("autofocus")]
    assert focused.rindex(f'id="comment-{second.pk}"') > focused.rfind(f'id="comment-{first.pk}"')


def test_an_error_at_the_top_of_the_page_is_an_alert(
    open_round: Round, expert: User, member: User, as_user: Login
) -> None:
    first = _threads(open_round, expert, COMMENTS_PER_PAGE + 2)[0]
    client = as_user(member)
    client.post(f"/consultations/comments/{first.pk}/flag/", {"reason": "Nie na temat"})
    client.post(f"/consultations/comments/{first.pk}/flag/", {"reason": "Znowu"})
    top = _top_messages(client.get(f"{open_round.get_absolute_url()}?page=2").content.decode())
    assert 'class="alert alert-danger" role="alert"' in top
    assert 'class="alert alert-success" role="status"' in top
