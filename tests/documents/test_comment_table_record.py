"""The comment table is a publication of its own (a PDF frozen when the report is published):
its page ends with the publication record, as the report's and the meeting annex's do."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from consultations.models import Comment, Disposition, Round
from consultations.phases import Phase
from documents.publications import publication_freeze

pytestmark = pytest.mark.django_db


def test_the_comment_table_page_ends_with_its_publication_record(
    make_round: Callable[..., Round], make_comment: Callable[..., Comment]
) -> None:
    round_ = make_round(Phase.REPORT_PUBLISHED)
    make_comment(round_, "Dodać termin", disposition=Disposition.ACCEPTED, justification="Tak.")
    client = Client()
    client.cookies["django_language"] = "en"
    body = client.get(f"/consultations/{round_.pk}/comment-table/").content.decode()
    publication = publication_freeze(kind="comment-table", object_id=round_.pk)
    assert publication is not None  # frozen by the report's publication or the first request
    assert "Publication record" in body
    assert "Publishing body" in body and "Responsible person" in body
