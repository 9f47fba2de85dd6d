"""A comment or reply the moderators hid keeps its place on the round page: everyone but its
author and the moderators finds there who sent it, when and why it was hidden (the report's
wording, ``Comment.report_text``), and a comment's replies, never its text and no control;
replies, supports and flags for it are refused by the services; hiding and showing again change
what every viewer sees at once, whatever the caches hold."""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import dateformat, timezone, translation

from consultations import selectors, services
from consultations.models import AuthorRole, Comment, Flag, Round, Support
from teams.models import Organisation, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
HX = {"HTTP_HX_REQUEST": "true"}

REASON = "Język obraźliwy"
# What a hidden comment says that only its author and the moderators may read.
SECRETS = ("Treść obraźliwa", "Brzmienie obraźliwe", "Uzasadnienie obraźliwe")


def _hidden_comment(make_comment: Callable[..., Comment], round_: Round) -> Comment:
    return make_comment(
        round_,
        SECRETS[0],
        proposed_wording=SECRETS[1],
        submitter_justification=SECRETS[2],
    )


def _page(client: Client, round_: Round) -> str:
    response = client.get(round_.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _thread(page: str, comment: Comment) -> str:
    """The article of one comment thread in the page."""
    start = page.index(f'id="comment-{comment.pk}"')
    return page[start : page.index("</article>", start)]


def _hidden_when(comment: Comment) -> str:
    with translation.override("en"):
        return "hidden " + dateformat.format(timezone.localtime(comment.hidden_at), "j E Y, H:i")


def _controls(comment: Comment) -> list[str]:
    """The addresses of every control a comment can have."""
    return [
        f"/consultations/comments/{comment.pk}/{action}/"
        for action in ("reply", "support", "flag", "edit", "withdraw", "hide", "unhide")
    ]


@pytest.mark.parametrize("who", ["anonymous", "other_rep"])
def test_a_visitor_and_a_member_find_a_hidden_comment_in_its_place_with_the_reason_only(
    who: str,
    open_round: Round,
    make_comment: Callable[..., Comment],
    moderator: User,
    member_org: Organisation,
    as_user: Login,
    request: pytest.FixtureRequest,
) -> None:
    comment = _hidden_comment(make_comment, open_round)
    make_comment(open_round, "Uwaga widoczna")
    comment = services.comment_hide(actor=moderator, comment=comment, reason=REASON)
    client = as_user(None if who == "anonymous" else request.getfixturevalue(who))
    for _ in range(2):  # rendered, then from the caches
        page = _page(client, open_round)
        thread = _thread(page, comment)
        assert f"[Hidden by the moderators: {REASON}]" in thread
        assert html.escape(comment.report_text) in thread  # the report's words, not a copy
        assert _hidden_when(comment) in thread
        assert html.escape(member_org.name) in thread  # who sent it, as the report says
        assert not [secret for secret in SECRETS if secret in page]
        assert page.index(thread) < page.index("Uwaga widoczna")  # in its place
        # Counted on the page as in the report's statistics: a hidden comment still counts.
        assert "2 comments." in page
    assert selectors.report_statistics(open_round)["total"] == 2


def test_the_replies_to_a_hidden_comment_stay_under_it(
    open_round: Round,
    make_comment: Callable[..., Comment],
    moderator: User,
    official: User,
    other_rep: User,
    expert: User,
    as_user: Login,
) -> None:
    comment = make_comment(open_round, "Uwaga do ukrycia")
    other = Organisation.objects.get(representations__user=other_rep)
    services.comment_post(
        actor=official,
        round_=open_round,
        text="Odpowiedź zespołu",
        author_role=AuthorRole.OFFICIAL,
        parent=comment,
        token=uuid.uuid4(),
    )
    services.comment_post(
        actor=other_rep,
        round_=open_round,
        text="Odpowiedź fundacji",
        author_role=AuthorRole.ORGANISATION,
        organisation=other,
        parent=comment,
        token=uuid.uuid4(),
    )
    hidden_reply = make_comment(
        open_round,
        "Odpowiedź ukryta",
        parent=comment,
        author=expert,
        author_role=AuthorRole.EXPERT,
        organisation=None,
    )
    services.comment_hide(actor=moderator, comment=hidden_reply, reason="Obraźliwa")
    clients = [as_user(None), as_user(other_rep)]
    for client in clients:  # the threads in the caches as they were
        assert "Odpowiedź zespołu" in _thread(_page(client, open_round), comment)
    services.comment_hide(actor=moderator, comment=comment, reason="Poza tematem")
    for client in clients:
        thread = _thread(_page(client, open_round), comment)
        assert "[Hidden by the moderators: Poza tematem]" in thread
        assert "Odpowiedź zespołu" in thread and "Odpowiedź fundacji" in thread
        assert "Uwaga do ukrycia" not in thread
        assert "Odpowiedź ukryta" not in thread  # a hidden reply: its placeholder, not its text
        assert "[Hidden by the moderators: Obraźliwa]" in thread


def test_the_placeholder_offers_no_control_and_its_author_and_moderators_see_it_as_before(
    open_round: Round,
    make_comment: Callable[..., Comment],
    moderator: User,
    member: User,
    official: User,
    other_rep: User,
    expert: User,
    as_user: Login,
) -> None:
    comment = _hidden_comment(make_comment, open_round)
    answer = services.comment_post(
        actor=official,
        round_=open_round,
        text="Odpowiedź zespołu",
        author_role=AuthorRole.OFFICIAL,
        parent=comment,
        token=uuid.uuid4(),
    )
    controls = _controls(comment)
    # Before the hiding they could reply, flag and (the other organisation) support.
    before = _thread(_page(as_user(other_rep), open_round), comment)
    assert all(f"/consultations/comments/{comment.pk}/{a}/" in before for a in ("reply", "flag"))
    assert f"/consultations/comments/{comment.pk}/support/" in before
    services.comment_hide(actor=moderator, comment=comment, reason=REASON)
    for user in (other_rep, expert, official):
        thread = _thread(_page(as_user(user), open_round), comment)
        assert "[Hidden by the moderators:" in thread, user
        assert [url for url in controls if url in thread] == [], user
        assert 'name="reply-text"' not in thread and 'name="organisation"' not in thread
        assert "Odpowiedź zespołu" in thread
    # The visible reply under it keeps its own control (reporting it to the moderators).
    thread = _thread(_page(as_user(other_rep), open_round), comment)
    assert f"/consultations/comments/{answer.pk}/flag/" in thread
    # Its author and the moderators read it in full, as before, with their controls.
    mine = _thread(_page(as_user(member), open_round), comment)
    assert SECRETS[0] in mine and f"Hidden by the moderators: <bdi>{REASON}</bdi>" in mine
    assert f"/consultations/comments/{comment.pk}/edit/" in mine
    theirs = _thread(_page(as_user(moderator), open_round), comment)
    assert SECRETS[0] in theirs and f"/consultations/comments/{comment.pk}/unhide/" in theirs
    assert f"/consultations/comments/{comment.pk}/reply/" not in mine + theirs


def test_the_full_comment_and_its_placeholder_are_never_served_from_each_others_cache(
    open_round: Round,
    make_comment: Callable[..., Comment],
    moderator: User,
    member: User,
    other_rep: User,
    expert: User,
    as_user: Login,
) -> None:
    """The thread's cached HTML is the same for every viewer with the same replies, except
    that its author and the moderators read a hidden comment and the others its placeholder."""
    comment = services.comment_hide(
        actor=moderator, comment=_hidden_comment(make_comment, open_round), reason=REASON
    )
    for user, reads in ((other_rep, False), (moderator, True), (expert, False), (member, True)):
        thread = _thread(_page(as_user(user), open_round), comment)
        assert (SECRETS[0] in thread) is reads, user
        assert ("[Hidden by the moderators:" in thread) is not reads, user


@pytest.mark.parametrize("action", ["reply", "support", "flag"])
def test_the_services_refuse_a_reply_support_or_flag_for_a_hidden_comment(
    action: str,
    open_round: Round,
    make_comment: Callable[..., Comment],
    moderator: User,
    other_rep: User,
) -> None:
    comment = services.comment_hide(
        actor=moderator, comment=make_comment(open_round), reason=REASON
    )
    other = Organisation.objects.get(representations__user=other_rep)
    attempt = {
        "reply": lambda: services.comment_post(
            actor=other_rep,
            round_=open_round,
            text="Odpowiedź",
            author_role=AuthorRole.ORGANISATION,
            organisation=other,
            parent=comment,
            token=uuid.uuid4(),
        ),
        "support": lambda: services.comment_support(
            actor=other_rep, comment=comment, organisation=other
        ),
        "flag": lambda: services.comment_flag(actor=other_rep, comment=comment, reason="x"),
    }[action]
    with pytest.raises(services.Refused, match="The moderators have hidden this comment"):
        attempt()
    assert Comment.objects.filter(parent=comment).count() == 0
    assert not Support.objects.filter(comment=comment).exists()
    assert not Flag.objects.filter(comment=comment).exists()
    comment.refresh_from_db()
    assert comment.flag_count == 0


@pytest.mark.parametrize("action", ["reply", "support", "flag"])
def test_a_reply_support_or_flag_sent_from_an_older_page_is_refused_in_place(
    action: str,
    open_round: Round,
    make_comment: Callable[..., Comment],
    moderator: User,
    other_rep: User,
    as_user: Login,
) -> None:
    """The page was opened before the hiding: the answer says why nothing was saved, in the
    comment's place, which now shows its placeholder."""
    comment = _hidden_comment(make_comment, open_round)
    client = as_user(other_rep)
    _page(client, open_round)
    services.comment_hide(actor=moderator, comment=comment, reason=REASON)
    other = Organisation.objects.get(representations__user=other_rep)
    data = {
        "reply": {"reply-text": "Odpowiedź", "reply-token": str(uuid.uuid4())},
        "support": {"organisation": other.pk},
        "flag": {"flag-reason": "x"},
    }[action]
    response = client.post(f"/consultations/comments/{comment.pk}/{action}/", data, **HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The moderators have hidden this comment" in body
    assert f"[Hidden by the moderators: {REASON}]" in body
    assert not [secret for secret in SECRETS if secret in body]
    assert Comment.objects.filter(parent=comment).count() == 0
    assert not Support.objects.filter(comment=comment).exists()
    assert not Flag.objects.filter(comment=comment).exists()


def test_showing_again_and_hiding_again_change_every_viewers_page_at_once(
    open_round: Round,
    make_comment: Callable[..., Comment],
    moderator: User,
    other_rep: User,
    as_user: Login,
) -> None:
    comment = make_comment(open_round, "Uwaga sporna")
    services.comment_hide(actor=moderator, comment=comment, reason="Wygląda na spam")
    clients = {"anonymous": as_user(None), "other_rep": as_user(other_rep)}
    for client in clients.values():
        for _ in range(2):  # now in every cache
            thread = _thread(_page(client, open_round), comment)
            assert "Uwaga sporna" not in thread and "Wygląda na spam" in thread
    services.comment_unhide(actor=moderator, comment=comment, reason="To nie spam")
    for who, client in clients.items():
        thread = _thread(_page(client, open_round), comment)
        assert "Uwaga sporna" in thread, who
        assert "Hidden by the moderators" not in thread, who
    flag = f"/consultations/comments/{comment.pk}/flag/"
    assert flag in _thread(_page(clients["other_rep"], open_round), comment)
    services.comment_hide(actor=moderator, comment=comment, reason="Jednak spam")
    for who, client in clients.items():
        thread = _thread(_page(client, open_round), comment)
        assert "Uwaga sporna" not in thread, who
        assert "[Hidden by the moderators: Jednak spam]" in thread, who
        assert flag not in thread, who


def test_a_flag_that_hides_the_comment_leaves_the_flagger_its_placeholder(
    open_round: Round,
    make_comment: Callable[..., Comment],
    expert: User,
    as_user: Login,
    settings: object,
) -> None:
    settings.CONSULTATIONS_AUTO_HIDE_FLAGS = 1  # type: ignore[attr-defined]
    comment = make_comment(open_round, "Uwaga zgłoszona")
    response = as_user(expert).post(
        f"/consultations/comments/{comment.pk}/flag/", {"flag-reason": "spam"}, **HX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="comment-{comment.pk}"' in body
    assert "The comment has been hidden until a moderator reviews it." in body
    assert "[Hidden by the moderators: Ukryta automatycznie po zgłoszeniach innych osób (1)" in body
    assert "Uwaga zgłoszona" not in body


# --- A hidden reply --------------------------------------------------------------------------

REPLY_SECRET = "Odpowiedź obraźliwa"


def _reply(thread: str, reply: Comment) -> str:
    """One reply's item in a thread."""
    start = thread.index(f'id="comment-{reply.pk}"')
    return thread[start : thread.index("</li>", start)]


def _hidden_reply(
    make_comment: Callable[..., Comment], round_: Round, expert: User, moderator: User
) -> tuple[Comment, Comment]:
    """A comment and an expert's reply to it, which a moderator hid, then a later reply."""
    comment = make_comment(round_, "Uwaga widoczna")
    reply = make_comment(
        round_,
        REPLY_SECRET,
        parent=comment,
        author=expert,
        author_role=AuthorRole.EXPERT,
        organisation=None,
    )
    make_comment(round_, "Odpowiedź późniejsza", parent=comment)
    return comment, services.comment_hide(actor=moderator, comment=reply, reason=REASON)


def _reply_date(reply: Comment) -> str:
    return dateformat.format(timezone.localtime(reply.created_at), "j E Y, H:i")


@pytest.mark.parametrize("who", ["anonymous", "other_rep"])
def test_a_visitor_and_a_member_find_a_hidden_reply_in_its_place_with_the_reason_only(
    who: str,
    open_round: Round,
    make_comment: Callable[..., Comment],
    moderator: User,
    expert: User,
    as_user: Login,
    request: pytest.FixtureRequest,
) -> None:
    comment, reply = _hidden_reply(make_comment, open_round, expert, moderator)
    client = as_user(None if who == "anonymous" else request.getfixturevalue(who))
    for _ in range(2):  # rendered, then from the caches
        page = _page(client, open_round)
        thread = _thread(page, comment)
        placeholder = _reply(thread, reply)
        with translation.override("en"):
            assert html.escape(reply.author_label) in placeholder  # as the report names it
            assert f"[Hidden by the moderators: {REASON}]" == reply.report_text
        assert html.escape(reply.report_text) in placeholder
        assert _reply_date(reply) in placeholder and _hidden_when(reply) in placeholder
        assert REPLY_SECRET not in page
        assert [url for url in _controls(reply) if url in page] == []
        # In its place: under its comment, before the later reply.
        assert thread.index("Uwaga widoczna") < thread.index(placeholder)
        assert thread.index(placeholder) < thread.index("Odpowiedź późniejsza")
    # Open data publishes neither the hidden reply nor its placeholder (docs/api.md).
    assert client.get(f"/api/v1/comments/{reply.pk}/").status_code == 404
    published = client.get(f"/api/v1/comments/?round={open_round.pk}").content.decode()
    assert REASON not in published and REPLY_SECRET not in published
    assert "Odpowiedź późniejsza" in published


def test_a_hidden_replys_author_and_the_moderators_read_it_in_full_whatever_the_caches_hold(
    open_round: Round,
    make_comment: Callable[..., Comment],
    moderator: User,
    expert: User,
    other_rep: User,
    as_user: Login,
) -> None:
    """The others fill the thread's cache with the placeholder first, then the reply's author
    and a moderator come: they read it as before, with their controls, and the others still
    get the placeholder."""
    comment, reply = _hidden_reply(make_comment, open_round, expert, moderator)
    for viewer, reads in (
        (None, False),
        (other_rep, False),
        (expert, True),
        (moderator, True),
        (other_rep, False),
    ):
        item = _reply(_thread(_page(as_user(viewer), open_round), comment), reply)
        assert (REPLY_SECRET in item) is reads, viewer
        assert ("[Hidden by the moderators:" in item) is not reads, viewer
        if reads:
            assert f"Hidden by the moderators: <bdi>{REASON}</bdi>" in item, viewer
    mine = _reply(_thread(_page(as_user(expert), open_round), comment), reply)
    assert f"/consultations/comments/{reply.pk}/edit/" in mine
    theirs = _reply(_thread(_page(as_user(moderator), open_round), comment), reply)
    assert f"/consultations/comments/{reply.pk}/unhide/" in theirs


def test_showing_a_hidden_reply_again_changes_every_viewers_page_at_once(
    open_round: Round,
    make_comment: Callable[..., Comment],
    moderator: User,
    expert: User,
    other_rep: User,
    as_user: Login,
) -> None:
    comment, reply = _hidden_reply(make_comment, open_round, expert, moderator)
    clients = {"anonymous": as_user(None), "other_rep": as_user(other_rep)}
    for client in clients.values():
        for _ in range(2):  # now in every cache
            item = _reply(_thread(_page(client, open_round), comment), reply)
            assert f"[Hidden by the moderators: {REASON}]" in item
    services.comment_unhide(actor=moderator, comment=reply, reason="Jednak w porządku")
    for who, client in clients.items():
        item = _reply(_thread(_page(client, open_round), comment), reply)
        assert REPLY_SECRET in item, who
        assert "Hidden by the moderators" not in item, who
    flag = f"/consultations/comments/{reply.pk}/flag/"
    assert flag in _thread(_page(clients["other_rep"], open_round), comment)
    services.comment_hide(actor=moderator, comment=reply, reason="Jednak obraźliwa")
    for who, client in clients.items():
        item = _reply(_thread(_page(client, open_round), comment), reply)
        assert REPLY_SECRET not in item, who
        assert "[Hidden by the moderators: Jednak obraźliwa]" in item, who
        assert flag not in item, who


def test_a_hidden_reply_its_author_withdraws_is_gone_at_once_placeholder_and_all(
    open_round: Round,
    make_comment: Callable[..., Comment],
    moderator: User,
    expert: User,
    other_rep: User,
    as_user: Login,
) -> None:
    comment, reply = _hidden_reply(make_comment, open_round, expert, moderator)
    clients = {"anonymous": as_user(None), "other_rep": as_user(other_rep)}
    for client in clients.values():  # the placeholder in every cache
        assert REASON in _thread(_page(client, open_round), comment)
    services.comment_withdraw(actor=expert, comment=reply)
    for who, client in {**clients, "moderator": as_user(moderator)}.items():
        thread = _thread(_page(client, open_round), comment)
        assert f'id="comment-{reply.pk}"' not in thread, who
        assert REASON not in thread and REPLY_SECRET not in thread, who
        assert "Odpowiedź późniejsza" in thread, who
    mine = _reply(_thread(_page(as_user(expert), open_round), comment), reply)
    assert REPLY_SECRET in mine and "You withdrew this reply" in mine


def test_a_reply_flag_sent_after_the_reply_was_hidden_is_refused_in_its_place(
    open_round: Round,
    make_comment: Callable[..., Comment],
    moderator: User,
    expert: User,
    other_rep: User,
    as_user: Login,
) -> None:
    """The page was opened before the hiding: the answer says why nothing was saved, and the
    thread comes back with the reply's placeholder (it was a 404 when a hidden reply left no
    trace)."""
    client = as_user(other_rep)
    comment = make_comment(open_round, "Uwaga widoczna")
    reply = make_comment(
        open_round,
        REPLY_SECRET,
        parent=comment,
        author=expert,
        author_role=AuthorRole.EXPERT,
        organisation=None,
    )
    assert f"/consultations/comments/{reply.pk}/flag/" in _page(client, open_round)
    services.comment_hide(actor=moderator, comment=reply, reason=REASON)
    response = client.post(f"/consultations/comments/{reply.pk}/flag/", {"flag-reason": "x"}, **HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The moderators have hidden this comment" in body
    assert f"[Hidden by the moderators: {REASON}]" in _reply(body, reply)
    assert REPLY_SECRET not in body
    assert not Flag.objects.filter(comment=reply).exists()


def test_a_flag_that_hides_a_reply_leaves_the_flagger_its_placeholder(
    open_round: Round,
    make_comment: Callable[..., Comment],
    expert: User,
    other_rep: User,
    as_user: Login,
    settings: object,
) -> None:
    settings.CONSULTATIONS_AUTO_HIDE_FLAGS = 1  # type: ignore[attr-defined]
    comment = make_comment(open_round, "Uwaga widoczna")
    reply = make_comment(
        open_round,
        REPLY_SECRET,
        parent=comment,
        author=other_rep,
        organisation=Organisation.objects.get(representations__user=other_rep),
    )
    response = as_user(expert).post(
        f"/consultations/comments/{reply.pk}/flag/", {"flag-reason": "spam"}, **HX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="comment-{comment.pk}"' in body
    assert "The comment has been hidden until a moderator reviews it." in body
    assert (
        "[Hidden by the moderators: Ukryta automatycznie po zgłoszeniach innych osób (1)"
        in _reply(body, reply)
    )
    assert REPLY_SECRET not in body
