"""Where the comment table's and the report's PDFs break their pages: a row of the comment
table is not split across two pages, and a heading is not left at a page's foot with its
table on the next. Read per page with pdftotext, as a reader's tools read them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from consultations.models import Comment, Disposition, Round
from consultations.phases import Phase
from documents.comment_table import comment_table_document
from pdf import render as pdf_render
from tests.pdf.helpers import pdf_words

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def render_here(settings: Any) -> None:
    settings.PDF_RENDER_ISOLATED = False


def _pages_of(pdf: bytes, word: str) -> list[int]:
    """The pages (from 1) on which a word is printed."""
    return [
        number
        for number, words in enumerate(pdf_words(pdf), start=1)
        if any(w[4] == word for w in words)
    ]


def test_a_comment_table_row_is_not_split_across_pages(
    make_round: Callable[..., Round], make_comment: Callable[..., Comment]
) -> None:
    round_ = make_round(Phase.SETTLED)
    count = 14
    for n in range(count):
        # Rows of different heights, so that a page's foot falls inside one of them.
        lines = [f"start{n:02d}", *(f"linia {k}" for k in range(4 + (n * 5) % 9)), f"koniec{n:02d}"]
        make_comment(
            round_,
            "\n".join(lines),
            disposition=Disposition.ACCEPTED,
            justification=f"uzasadnienie{n:02d}",
        )
    pdf = pdf_render.render_document(comment_table_document(str(round_.pk))).pdf
    assert len(pdf_words(pdf)) >= 3
    for n in range(count):
        pages = {
            page
            for word in (f"start{n:02d}", f"koniec{n:02d}", f"uzasadnienie{n:02d}")
            for page in _pages_of(pdf, word)
        }
        assert len(pages) == 1, (n, pages)


def test_a_row_taller_than_a_page_is_still_printed_whole(
    make_round: Callable[..., Round], make_comment: Callable[..., Comment]
) -> None:
    round_ = make_round(Phase.SETTLED)
    make_comment(round_, "\n".join(f"wiersz{k:03d}" for k in range(120)))
    pdf = pdf_render.render_document(comment_table_document(str(round_.pk))).pdf
    printed = [w[4] for words in pdf_words(pdf) for w in words]
    assert [w for w in printed if w.startswith("wiersz")] == [f"wiersz{k:03d}" for k in range(120)]


def _report(filler_lines: int) -> bytes:
    """The report's template (pdf/consultation_report.html) with the plain data its builder
    gives (documents.programme.round_report_document): a first section of so many lines, then
    a section of a heading and a table."""
    sections = [
        {
            "heading": "Raport z konsultacji",
            "paragraphs": ["\n".join(f"Linia {k}." for k in range(filler_lines))],
            "columns": [],
            "rows": [],
            "key": "",
        },
        {
            "heading": "Uwagi według sposobu rozpatrzenia",
            "paragraphs": [],
            "columns": ["Sposób", "Uwagi"],
            "rows": [["uwzględniona", "3"], ["nieuwzględniona", "1"]],
            "key": "",
        },
    ]
    document = pdf_render.PdfDocument(
        template_name="pdf/consultation_report.html",
        context={"sections": sections},
        title="Raport",
        filename="report.pdf",
        draft=True,
    )
    return pdf_render.render_document(document).pdf


def test_a_report_heading_is_not_left_at_a_pages_foot_without_its_table() -> None:
    moved = 0
    # The heading falls, line by line, from the foot of page 1 to the top of page 2.
    for lines in range(36, 48):
        pdf = _report(lines)
        heading = _pages_of(pdf, "rozpatrzenia")
        first_row = _pages_of(pdf, "uwzględniona")
        assert heading and first_row, lines
        assert heading[0] == first_row[0], (lines, heading, first_row)
        moved += heading[0] == 2
    assert moved, "no line count put the heading near the foot of page 1: widen the range"
