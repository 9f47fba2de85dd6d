"""Logged-in viewers get each comment thread's HTML from a cache shared by all viewers
(consultations.fragments), with their own controls put in per request: the thread is never
stale, and nobody gets another viewer's controls."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations import services
from consultations.models import AuthorRole, Comment, Round, Support
from consultations.phases import Phase
from teams import services as team_services
from teams.models import Organisation, User

pytestmark = pytest.mark.django_db

THREAD = "consultations/partials/comment.html"


def _page(client: Client, round_: Round) -> tuple[str, list[str]]:
    response = client.get(round_.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), [t.name for t in response.templates]


def _comments_without_tokens(html: str) -> str:
    """The page's comment list without what differs per response (CSRF and form tokens)."""
    section = html.split('id="comments-heading"')[1].split("</section>")[0]
    section = re.sub(r"[A-Za-z0-9]{64}", "CSRF", section)
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID", section)


def _thread(html: str, comment: Comment) -> str:
    """The article of one comment thread in the page."""
    start = html.index(f'id="comment-{comment.pk}"')
    return html[start : html.index("</article>", start)]


def test_a_second_viewer_gets_the_cached_thread_with_their_own_controls(
    open_round: Round,
    make_comment: Callable[..., Comment],
    member: User,
    expert: User,
    as_user: Callable[[User | None], Client],
) -> None:
    comment = make_comment(open_round, "Uwaga do zakresu programu")
    author_html, author_templates = _page(as_user(member), open_round)
    assert THREAD in author_templates
    expert_html, expert_templates = _page(as_user(expert), open_round)
    assert THREAD not in expert_templates  # served from the cache
    mine, theirs = _thread(author_html, comment), _thread(expert_html, comment)
    edit_url = f"/consultations/comments/{comment.pk}/edit/"
    flag_url = f"/consultations/comments/{comment.pk}/flag/"
    assert edit_url in mine and flag_url not in mine
    assert flag_url in theirs and edit_url not in theirs
    assert "Uwaga do zakresu programu" in theirs
    assert "<!--ctl:" not in author_html + expert_html


def test_each_reply_form_has_a_fresh_token_and_its_own_comment(
    open_round: Round,
    make_comment: Callable[..., Comment],
    expert: User,
    as_user: Callable[[User | None], Client],
) -> None:
    first = make_comment(open_round, "Pierwsza")
    second = make_comment(open_round, "Druga")
    client = as_user(expert)
    _page(client, open_round)
    html, templates = _page(client, open_round)
    assert THREAD not in templates
    tokens = re.findall(r'name="reply-token" value="([^"]+)"', html)
    assert len(tokens) == len(set(tokens)) == 2
    assert all(uuid.UUID(token) for token in tokens)
    for comment in (first, second):
        thread = _thread(html, comment)
        assert f"/consultations/comments/{comment.pk}/reply/" in thread
        assert f'id="reply-text-{comment.pk}"' in thread
        assert f'hx-target="#comment-{comment.pk}"' in thread


def test_a_reply_a_support_and_a_hiding_show_at_once_to_a_logged_in_viewer(
    open_round: Round,
    make_comment: Callable[..., Comment],
    expert: User,
    other_rep: User,
    moderator: User,
    as_user: Callable[[User | None], Client],
) -> None:
    comment = make_comment(open_round, "Uwaga")
    client = as_user(expert)
    _page(client, open_round)
    other = Organisation.objects.get(representations__user=other_rep)
    reply = services.comment_post(
        actor=other_rep,
        round_=open_round,
        text="Odpowiedź fundacji",
        author_role=AuthorRole.ORGANISATION,
        organisation=other,
        parent=comment,
        token=uuid.uuid4(),
    )
    assert "Odpowiedź fundacji" in _thread(_page(client, open_round)[0], comment)
    services.comment_edit(
        actor=other_rep,
        comment=reply,
        version=reply.version,
        text="Odpowiedź poprawiona",
        proposed_wording="",
    )
    assert "Odpowiedź poprawiona" in _thread(_page(client, open_round)[0], comment)
    services.comment_support(actor=other_rep, comment=comment, organisation=other)
    assert "Supported by" in _thread(_page(client, open_round)[0], comment)
    services.comment_hide(actor=moderator, comment=comment, reason="Poza tematem")
    assert "Uwaga" not in _page(client, open_round)[0].split('id="comments-heading"')[1]


