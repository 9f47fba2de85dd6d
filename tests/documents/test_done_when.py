"""Issue 14's "done when", end to end through the pages: a coordinator registers three
comments received on paper and by e-mail, one of them late, settles them with the online
ones and publishes the report; the comment table's XLSX, ODS, ODT and DOCX, read back with
their libraries, hold the same rows as the HTML table in the same order, and the PDF's text
has the columns in order."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from odfdo import Document
from openpyxl import load_workbook

from consultations import services
from consultations.models import AuthorRole, Channel, Comment, Disposition, Round
from core.spreadsheets import safe
from teams.models import Organisation, User
from tests.confirm import CONFIRMED
from tests.consultations.test_register import (  # noqa: F401
    DAY,
    PDF,
    PNG,
    announced_round,
    local,
    media,
    register,
)
from tests.pdf.helpers import pdf_text

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


class _Table(HTMLParser):
    """The rows of the page's comment table, each cell's text with <br> as a new line."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.inside = False
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and "comment-table" in (dict(attrs).get("class") or ""):
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("th", "td"):
            self.cell = []
        elif self.cell is not None and tag == "br":
            self.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.cell is not None and tag in ("th", "td"):
            text = "".join(self.cell)
            self.rows[-1].append("\n".join(line.strip() for line in text.strip().split("\n")))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(re.sub(r"\s+", " ", data))


def _html_rows(client: Client, round_: Round) -> list[list[str]]:
    parser = _Table()
    parser.feed(client.get(f"/consultations/{round_.pk}/comment-table/").content.decode())
    return parser.rows


def _content(response: Any) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def test_registered_and_online_comments_settled_and_published_read_the_same_in_every_format(
    announced_round: Round,  # noqa: F811
    coordinator: User,
    member: User,
    member_org: Organisation,
    as_user: Login,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    round_ = announced_round
    services.comment_post(
        actor=member,
        round_=round_,
        text="Uwaga z portalu.",
        author_role=AuthorRole.ORGANISATION,
        organisation=member_org,
        submitter_justification="Bo tak trzeba.",
    )
    client = as_user(coordinator)
    assert (
        register(
            client,
            round_,
            original=SimpleUploadedFile("skan.pdf", PDF, content_type="application/pdf"),
            text="List: dodać = termin.",
            submitter_justification="Uzasadnienie z listu.",
        ).status_code
        == 302
    )
    assert (
        register(
            client,
            round_,
            channel=Channel.EMAIL,
            person_name="",
            new_organisation="Stowarzyszenie Nowe",
            text="Uwaga z e-maila.",
            proposed_wording="Nowe brzmienie.",
            original=SimpleUploadedFile("zdjecie.png", PNG, content_type="image/png"),
        ).status_code
        == 302
    )
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - 1.5 * DAY)
    late = register(client, round_, text="Spóźniony list.", received_at=local(timezone.now() - DAY))
    assert late.status_code == 302
    comments = list(Comment.objects.counted().filter(round=round_).order_by("pk"))
    assert len(comments) == 4
    assert sorted(c.channel for c in comments) == ["email", "online", "post", "post"]
    assert sum(c.is_late for c in comments) == 1
    settle_url = f"/consultations/{round_.pk}/settle/"
    for comment in comments:
        disposition = Disposition.NOT_CONSIDERED if comment.is_late else Disposition.ACCEPTED
        response = client.post(
            settle_url,
            {
                "comments": [comment.pk],
                f"version-{comment.pk}": comment.version,
                "disposition": disposition,
                "justification": "Po terminie." if comment.is_late else "Przyjęto.",
            },
        )
        assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(f"/consultations/{round_.pk}/step/settled/", CONFIRMED).status_code == 302
        )
        assert (
            client.post(f"/consultations/{round_.pk}/step/publish/", CONFIRMED).status_code == 302
        )

    public = Client()  # the portal's language: the files' headers are the official ones
    html = _html_rows(public, round_)
    assert html[0][:3] == ["Lp.", "Zgłaszający", "Jednostka redakcyjna"]
    assert len(html) == 5 and [row[0] for row in html[1:]] == ["1", "2", "3", "4"]
    joined = "\n".join(cell for row in html for cell in row)
    assert "poczta" in joined and "e-mail" in joined and "wpłynęła po terminie" in joined
    spreadsheet = [[safe(cell) for cell in row] for row in html]

    xlsx = load_workbook(
        io.BytesIO(public.get(f"/consultations/{round_.pk}/comment-table.xlsx").content)
    )
    assert xlsx.active is not None
    # "Lp." is a number in the spreadsheets, the rest text.
    numbered = [spreadsheet[0], *([int(row[0]), *row[1:]] for row in spreadsheet[1:])]
    assert [[c or "" for c in row] for row in xlsx.active.iter_rows(values_only=True)] == numbered

    ods = Document(io.BytesIO(public.get(f"/consultations/{round_.pk}/comment-table.ods").content))
    assert [
        [str(v or "") for v in row] for row in ods.body.get_table(0).get_values()
    ] == spreadsheet

    odt = Document(io.BytesIO(public.get(f"/consultations/{round_.pk}/comment-table.odt").content))
    assert [
        ["\n".join(p.get_formatted_text().strip() for p in cell.paragraphs) for cell in row.cells]
        for row in odt.body.get_table(0).traverse()
    ] == html

    document = docx.Document(
        io.BytesIO(public.get(f"/consultations/{round_.pk}/comment-table.docx").content)
    )
    assert [[cell.text for cell in row.cells] for row in document.tables[0].rows] == html

    # Frozen and rendered when the report was published.
    response = public.get(f"/consultations/{round_.pk}/comment-table.pdf")
    assert response.status_code == 200
    text = pdf_text(_content(response))
    position = 0
    for column in html[0]:
        found = text.find(column.split()[0], position)
        assert found >= 0, column
        position = found
    for row in html[1:]:
        assert row[4].splitlines()[0] in text
