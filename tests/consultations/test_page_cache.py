"""The round page is cached whole for anonymous visitors (core.page_cache): a cached
page costs one query, each visitor gets a CSRF token that works, and every change shows at
once, whichever way it is made."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
import time_machine
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from consultations.models import Comment, Round, Support
from consultations.phases import Phase
from teams import services as team_services
from teams.models import Meeting, Organisation, User

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _get(client: Client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


PAGE = "consultations/round_detail.html"


def _templates(response: HttpResponse) -> list[str]:
    """The templates rendered for the response (none when the cached page was served; its
    parts may come from their own caches: consultations.fragments)."""
    assert response.status_code == 200
    return [template.name for template in response.templates]


def _without_tokens(html: str) -> str:
    """The page without what differs per response: the CSRF token and the CSP nonce."""
    html = re.sub(r'nonce="[^"]+"', 'nonce="NONCE"', html)
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)


def test_it_serves_a_second_anonymous_visitor_the_same_page_with_one_query(
    open_round: Round, make_comment: Callable[..., Comment]
) -> None:
    make_comment(open_round, "Uwaga do programu")
    url = open_round.get_absolute_url()
    first, fresh_queries = _get(Client(), url)
    second, cached_queries = _get(Client(), url)
    assert fresh_queries > 3
    assert cached_queries == 1
    assert "Uwaga do programu" in second
    assert _without_tokens(second) == _without_tokens(first)
    assert TOKEN.search(first).group(1) != TOKEN.search(second).group(1)


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works(open_round: Round) -> None:
    url = open_round.get_absolute_url()
    Client().get(url)  # renders and caches the page
    visitor = Client(enforce_csrf_checks=True)
    other = Client(enforce_csrf_checks=True)
    mine = TOKEN.search(visitor.get(url).content.decode()).group(1)
    theirs = TOKEN.search(other.get(url).content.decode()).group(1)
    assert "__krakow_ngo_csrf_token__" not in mine
    switch = {"language": "en", "next": url, "csrfmiddlewaretoken": theirs}
    assert visitor.post("/i18n/setlang/", switch).status_code == 403
    response = visitor.post("/i18n/setlang/", {**switch, "csrfmiddlewaretoken": mine})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert "Consultations" in visitor.get(url).content.decode()


def test_each_language_has_its_own_cached_page(open_round: Round) -> None:
    url = open_round.get_absolute_url()
    polish, _ = _get(Client(), url)
    english_client = Client()
    english_client.cookies["django_language"] = "en"
    english, _ = _get(english_client, url)
    assert 'lang="pl"' in polish
    assert 'lang="en"' in english


def test_a_comment_written_outside_the_services_shows_at_once(
    open_round: Round, make_comment: Callable[..., Comment]
) -> None:
    url = open_round.get_absolute_url()
    Client().get(url)
    comment = make_comment(open_round, "Dodana w panelu administracyjnym")
    assert "Dodana w panelu administracyjnym" in _get(Client(), url)[0]
    comment.text = "Poprawiona w panelu"
    comment.save()
    assert "Poprawiona w panelu" in _get(Client(), url)[0]
    comment.delete()
    assert "Poprawiona w panelu" not in _get(Client(), url)[0]


def test_a_support_added_outside_the_services_shows_at_once(
    open_round: Round, make_comment: Callable[..., Comment], other_rep: User
) -> None:
    comment = make_comment(open_round, "Uwaga")
    url = open_round.get_absolute_url()
    Client().get(url)
    other = Organisation.objects.get(representations__user=other_rep)
    Support.objects.create(comment=comment, organisation=other)
    assert other.name in _get(Client(), url)[0]


def test_a_round_edited_in_the_admin_shows_at_once(open_round: Round) -> None:
    url = open_round.get_absolute_url()
    Client().get(url)
    open_round.responsible_office = "Wydział Polityki Społecznej i Zdrowia"
    open_round.save()
    assert "Wydział Polityki Społecznej i Zdrowia" in _get(Client(), url)[0]


def test_a_name_withdrawn_by_its_owner_leaves_the_cached_page_at_once(
    open_round: Round, make_comment: Callable[..., Comment], member: User
) -> None:
    team_services.user_update_profile(
        actor=member, first_name="Anna", last_name="Nowak", show_name_publicly=True, language="pl"
    )
    make_comment(open_round, "Uwaga z nazwiskiem")
    url = open_round.get_absolute_url()
    assert "Anna Nowak" in _get(Client(), url)[0]
    team_services.user_update_profile(
        actor=member, first_name="Anna", last_name="Nowak", show_name_publicly=False, language="pl"
    )
    assert "Anna Nowak" not in _get(Client(), url)[0]


def test_a_renamed_organisation_shows_at_once(
    open_round: Round, make_comment: Callable[..., Comment], member_org: Organisation
) -> None:
    make_comment(open_round, "Uwaga")
    url = open_round.get_absolute_url()
    Client().get(url)
    member_org.name = "Stowarzyszenie o nowej nazwie"
    member_org.save()
    assert "Stowarzyszenie o nowej nazwie" in _get(Client(), url)[0]


def test_the_cached_page_follows_the_clock_when_the_round_opens(
    make_round: Callable[..., Round],
) -> None:
    round_ = make_round(Phase.ANNOUNCED)
    url = round_.get_absolute_url()
    assert "Comments can be sent from" in _get(english(Client()), url)[0]
    with time_machine.travel(round_.opens_at + dt.timedelta(seconds=1), tick=False):
        page = _get(english(Client()), url)[0]
    assert "Comments are accepted until" in page
    with time_machine.travel(round_.closes_at, tick=False):
        page = _get(english(Client()), url)[0]
    assert "The round is closed" in page


def test_a_pending_message_is_shown_and_never_cached(open_round: Round, member: User) -> None:
    url = open_round.get_absolute_url()
    Client().get(url)
    leaving = english(Client())
    leaving.force_login(member)
    leaving.post("/accounts/logout/")
    assert "You have logged out." in leaving.get(url).content.decode()
    assert "You have logged out." not in english(Client()).get(url).content.decode()


def test_a_logged_in_user_is_never_served_the_anonymous_page(
    open_round: Round, member: User
) -> None:
    url = open_round.get_absolute_url()
    Client().get(url)
    client = Client()
    client.force_login(member)
    page = client.get(url).content.decode()
    assert member.email in page
    assert 'name="comment-text"' in page


@pytest.mark.parametrize("query", ["?page=2&x=1", "?page=abc", "?page=1&page=2", "?q=1"])
def test_other_query_strings_are_rendered_afresh_and_not_stored(
    open_round: Round, query: str
) -> None:
    url = open_round.get_absolute_url() + query
    Client().get(url)
    assert PAGE in _templates(Client().get(url))


def test_htmx_requests_are_rendered_afresh(open_round: Round) -> None:
    url = open_round.get_absolute_url()
    Client().get(url)
    assert PAGE not in _templates(Client().get(url))  # the cached page
    assert PAGE in _templates(Client().get(url, headers={"HX-Request": "true"}))


def test_a_draft_round_stays_hidden_from_anonymous_visitors(
    make_round: Callable[..., Round], coordinator: User
) -> None:
    round_ = make_round(Phase.DRAFT)
    staff = Client()
    staff.force_login(coordinator)
    assert staff.get(round_.get_absolute_url()).status_code == 200
    assert Client().get(round_.get_absolute_url()).status_code == 404
    assert Client().get("/consultations/999999/").status_code == 404


def test_the_published_report_is_cached_and_stays_as_it_was_published(
    make_round: Callable[..., Round], make_comment: Callable[..., Comment]
) -> None:
    round_ = make_round(Phase.REPORT_PUBLISHED)
    comment = make_comment(round_, "Uwaga w raporcie", disposition="accepted", justification="Tak")
    url = f"/consultations/{round_.pk}/report/"
    assert "Uwaga w raporcie" in _get(Client(), url)[0]
    assert _get(Client(), url)[1] == 2  # the round and its publication (tests/pdf/...)
    comment.justification = "Uzasadnienie poprawione w panelu"
    comment.save()
    # A published report is frozen (documents/pages.py): a correction is an erratum.
    assert "Uzasadnienie poprawione w panelu" not in _get(Client(), url)[0]


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def test_a_meeting_withdrawn_from_publication_leaves_the_comment_form_at_once(
    open_round: Round, seeded: Meeting, member: User, as_user: Callable[[User | None], Client]
) -> None:
    """The stamp carries the consulted meeting's status and publication (selectors.round_stamp):
    its results leave the comment form's choices as soon as it is withdrawn, although the
    round row comes from the cache (access.round_row) and the page's parts too."""
    action = Action.objects.filter(meeting=seeded, merged_into=None).first()
    assert action is not None
    choice = f'value="action:{action.pk}"'
    url = open_round.get_absolute_url()
    client = as_user(member)
    assert choice in client.get(url).content.decode()
    Meeting.objects.filter(pk=seeded.pk).update(status=Meeting.Status.DRAFT)
    assert choice not in client.get(url).content.decode()
