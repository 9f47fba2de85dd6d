"""Settling a big round: find comments by filters, see them grouped by item with the item's
wording, their supports and replies, and pay the same number of queries at any size."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from actions.models import Action, Goal
from consultations.models import AuthorRole, Channel, Comment, Disposition, Round, Support
from consultations.phases import Phase
from teams.models import Meeting, Organisation, User

from .test_queries import reply_and_support

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


@pytest.fixture
def goal(seeded: Meeting) -> Goal:
    return Goal.objects.create(
        team=seeded.team, meeting=seeded, number=1, title="Więcej środków na wkład własny"
    )


def _url(round_: Round, query: str = "") -> str:
    return f"/consultations/{round_.pk}/settle/" + (f"?{query}" if query else "")


def _fill(round_: Round, n: int, member: User, other_rep: User) -> None:
    """``n`` comments spread over the meeting's goals and actions and the round as a whole,
    some settled, some registered by post, each with a reply and a support."""
    org = Organisation.objects.get(representations__user=member)
    other = Organisation.objects.get(representations__user=other_rep)
    goals = list(Goal.objects.filter(meeting=round_.meeting))
    actions = list(Action.objects.filter(meeting=round_.meeting))
    targets: list[dict[str, object]] = [{}]
    targets += [{"goal": g} for g in goals] + [{"action": a} for a in actions]
    comments = Comment.objects.bulk_create(
        Comment(
            round=round_,
            author=member,
            author_role=AuthorRole.ORGANISATION,
            organisation=org,
            text=f"Uwaga {i}",
            channel=Channel.POST if i % 5 == 0 else Channel.ONLINE,
            disposition=Disposition.ACCEPTED if i % 3 == 0 else "",
            justification="Tak." if i % 3 == 0 else "",
            **targets[i % len(targets)],  # type: ignore[arg-type]
        )
        for i in range(n)
    )
    reply_and_support(comments, other_rep, other)


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "query", ["", "order=sent", "order=text", "state=open&q=uwaga&channel=post&page=2"]
)
def test_the_settle_page_costs_as_many_queries_with_3000_comments_as_with_30(
    make_round: Callable[..., Round],
    member: User,
    other_rep: User,
    coordinator: User,
    as_user: Login,
    query: str,
) -> None:
    small = make_round(Phase.CLOSED, title="Small")
    large = make_round(Phase.CLOSED, title="Large")
    _fill(small, 30, member, other_rep)
    _fill(large, 3000, member, other_rep)
    client = as_user(coordinator)
    # page=2 of the small round is its last page: Django's paginator shows the last one.
    assert _count(client, _url(small, query)) == _count(client, _url(large, query))


def test_the_comments_are_grouped_by_item_with_its_wording_above_them(
    closed_round: Round,
    goal: Goal,
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
) -> None:
    action = Action.objects.filter(meeting=closed_round.meeting).order_by("number").first()
    assert action is not None
    on_action = make_comment(closed_round, "O działaniu", action=action)
    on_goal = make_comment(closed_round, "O celu", goal=goal)
    second_on_action = make_comment(closed_round, "Znowu o działaniu", action=action)
    html = as_user(coordinator).get(_url(closed_round)).content.decode()
    # Each group's heading (its label and wording) once, above its comments.
    assert html.count(f'id="group-action-{action.pk}"') == 1
    assert html.count(f'id="group-goal-{goal.pk}"') == 1
    assert html.index(f'id="group-action-{action.pk}"') < html.index(f'id="settle-{on_action.pk}"')
    assert html.index(f'id="settle-{on_action.pk}"') < html.index(
        f'id="settle-{second_on_action.pk}"'
    )
    assert html.index(f'id="group-goal-{goal.pk}"') < html.index(f'id="settle-{on_goal.pk}"')
    assert goal.title[:40] in html
    assert action.text[:40] in html


def test_a_paragraph_group_shows_its_wording_at_the_consulted_version(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
) -> None:
    from drafts.models import DraftVersion

    version = DraftVersion.objects.exclude(snapshot={}).order_by("pk").first()
    assert version is not None
    paragraph = next(
        p for s in version.snapshot["sections"] for p in s["paragraphs"] if p.get("text")
    )
    Round.objects.filter(pk=closed_round.pk).update(draft_version=version)
    closed_round.refresh_from_db()
    comment = make_comment(closed_round, "O paragrafie", paragraph_uid=paragraph["uid"])
    html = as_user(coordinator).get(_url(closed_round)).content.decode()
    heading = html.index(f'id="group-paragraph-{paragraph["uid"]}"')
    assert heading < html.index(f'id="settle-{comment.pk}"')
    assert paragraph["text"][:40] in html[heading:]


def test_supports_and_replies_are_shown_with_each_comment(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    other_rep: User,
    coordinator: User,
    as_user: Login,
) -> None:
    comment = make_comment(closed_round, "Uwaga z poparciem")
    other = Organisation.objects.get(representations__user=other_rep)
    Support.objects.create(comment=comment, organisation=other)
    make_comment(
        closed_round,
        "Zgadzamy się z tą uwagą",
        parent=comment,
        author=other_rep,
        organisation=other,
    )
    html = as_user(coordinator).get(_url(closed_round)).content.decode()
    row = html[html.index(f'id="settle-{comment.pk}"') :]
    assert "Zgadzamy się z tą uwagą" in row
    assert "Supported by" in row
    assert other.name in row


def test_the_filters_find_comments_by_item_organisation_channel_state_and_words(
    closed_round: Round,
    goal: Goal,
    make_comment: Callable[..., Comment],
    other_rep: User,
    coordinator: User,
    as_user: Login,
) -> None:
    other = Organisation.objects.get(representations__user=other_rep)
    on_goal = make_comment(closed_round, "Więcej grantów dla młodzieży", goal=goal)
    by_other = make_comment(closed_round, "Mniej biurokracji", author=other_rep, organisation=other)
    by_post = make_comment(closed_round, "List w sprawie lokali", channel=Channel.POST)
    settled = make_comment(
        closed_round, "Już rozpatrzona", disposition=Disposition.ACCEPTED, justification="Tak."
    )
    client = as_user(coordinator)

    def shown(query: str) -> set[int]:
        response = client.get(_url(closed_round, query))
        assert response.status_code == 200
        return {int(pk) for pk in re.findall(r'id="settle-(\d+)"', response.content.decode())}

    everything = {on_goal.pk, by_other.pk, by_post.pk, settled.pk}
    assert shown("") == everything
    assert shown(f"item=goal:{goal.pk}") == {on_goal.pk}
    assert shown("item=round") == everything - {on_goal.pk}
    assert shown(f"organisation={other.pk}") == {by_other.pk}
    assert shown("channel=post") == {by_post.pk}
    assert shown("state=open") == everything - {settled.pk}
    assert shown("state=settled") == {settled.pk}
    assert shown("q=GRANTów+młodzieży") == {on_goal.pk}
    assert shown("q=biurokracji&state=settled") == set()


def test_unsettled_comments_come_first(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
) -> None:
    settled = make_comment(
        closed_round, "Pierwsza", disposition=Disposition.ACCEPTED, justification="Tak."
    )
    open_ = make_comment(closed_round, "Druga")
    html = as_user(coordinator).get(_url(closed_round, "order=sent")).content.decode()
    assert html.index(f'id="settle-{open_.pk}"') < html.index(f'id="settle-{settled.pk}"')


@pytest.mark.parametrize(
    "query",
    [
        "item=goal:xyz",
        "item=nonsense",
        "organisation=99999999999999999999",
        "channel=pigeon",
        "state=%00",
        "order=random",
        "page=-1",
    ],
)
def test_bad_filters_are_a_clear_message_not_an_error(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
    query: str,
) -> None:
    make_comment(closed_round)
    response = as_user(coordinator).get(_url(closed_round, query))
    assert response.status_code in (200, 400)
    if response.status_code == 400 and "%00" not in query:
        assert "Select a valid choice" in response.content.decode()


def test_pagination_keeps_the_filters(
    closed_round: Round,
    member: User,
    other_rep: User,
    coordinator: User,
    as_user: Login,
) -> None:
    _fill(closed_round, 120, member, other_rep)
    html = as_user(coordinator).get(_url(closed_round, "state=open&q=Uwaga")).content.decode()
    links = re.findall(r'href="\?([^"]*page=2[^"]*)"', html)
    assert links, "no link to the next page"
    assert "state=open" in links[0] and "q=Uwaga" in links[0]
