"""Each heading of the consultation report's and the comment table's PDFs is printed once: a
table's caption used to repeat the heading above it, so pdftotext (and a screen reader, and the
text copied into the city's bulletin) read it twice. Where the heading stays with its table at
a page break: test_pdf_page_breaks.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from consultations.models import Comment, Disposition, Round
from consultations.phases import Phase
from documents.comment_table import comment_table_document
from documents.programme import round_report_document
from pdf import render as pdf_render
from tests.pdf.helpers import poppler_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def render_here(settings: Any) -> None:
    settings.PDF_RENDER_ISOLATED = False


def _lines(pdf: bytes) -> list[str]:
    return [line.strip() for line in poppler_text(pdf).splitlines() if line.strip()]


@pytest.fixture
def settled(make_round: Callable[..., Round], make_comment: Callable[..., Comment]) -> Round:
    round_ = make_round(Phase.SETTLED)
    make_comment(round_, "Uwaga do programu.", disposition=Disposition.ACCEPTED)
    return round_


def test_each_heading_of_the_report_pdf_is_printed_once(settled: Round) -> None:
    document = round_report_document(str(settled.pk))
    assert document.draft  # its watermark is not text either (tests/pdf/test_render.py)
    lines = _lines(pdf_render.render_document(document).pdf)
    with translation.override(settings.LANGUAGE_CODE):  # the PDF's language
        headings = [
            _("Comments by channel"),
            _("Comments by disposition"),
            _("Comments by organisation"),
            _("Comments by item"),
            _("Comment table"),
        ]
    for heading in headings:
        assert lines.count(heading) == 1, (heading, lines)


def test_the_round_title_of_the_comment_table_pdf_is_printed_once(settled: Round) -> None:
    lines = _lines(pdf_render.render_document(comment_table_document(str(settled.pk))).pdf)
    with translation.override(settings.LANGUAGE_CODE):
        assert lines.count(_("Comment table")) == 1, lines
    assert lines.count(settled.title) == 1, lines