def test_a_change_saved_from_an_older_copy_still_shows(
    open_round: Round,
    make_comment: Callable[..., Comment],
    member: User,
    expert: User,
    as_user: Callable[[User | None], Client],
) -> None:
    """A copy read before a change and saved after it must not put the thread's version back
    (its key would be the one of the page cached in between)."""
    comment = make_comment(open_round, "Wersja pierwsza")
    older_copy = Comment.objects.get(pk=comment.pk)
    client = as_user(expert)
    services.comment_edit(
        actor=member,
        comment=comment,
        version=comment.version,
        text="Wersja druga",
        proposed_wording="",
    )
    assert "Wersja druga" in _page(client, open_round)[0]
    older_copy.text = "Wersja trzecia"
    older_copy.save()
    assert "Wersja trzecia" in _page(client, open_round)[0]


def test_names_changed_elsewhere_show_at_once_to_a_logged_in_viewer(
    open_round: Round,
    make_comment: Callable[..., Comment],
    member: User,
    member_org: Organisation,
    other_rep: User,
    expert: User,
    as_user: Callable[[User | None], Client],
) -> None:
    team_services.user_update_profile(
        actor=member, first_name="Anna", last_name="Nowak", show_name_publicly=True, language="pl"
    )
    make_comment(open_round, "Uwaga z nazwiskiem")
    supported = make_comment(
        open_round, "Uwaga wsparta", author=expert, organisation=None, author_role=AuthorRole.EXPERT
    )
    other = Organisation.objects.get(representations__user=other_rep)
    Support.objects.create(comment=supported, organisation=other)
    client = as_user(expert)
    assert "Anna Nowak" in _page(client, open_round)[0]
    team_services.user_update_profile(
        actor=member, first_name="Anna", last_name="Nowak", show_name_publicly=False, language="pl"
    )
    other.name = "Fundacja o nowej nazwie"
    other.save()
    html = _page(client, open_round)[0]
    assert "Anna Nowak" not in html
    assert "Fundacja o nowej nazwie" in _thread(html, supported)


def test_a_hidden_reply_is_cached_apart_for_those_who_see_it(
    open_round: Round,
    make_comment: Callable[..., Comment],
    member: User,
    member_org: Organisation,
    expert: User,
    moderator: User,
    as_user: Callable[[User | None], Client],
) -> None:
    comment = make_comment(open_round, "Uwaga")
    reply = make_comment(open_round, "Odpowiedź ukryta", parent=comment)
    services.comment_hide(actor=moderator, comment=reply, reason="Obraźliwa")
    assert "Odpowiedź ukryta" in _page(as_user(moderator), open_round)[0]
    assert "Odpowiedź ukryta" not in _page(as_user(expert), open_round)[0]
    assert "Odpowiedź ukryta" in _page(as_user(member), open_round)[0]  # its author


def _queries(client: Client, round_: Round) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(round_.get_absolute_url()).status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["expert", "member", "moderator"])
def test_a_logged_in_page_costs_the_same_queries_for_few_or_many_threads(
    request: pytest.FixtureRequest,
    viewer: str,
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    other_rep: User,
    as_user: Callable[[User | None], Client],
) -> None:
    """Threads from the cache are read without their joins (only what the controls need);
    only the missing ones are read whole, in three queries whatever their number."""
    other = Organisation.objects.get(representations__user=other_rep)
    client = as_user(request.getfixturevalue(viewer))
    figures = []
    for threads in (2, 12):
        round_ = make_round(Phase.OPEN)
        for n in range(threads):
            comment = make_comment(round_, f"Uwaga {n}")
            make_comment(round_, f"Odpowiedź {n}", parent=comment)
            Support.objects.create(comment=comment, organisation=other)
        first, second = _queries(client, round_), _queries(client, round_)
        figures.append((first, second))
    (few_first, few_second), (many_first, many_second) = figures
    assert few_first == many_first
    assert few_second == many_second
    assert few_second < few_first  # no thread (nor the rest of the page) read for rendering


