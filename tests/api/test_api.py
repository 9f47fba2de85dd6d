"""The read-only JSON API: public rows only, absolute links, filters, pagination, schema."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from tests.pages import without_nonces

from .conftest import World, assert_no_secret

ENDPOINTS = [
    "teams",
    "meetings",
    "swot-entries",
    "goals",
    "actions",
    "rounds",
    "comments",
    "programme-versions",
]


def everything(client: Client, endpoint: str, **params: object) -> list[dict]:
    """Every row of a list endpoint, following the pagination."""
    rows: list[dict] = []
    url: str | None = f"/api/v1/{endpoint}/"
    query: dict = {"page_size": 200, **params}
    while url:
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        body = response.json()
        rows.extend(body["results"])
        url, query = body["next"], {}
    return rows


def test_schema_is_valid_openapi_3() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    for endpoint in ENDPOINTS:
        assert f"/api/v1/{endpoint}/" in schema["paths"]
        assert f"/api/v1/{endpoint}/{{id}}/" in schema["paths"]


def test_schema_and_docs_pages_answer_anonymous_visitors_without_a_cdn(
    client: Client, db: None
) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/comments/" in json.loads(schema.content)["paths"]
    as_json = client.get("/api/schema/", {"format": "json"})
    assert json.loads(as_json.content)["openapi"].startswith("3.")
    assert client.get("/api/schema/").content.startswith(b"openapi: 3.")
    root = client.get("/api/v1/").json()
    assert root["comments"] == "http://testserver/api/v1/comments/"
    for page in ["/api/docs/", "/api/redoc/"]:
        response = client.get(page)
        assert response.status_code == 200
        html = without_nonces(response.content.decode())
        assert "cdn" not in html.lower()
        # ReDoc's bundle is the patched copy in static/vendor/redoc/ (scripts/vendor_redoc.py).
        assets = re.findall(r'"(/static/(?:drf_spectacular_sidecar|vendor)/[^"]+)"', html)
        assert assets
        for asset in assets:
            assert client.get(asset).status_code == 200, asset


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint_answers_anonymous_and_leaks_nothing(
    client: Client, world: World, endpoint: str
) -> None:
    rows = everything(client, endpoint)
    assert rows, f"{endpoint} lists nothing"
    assert_no_secret(json.dumps(rows, ensure_ascii=False))
    for row in rows[:3]:
        assert row["html_url"].startswith("http://testserver/")
        detail = client.get(f"/api/v1/{endpoint}/{row['id']}/")
        assert detail.status_code == 200
        assert detail.json() == row


def test_draft_meetings_and_unpublished_results_are_absent(client: Client, world: World) -> None:
    meetings = {row["id"]: row for row in everything(client, "meetings")}
    assert world.draft.pk not in meetings
    assert client.get(f"/api/v1/meetings/{world.draft.pk}/").status_code == 404
    # An announced meeting is public, but its work in progress is not, and has no PDF yet.
    assert meetings[world.unpublished.pk]["pdf_url"] is None
    assert meetings[world.unpublished.pk]["results_published"] is False
    published = meetings[world.published.pk]
    assert published["pdf_url"] == (
        f"http://testserver/meetings/{world.published.pk}/postulated-actions.pdf"
    )
    assert published["agenda_items"], "the seeded meeting has an agenda"
    for endpoint in ["swot-entries", "goals", "actions"]:
        rows = everything(client, endpoint)
        assert {row["meeting"] for row in rows} == {world.published.pk}, endpoint
        assert any("źródła" in json.dumps(row, ensure_ascii=False) for row in rows), endpoint


def test_hidden_withdrawn_and_draft_round_comments_are_absent(client: Client, world: World) -> None:
    ids = {row["id"] for row in everything(client, "comments")}
    assert world.visible_comment.pk in ids
    for secret in [world.hidden_comment, world.withdrawn_comment, world.reply_to_withdrawn]:
        assert secret.pk not in ids
        assert client.get(f"/api/v1/comments/{secret.pk}/").status_code == 404
    # As on the round page, a reply stays under a hidden comment's placeholder; its parent,
    # the hidden comment, is not published.
    assert world.reply_to_hidden.pk in ids
    reply = client.get(f"/api/v1/comments/{world.reply_to_hidden.pk}/").json()
    assert reply["text"] == "Reply under a hidden comment"
    rounds = {row["id"] for row in everything(client, "rounds")}
    assert world.draft_round.pk not in rounds
    assert client.get(f"/api/v1/rounds/{world.draft_round.pk}/").status_code == 404


def test_dispositions_appear_only_once_the_report_is_published(
    client: Client, world: World
) -> None:
    settled = client.get(f"/api/v1/comments/{world.settled_comment.pk}/").json()
    assert settled["disposition"] == "partly"
    assert settled["justification"] == "Public justification"
    pending = client.get(f"/api/v1/comments/{world.unreported_disposition.pk}/").json()
    assert pending["disposition"] is None
    assert pending["justification"] is None
    # Filtering by disposition must not reveal unpublished settlements either.
    rejected = {row["id"] for row in everything(client, "comments", disposition="not_accepted")}
    assert world.unreported_disposition.pk not in rejected
    partly = {row["id"] for row in everything(client, "comments", disposition="partly")}
    assert world.settled_comment.pk in partly
    reported = client.get(f"/api/v1/rounds/{world.reported_round.pk}/").json()
    assert reported["report_url"].endswith(f"/consultations/{world.reported_round.pk}/report/")
    assert client.get(f"/api/v1/rounds/{world.open_round.pk}/").json()["report_url"] is None


def test_comment_author_shows_the_organisation_and_the_name_only_with_consent(
    client: Client, world: World
) -> None:
    row = client.get(f"/api/v1/comments/{world.visible_comment.pk}/").json()
    assert row["author"] == "Fundacja Otwarte Dane"
    world.author.show_name_publicly = True
    world.author.save()
    row = client.get(f"/api/v1/comments/{world.visible_comment.pk}/").json()
    assert row["author"] == "Fundacja Otwarte Dane (Hidden Personname)"
    assert "email" not in json.dumps(row)


def test_a_comment_carries_its_registration_number_channel_and_the_moment_it_was_received(
    client: Client, world: World
) -> None:
    """As the report and the comment table give them: a letter registered later keeps the
    moment it reached the office (created_at is when it was registered)."""
    import datetime as dt

    from consultations.models import Channel, Comment

    received = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    Comment.objects.filter(pk=world.visible_comment.pk).update(
        registration_number="KZ/2026/0042", channel=Channel.POST, received_at=received
    )
    row = client.get(f"/api/v1/comments/{world.visible_comment.pk}/").json()
    assert row["registration_number"] == "KZ/2026/0042"
    assert row["channel"] == "post"
    assert row["received_at"].startswith("2026-11-20T10:30:00")  # Warsaw time, with its offset
    assert row["received_at"] != row["created_at"]


def test_filters_narrow_the_lists(client: Client, world: World) -> None:
    meeting = world.published
    actions = everything(client, "actions", meeting=meeting.pk, status="postulated")
    assert actions and all(row["meeting"] == meeting.pk for row in actions)
    assert everything(client, "actions", team=meeting.team_id + 1000) == []
    comments = everything(client, "comments", round=world.open_round.pk)
    assert {row["round"] for row in comments} == {world.open_round.pk}
    teams = {row["team"] for row in everything(client, "meetings", team=meeting.team_id)}
    assert teams == {meeting.team_id}
    threats = everything(client, "swot-entries", quadrant="T", meeting=meeting.pk)
    assert threats and {row["quadrant"] for row in threats} == {"T"}


@pytest.mark.parametrize(
    "query",
    [{"team": "abc"}, {"status": "draft"}, {"team": "-1"}, {"team": "²"}, {"quadrant": "X"}],
)
def test_bad_filters_get_a_clear_400(client: Client, world: World, query: dict) -> None:
    endpoint = "swot-entries" if "quadrant" in query else "meetings"
    client.cookies["django_language"] = "pl"
    response = client.get(f"/api/v1/{endpoint}/", query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)
    # In the request's language, as the API's other messages (here Polish).
    message = next(iter(response.json().values()))
    message = message[0] if isinstance(message, list) else message
    assert message.startswith(("Podaj liczbę całkowitą od 1.", "Jedno z:")), message


def test_pagination_is_bounded_and_ids_are_stable(client: Client, world: World) -> None:
    first = client.get("/api/v1/actions/", {"page_size": 2}).json()
    assert len(first["results"]) == 2
    assert first["count"] > 2
    second = client.get(first["next"]).json()
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == sorted(ids)
    assert len(client.get("/api/v1/actions/", {"page_size": 10_000}).json()["results"]) <= 200


def test_the_api_is_read_only(client: Client, world: World) -> None:
    assert client.post("/api/v1/teams/", {}, content_type="application/json").status_code == 405
    url = f"/api/v1/comments/{world.visible_comment.pk}/"
    assert client.delete(url).status_code == 405


def test_programme_versions_carry_their_frozen_paragraphs_and_pdf(
    client: Client, world: World
) -> None:
    from drafts.models import DraftVersion

    version = DraftVersion.objects.order_by("pk").first()
    assert version is not None, "seed_demo publishes version 1"
    row = client.get(f"/api/v1/programme-versions/{version.pk}/").json()
    assert row["number"] == version.number
    assert row["pdf_url"] == f"http://testserver/programme-draft/versions/{version.pk}.pdf"
    snapshot = version.snapshot["sections"]
    assert [chapter["title"] for chapter in row["chapters"]] == [s["title"] for s in snapshot]
    paragraphs = [p for chapter in row["chapters"] for p in chapter["paragraphs"]]
    expected = [p for s in snapshot for p in s["paragraphs"]]
    assert [p["uid"] for p in paragraphs] == [p["uid"] for p in expected]
    assert [p["text"] for p in paragraphs] == [p["text"] for p in expected]
    assert paragraphs and set(paragraphs[0]) == {"uid", "number", "text"}


def test_open_data_page_lists_every_operation_and_is_linked_from_every_page(
    client: Client, world: World
) -> None:
    home = client.get("/").content.decode()
    assert 'href="/api/"' in home
    html = client.get("/api/").content.decode()
    for endpoint in ENDPOINTS:
        assert f"GET /api/v1/{endpoint}/</code>" in html
        assert f"GET /api/v1/{endpoint}/{{id}}/</code>" in html
    assert "http://testserver/api/schema/" in html
    assert "http://testserver/calendar.ics" in html
    assert "429" in html


def test_round_archive_holds_the_round_its_items_and_only_published_comments(
    client: Client, world: World
) -> None:
    response = client.get(f"/api/v1/rounds/{world.open_round.pk}/archive/")
    assert response.status_code == 200
    archive = response.json()
    assert_no_secret(json.dumps(archive, ensure_ascii=False))
    assert archive["round"]["id"] == world.open_round.pk
    ids = {row["id"] for row in archive["comments"]}
    assert world.visible_comment.pk in ids
    assert world.hidden_comment.pk not in ids
    assert {row["meeting"] for row in archive["actions"]} == {world.published.pk}
    assert any("źródła" in row["text"] for row in archive["swot_entries"])
    assert all(row["disposition"] is None for row in archive["comments"])
    reported = client.get(f"/api/v1/rounds/{world.reported_round.pk}/archive/").json()
    assert [row["disposition"] for row in reported["comments"]] == ["partly"]
    assert client.get(f"/api/v1/rounds/{world.draft_round.pk}/archive/").status_code == 404
