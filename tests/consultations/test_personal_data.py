"""The RODO export (/my-account/data.json) holds what consultations keeps about the person:
their comments with what became of them, the earlier versions of the ones they edited, the
comments they flagged and the ones they supported; and their notification choices. Nothing of
anyone else's."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from consultations import services
from consultations.models import AuthorRole, Comment, Round
from notifications.models import DigestChoice, NotificationOptOut
from teams.models import Organisation, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def _export(client: Client) -> dict:
    response = client.get("/my-account/data.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_export_holds_comments_earlier_versions_flags_supports_and_choices(
    open_round: Round,
    make_comment: Callable[..., Comment],
    member: User,
    other_rep: User,
    as_user: Login,
) -> None:
    mine = make_comment(open_round, "Pierwsza wersja", submitter_justification="Bo tak.")
    services.comment_edit(
        actor=member,
        comment=mine,
        text="Druga wersja",
        proposed_wording="Nowe brzmienie",
        version=mine.version,
    )
    theirs = make_comment(
        open_round,
        "Uwaga innej organizacji",
        author=other_rep,
        organisation=Organisation.objects.get(representations__user=other_rep),
    )
    services.comment_flag(actor=member, comment=theirs, reason="Nie na temat")
    own_org = Organisation.objects.get(pk=mine.organisation_id)
    services.comment_support(actor=member, comment=theirs, organisation=own_org)
    NotificationOptOut.objects.create(user=member, kind="round_reminder")
    DigestChoice.objects.create(user=member)

    data = _export(as_user(member))
    (comment,) = [c for c in data["consultation_comments"] if c["id"] == mine.pk]
    assert comment["text"] == "Druga wersja" and comment["proposed_wording"] == "Nowe brzmienie"
    assert comment["on_behalf_of"] == AuthorRole.ORGANISATION
    assert comment["organisation"] == own_org.name and comment["reply_to"] is None
    assert comment["item"] and comment["edited_at"]
    (earlier,) = data["consultation_comment_earlier_versions"]
    assert earlier["comment_id"] == mine.pk and earlier["text"] == "Pierwsza wersja"
    assert earlier["justification_given"] == "Bo tak."
    assert data["consultation_flags"] == [
        {
            "comment_id": theirs.pk,
            "reason": "Nie na temat",
            "created_at": data["consultation_flags"][0]["created_at"],
            "reviewed_at": None,
        }
    ]
    assert [s["comment_id"] for s in data["consultation_supports"]] == [theirs.pk]
    assert data["notifications"]["weekly_digest_since"]
    assert [o["kind"] for o in data["notifications"]["opted_out_of"]] == ["round_reminder"]

    # The other person's export holds their comment only, nothing of the member's doings.
    other = _export(as_user(other_rep))
    texts = [c["text"] for c in other["consultation_comments"]]
    assert "Uwaga innej organizacji" in texts and "Druga wersja" not in texts
    assert theirs.pk not in [f["comment_id"] for f in other["consultation_flags"]]
    assert theirs.pk not in [s["comment_id"] for s in other["consultation_supports"]]
    assert mine.pk not in [r["comment_id"] for r in other["consultation_comment_earlier_versions"]]
    assert other["notifications"] == {"weekly_digest_since": None, "opted_out_of": []}
