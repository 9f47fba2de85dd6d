"""The API's lists ask the database a fixed number of queries, however many rows they hold."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations.models import AuthorRole, Comment
from teams.models import AgendaItem, Meeting

from .conftest import World


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, {"page_size": 200}).status_code == 200
    return len(captured)


def grow(world: World) -> None:
    """Ten more public meetings (with agendas) and comments."""
    for n in range(10):
        meeting = Meeting.objects.create(
            team=world.published.team,
            title=f"Meeting {n}",
            date=world.published.date,
            status=Meeting.Status.PLANNED,
        )
        AgendaItem.objects.create(meeting=meeting, position=1, title="Opening")
        Comment.objects.create(
            round=world.open_round,
            author=world.author,
            author_role=AuthorRole.ORGANISATION,
            organisation=world.visible_comment.organisation,
            text=f"Comment {n}",
        )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/meetings/",
        "/api/v1/comments/",
        "/api/v1/actions/",
        "/api/v1/rounds/",
        "/calendar.ics",
        "/consultations/feed.atom",
    ],
)
def test_list_query_count_does_not_grow_with_rows(client: Client, world: World, url: str) -> None:
    queries(client, url)  # warm up: the feed caches the current Site after its first request
    before = queries(client, url)
    grow(world)
    assert queries(client, url) == before
