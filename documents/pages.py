"""The document part of a publication's HTML page, frozen with its PDF's HTML.

A published report's page and a published meeting annex's page show what was published, not
what the data says now: the part of the page that is the document (the report's consultation,
statistics and table of comments; the annex's list of actions) is rendered once, at
publication, with the same partial templates the live preview uses, and kept in
``Publication.page``. The page around it (navigation, language, downloads, the publication
record with its errata) stays live. The report's CSV and XLSX rows are frozen with it, so the
exports of a published report cannot contradict its page or its PDF.

Rendered in each of the portal's languages (``settings.LANGUAGES``): the data is frozen, the
words the portal adds (headings, dispositions, channels) follow the visitor's language as on
any page; the PDF, the record, is in the default language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language

from actions.selectors import actions_of_meeting
from consultations import selectors as consultation_selectors
from consultations.models import Round
from consultations.views import REPORT_PER_PAGE, report_rows
from teams.models import Meeting

from . import comment_table
from .consultation_report import page_sections
from .models import Publication


def in_language(publication: Publication) -> dict[str, Any]:
    """A publication's frozen page (``has_page``) in the visitor's language (the default one
    if it was not frozen in it)."""
    page: dict[str, Any] = publication.page or {}
    frozen: dict[str, Any] = page.get(get_language()) or page[settings.LANGUAGE_CODE]
    return frozen


def _each_language(render: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    page = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            page[code] = render()
    return page


def report_page(object_id: str) -> dict[str, Any]:
    """A report's page, in each language: ``head`` (the consultation and its statistics),
    ``pages`` (the rows of the table, ``REPORT_PER_PAGE`` comments a page), ``tail`` (the
    report's sections after its table: documents.consultation_report.page_sections) and
    ``rows`` (its CSV/XLSX)."""
    round_ = Round.objects.select_related("meeting__team", "draft_version").get(pk=int(object_id))
    comments = list(consultation_selectors.report_comments(round_))
    statistics = consultation_selectors.report_statistics
    events = list(round_.events.all())

    def render() -> dict[str, Any]:
        head = render_to_string(
            "consultations/partials/report_document.html",
            {
                "round": round_,
                "stats": statistics(round_),
                "events": events,
                "page_sections": {"head": page_sections(round_, "head")},
            },
        )
        pages = [
            render_to_string(
                "consultations/partials/report_rows.html",
                {"comments": comments[start : start + REPORT_PER_PAGE]},
            )
            for start in range(0, max(len(comments), 1), REPORT_PER_PAGE)
        ]
        tail = render_to_string(
            "documents/partials/report_sections.html",
            {"report_sections": page_sections(round_, "tail")},
        )
        return {"head": head, "pages": pages, "rows": report_rows(round_), "tail": tail}

    return _each_language(render)


def comment_table_page(object_id: str) -> dict[str, Any]:
    """A comment table's page, in each language: ``rows``, the cells of its rows (the
    columns are the portal's words, live)."""
    round_ = Round.objects.select_related("draft_version").get(pk=int(object_id))
    return _each_language(
        lambda: {"rows": [row.cells() for row in comment_table.comment_table_rows(round_)]}
    )


def meeting_annex_page(object_id: str) -> dict[str, Any]:
    """A meeting annex's page, in each language: ``head``, its list of postulated actions."""
    meeting = Meeting.objects.select_related("team__programme").get(pk=int(object_id))
    actions = list(actions_of_meeting(meeting=meeting))
    return _each_language(
        lambda: {
            "head": render_to_string(
                "actions/partials/meeting_annex.html", {"meeting": meeting, "actions": actions}
            )
        }
    )