def test_an_author_sees_their_own_hidden_comment_after_others_filled_the_cache(
    open_round: Round,
    make_comment: Callable[..., Comment],
    member: User,
    expert: User,
    moderator: User,
    as_user: Callable[[User | None], Client],
) -> None:
    """The page's comments are cached for everyone who sees what the others see; whoever
    has a comment only they see (hidden or withdrawn) gets their own list."""
    hidden = make_comment(open_round, "Uwaga ukryta przez moderatora")
    make_comment(open_round, "Uwaga widoczna")
    services.comment_hide(actor=moderator, comment=hidden, reason="Poza tematem")
    expert_client = as_user(expert)
    for _ in range(2):
        html = _page(expert_client, open_round)[0]
        assert "Uwaga widoczna" in html and "Uwaga ukryta" not in html
    author_html = _page(as_user(member), open_round)[0]
    assert "Uwaga ukryta przez moderatora" in author_html
    assert "Poza tematem" in author_html


def test_later_pages_are_cached_and_numbered_as_when_counted(
    open_round: Round,
    make_comment: Callable[..., Comment],
    expert: User,
    as_user: Callable[[User | None], Client],
) -> None:
    for n in range(25):
        make_comment(open_round, f"Uwaga numer {n:02d}")
    client = as_user(expert)
    url = open_round.get_absolute_url()
    first = client.get(url + "?page=2").content.decode()
    second = client.get(url + "?page=2").content.decode()
    for html in (first, second):
        assert "Uwaga numer 20" in html and "Uwaga numer 24" in html
        assert "Uwaga numer 19" not in html
        assert "25 comments" in html
    assert _comments_without_tokens(first) == _comments_without_tokens(second)
    odd = client.get(url + "?page=nonsense").content.decode()  # the first page, not cached
    assert "Uwaga numer 00" in odd and "Uwaga numer 20" not in odd


def test_the_round_shows_its_changes_and_its_phase_at_once_to_a_logged_in_viewer(
    open_round: Round, expert: User, as_user: Callable[[User | None], Client]
) -> None:
    """The round row is kept in the cache under the round's stamp, as the anonymous page is."""
    client = as_user(expert)
    _page(client, open_round)
    open_round.responsible_office = "Wydział Polityki Społecznej i Zdrowia"
    open_round.save()
    assert "Wydział Polityki Społecznej i Zdrowia" in _page(client, open_round)[0]
    with time_machine.travel(open_round.closes_at + dt.timedelta(minutes=1)):
        html = _page(client, open_round)[0]
    assert 'name="comment-text"' not in html  # closed by the clock: no comment form


def test_an_author_who_looked_before_their_comment_was_hidden_still_sees_it_after(
    open_round: Round,
    make_comment: Callable[..., Comment],
    member: User,
    expert: User,
    moderator: User,
    as_user: Callable[[User | None], Client],
) -> None:
    """Whether a person has comments only they see is kept per round state: hiding or
    withdrawing changes the state, so their list is their own at once, and the list they get
    is never the one others are given."""
    comment = make_comment(open_round, "Uwaga autora")
    author, other = as_user(member), as_user(expert)
    assert "Uwaga autora" in _page(author, open_round)[0]
    services.comment_hide(actor=moderator, comment=comment, reason="Poza tematem")
    html = _page(author, open_round)[0]
    assert "Uwaga autora" in html and "Poza tematem" in html
    assert "Uwaga autora" not in _page(other, open_round)[0]
    services.comment_withdraw(actor=member, comment=comment)
    assert "Uwaga autora" in _page(author, open_round)[0]
    assert "Uwaga autora" not in _page(as_user(moderator), open_round)[0]


def test_cached_controls_are_each_viewers_own_organisations(
    open_round: Round,
    make_comment: Callable[..., Comment],
    member: User,
    member_org: Organisation,
    other_rep: User,
    expert: User,
    as_user: Callable[[User | None], Client],
) -> None:
    """Support and reply controls are kept in the cache per choices: two representatives of
    different organisations never get each other's."""
    comment = make_comment(
        open_round, "Uwaga eksperta", author=expert, organisation=None, author_role="expert"
    )
    other = Organisation.objects.get(representations__user=other_rep)
    theirs = _thread(_page(as_user(other_rep), open_round)[0], comment)
    mine = _thread(_page(as_user(member), open_round)[0], comment)
    assert f'name="organisation" value="{other.pk}"' in theirs
    assert f'name="organisation" value="{member_org.pk}"' in mine
    assert f'value="{other.pk}"' not in mine
    assert f'value="org:{member_org.pk}"' in mine and f"org:{other.pk}" not in mine
