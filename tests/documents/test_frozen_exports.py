"""At publication the report's ODT and DOCX and the comment table's files (PDF, ODT, DOCX,
XLSX, ODS, CSV) are frozen with the report: the downloads then serve the stored bytes, and a
later change of the live data (a comment's text corrected in the admin) does not change
them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from consultations.models import Comment, Round
from consultations.phases import Phase
from documents.models import Publication, PublicationFile
from teams.models import User
from tests.documents.test_comment_table import published  # noqa: F401
from tests.pdf.helpers import pdf_text

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]

FILES = [
    "report.odt",
    "report.docx",
    "comment-table.odt",
    "comment-table.docx",
    "comment-table.xlsx",
    "comment-table.ods",
    "comment-table.csv",
]


def _content(response: object) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined]


def _downloads(client: Client, round_: Round) -> dict[str, bytes]:
    got = {}
    for name in FILES:
        response = client.get(f"/consultations/{round_.pk}/{name}")
        assert response.status_code == 200, name
        assert response["Content-Disposition"].startswith("attachment"), name
        got[name] = _content(response)
    response = client.get(f"/consultations/{round_.pk}/comment-table.csv?dialect=excel")
    assert response.status_code == 200
    got["comment-table.excel.csv"] = _content(response)
    return got


def _edit_in_the_admin(round_: Round) -> None:
    comment = Comment.objects.filter(round=round_, parent=None).order_by("pk").first()
    assert comment is not None
    comment.text = "Treść poprawiona w panelu administracyjnym"
    comment.save()


def test_the_published_files_are_the_stored_bytes_whatever_changes_later(
    published: Round,  # noqa: F811
    as_user: Login,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    client = as_user(None)
    with django_capture_on_commit_callbacks(execute=True):
        before = _downloads(client, published)
    publication = Publication.objects.get(kind="report", object_id=str(published.pk))
    stored = {
        f.name: f.file.read() for f in PublicationFile.objects.filter(publication=publication)
    }
    assert stored == before
    pdf_url = f"/consultations/{published.pk}/comment-table.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        client.get(pdf_url)
    pdf_before = _content(client.get(pdf_url))
    assert pdf_before.startswith(b"%PDF")
    _edit_in_the_admin(published)
    with django_capture_on_commit_callbacks(execute=True):
        assert _downloads(client, published) == before
        pdf_after = _content(client.get(pdf_url))
    assert pdf_after == pdf_before
    assert "poprawiona w panelu" not in pdf_text(pdf_after)
    page = client.get(f"/consultations/{published.pk}/comment-table/").content.decode()
    assert "Dodać termin" in page
    assert "poprawiona w panelu" not in page


def test_before_publication_the_files_follow_the_live_data(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
) -> None:
    round_ = make_round(Phase.SETTLED)
    make_comment(round_, "Pierwsza wersja uwagi")
    client = as_user(coordinator)
    before = _downloads(client, round_)
    _edit_in_the_admin(round_)
    after = _downloads(client, round_)
    assert after["comment-table.csv"] != before["comment-table.csv"]
    assert b"poprawiona w panelu" in after["comment-table.csv"]
    assert not PublicationFile.objects.exists()


def test_a_report_frozen_before_its_files_were_gets_them_once(
    published: Round,  # noqa: F811
    as_user: Login,
) -> None:
    client = as_user(None)
    assert client.get(f"/consultations/{published.pk}/report/").status_code == 200
    PublicationFile.objects.all().delete()
    response = client.get(f"/consultations/{published.pk}/comment-table.csv")
    assert response.status_code == 200
    names = set(PublicationFile.objects.values_list("name", flat=True))
    assert names == {*FILES, "comment-table.excel.csv"}
