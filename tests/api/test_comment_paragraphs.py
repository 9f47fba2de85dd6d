"""Comments on paragraphs of the programme draft carry the paragraph in the API: its stable
uid, its § number and label in the consulted version; other comments carry nulls."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import AuthorRole, Comment, Round
from consultations.phases import Phase
from drafts.models import DraftVersion
from teams.models import Meeting

from .conftest import World

DAY = dt.timedelta(days=1)


def _paragraphs(version: DraftVersion) -> tuple[dict, dict]:
    """A numbered paragraph (§ 2) and an unnumbered one (the preamble's)."""
    paragraphs = [p for s in version.snapshot["sections"] for p in s["paragraphs"]]
    numbered = next(p for p in paragraphs if p.get("number") == 2)
    preamble = next(p for p in paragraphs if p.get("number") is None)
    return numbered, preamble


@pytest.fixture
def version(seeded: Meeting) -> DraftVersion:
    return DraftVersion.objects.get(draft__programme=seeded.team.programme, number=1)


def _draft_round(version: DraftVersion, title: str = "Draft consultation") -> Round:
    now = timezone.now()
    return Round.objects.create(
        programme=version.draft.programme,
        draft_version=version,
        title=title,
        goal="Goal",
        subject="The programme draft",
        responsible_office="MOWIS",
        contact="MOWIS",
        opens_at=now - DAY,
        closes_at=now + 10 * DAY,
        status=Phase.ANNOUNCED,
        announced_at=now - 2 * DAY,
    )


def _comment(world: World, round_: Round, text: str, **fields: object) -> Comment:
    return Comment.objects.create(
        round=round_,
        author=world.author,
        author_role=AuthorRole.ORGANISATION,
        organisation=world.visible_comment.organisation,
        text=text,
        **fields,
    )


def test_comments_carry_their_paragraph_uid_number_and_label(
    client: Client, world: World, version: DraftVersion
) -> None:
    round_ = _draft_round(version)
    numbered, preamble = _paragraphs(version)
    on_numbered = _comment(world, round_, "On § 2", paragraph_uid=numbered["uid"])
    on_preamble = _comment(world, round_, "On the preamble", paragraph_uid=preamble["uid"])
    on_round = _comment(world, round_, "On the whole draft")

    response = client.get("/api/v1/comments/", {"round": round_.pk})
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}

    assert rows[on_numbered.pk]["item_type"] == "paragraph"
    assert rows[on_numbered.pk]["paragraph_uid"] == numbered["uid"]
    assert rows[on_numbered.pk]["paragraph_number"] == 2
    assert rows[on_numbered.pk]["paragraph_label"] == "§ 2"

    assert rows[on_preamble.pk]["paragraph_uid"] == preamble["uid"]
    assert rows[on_preamble.pk]["paragraph_number"] is None
    # The demo's preamble has two unnumbered paragraphs: each is named by its place in it.
    assert rows[on_preamble.pk]["paragraph_label"] == "Preamble of the programme draft, paragraph 1"
    second = [
        p
        for s in version.snapshot["sections"]
        for p in s["paragraphs"]
        if p.get("number") is None and p["uid"] != preamble["uid"]
    ][0]
    on_second = _comment(world, round_, "On the preamble again", paragraph_uid=second["uid"])
    row = client.get(f"/api/v1/comments/{on_second.pk}/").json()
    assert row["paragraph_label"] == "Preamble of the programme draft, paragraph 2"

    assert rows[on_round.pk]["item_type"] == "round"
    assert rows[on_round.pk]["paragraph_uid"] is None
    assert rows[on_round.pk]["paragraph_number"] is None
    assert rows[on_round.pk]["paragraph_label"] is None

    detail = client.get(f"/api/v1/comments/{on_numbered.pk}/").json()
    assert (detail["paragraph_uid"], detail["paragraph_number"]) == (numbered["uid"], 2)

    archive = client.get(f"/api/v1/rounds/{round_.pk}/archive/").json()
    by_id = {row["id"]: row for row in archive["comments"]}
    assert by_id[on_numbered.pk]["paragraph_label"] == "§ 2"
    assert by_id[on_round.pk]["paragraph_uid"] is None


def test_comments_on_a_meeting_round_have_no_paragraph(client: Client, world: World) -> None:
    row = client.get(f"/api/v1/comments/{world.visible_comment.pk}/").json()
    assert row["paragraph_uid"] is None
    assert row["paragraph_number"] is None and row["paragraph_label"] is None


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, {"page_size": 200}).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/api/v1/comments/", "archive"])
def test_paragraph_numbers_cost_a_fixed_number_of_queries(
    client: Client, world: World, version: DraftVersion, url: str
) -> None:
    round_ = _draft_round(version)
    numbered, _preamble = _paragraphs(version)
    _comment(world, round_, "First", paragraph_uid=numbered["uid"])
    if url == "archive":
        url = f"/api/v1/rounds/{round_.pk}/archive/"
    _count(client, url)  # warm up
    before = _count(client, url)
    for n in range(10):
        _comment(world, round_, f"More {n}", paragraph_uid=numbered["uid"])
    # Rounds consulting other versions: still one query for all their snapshots.
    for number in (2, 3):
        later = DraftVersion.objects.create(
            draft=version.draft, number=number, snapshot=version.snapshot
        )
        other_round = _draft_round(later, title=f"Consultation of version {number}")
        _comment(world, other_round, "Elsewhere", paragraph_uid=numbered["uid"])
    assert _count(client, url) == before
