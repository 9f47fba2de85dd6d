"""The consultation report (raport z konsultacji): one builder of its sections, read back
from the ODT and DOCX files; the coordinating team's synthesis, written before publication."""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
import pytest
from django.test import Client
from django.utils import translation
from odfdo import Document

from consultations.models import Round
from consultations.phases import Phase
from core.audit import AuditEntry
from documents.comment_table import comment_table_rows
from teams.models import User
from tests.documents.test_comment_table import published  # noqa: F401

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def _expected_rows(round_: Round) -> list[list[str]]:
    with translation.override("pl"):
        return [row.cells() for row in comment_table_rows(round_)]


def _check_text(text: str, round_: Round) -> None:
    assert f"Raport z konsultacji – {round_.title}" in text
    assert "art. 5 ust. 5 ustawy z dnia 24 kwietnia 2003 r." in text
    assert "Synteza napisana przez zespół." in text
    assert "Uwagi według kanału" in text
    position = text.find("Uwagi według kanału")
    for line in ("poczta", "1"):
        assert text.find(line, position) >= 0, line


def _in_order(text: str, round_: Round) -> None:
    position = text.find("Tabela uwag")
    assert position >= 0
    for row in _expected_rows(round_):
        for cell in row:
            for line in cell.splitlines():
                found = text.find(line.strip(), position)
                assert found >= 0, line
                position = found


@pytest.fixture
def with_synthesis(published: Round) -> Round:  # noqa: F811
    Round.objects.filter(pk=published.pk).update(synthesis="Synteza napisana przez zespół.")
    published.refresh_from_db()
    return published


def test_the_odt_report_holds_heading_synthesis_channels_and_every_row(
    with_synthesis: Round, as_user: Login
) -> None:
    response = as_user(None).get(f"/consultations/{with_synthesis.pk}/report.odt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text_recursive for p in document.body.get_elements("//text:h|//text:p"))
    _check_text(text, with_synthesis)
    _in_order(text, with_synthesis)


def test_the_docx_report_holds_heading_synthesis_channels_and_every_row(
    with_synthesis: Round, as_user: Login
) -> None:
    response = as_user(None).get(f"/consultations/{with_synthesis.pk}/report.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    parts = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            parts.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif block.tag.endswith("}tbl"):
            for cell_text in block.iter():
                if cell_text.tag.endswith("}t"):
                    parts.append(cell_text.text or "")
    text = "\n".join(parts)
    _check_text(text, with_synthesis)
    _in_order(text, with_synthesis)


def test_the_report_page_offers_the_odt_and_docx(with_synthesis: Round, as_user: Login) -> None:
    content = as_user(None).get(f"/consultations/{with_synthesis.pk}/report/").content.decode()
    assert f"/consultations/{with_synthesis.pk}/report.odt" in content
    assert f"/consultations/{with_synthesis.pk}/report.docx" in content


def test_only_the_coordinating_team_writes_the_synthesis_before_publication(
    make_round: Callable[..., Round], as_user: Login, coordinator: User, member: User
) -> None:
    round_ = make_round(Phase.SETTLED)
    url = f"/consultations/{round_.pk}/synthesis/"
    assert (
        as_user(coordinator).get(f"/consultations/{round_.pk}/settle/").content.decode().count(url)
    )
    response = as_user(member).post(url, {"synthesis": "Nie moja"})
    assert response.status_code == 403
    round_.refresh_from_db()
    assert round_.synthesis == ""
    response = as_user(coordinator).post(
        url, {"synthesis": "Wnioski zespołu.", "synthesis_version": "0"}
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.synthesis == "Wnioski zespołu."
    assert AuditEntry.objects.filter(action="round.synthesis", target_id=str(round_.pk)).exists()


def test_the_synthesis_is_not_changed_after_publication(
    make_round: Callable[..., Round], as_user: Login, coordinator: User
) -> None:
    round_ = make_round(Phase.REPORT_PUBLISHED)
    response = as_user(coordinator).post(
        f"/consultations/{round_.pk}/synthesis/", {"synthesis": "Za późno"}
    )
    assert response.status_code == 403
    round_.refresh_from_db()
    assert round_.synthesis == ""


def test_the_report_page_shows_the_synthesis_and_the_comments_by_channel(
    make_round: Callable[..., Round], as_user: Login, coordinator: User
) -> None:
    round_ = make_round(Phase.SETTLED, synthesis="Wnioski z konsultacji.")
    content = as_user(coordinator).get(f"/consultations/{round_.pk}/report/").content.decode()
    assert "Wnioski z konsultacji." in content
    assert "Comments by channel" in content


def test_a_report_without_a_synthesis_says_so_on_its_page_as_in_its_files(
    make_round: Callable[..., Round], as_user: Login, coordinator: User
) -> None:
    round_ = make_round(Phase.SETTLED)
    content = as_user(coordinator).get(f"/consultations/{round_.pk}/report/").content.decode()
    assert "Synthesis of the comments" in content
    assert "The coordinating team wrote no synthesis." in content
