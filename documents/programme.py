"""The programme's PDFs: a published version or the working copy of the programme draft with
its annexes (each published meeting's postulated actions and SWOT, each published consultation
report), and a consultation report alone. Builders, then the views that check access and
serve them (their URLs keep the ``drafts`` namespace, see documents/urls.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from actions.selectors import actions_of_meeting
from consultations import selectors
from consultations.models import Round
from consultations.phases import Feature, phase_opens
from core.dates import prose_date
from core.languages import of_record, record_language
from drafts import services as draft_services
from drafts.models import DraftVersion, ProgrammeDraft
from pdf import cache as pdf_cache
from pdf import render as pdf_render
from swot.models import Quadrant, SwotEntry
from teams.models import Meeting

from . import comment_table, consultation_report, stamps

#: The annexes' dates, kept as ISO text (``programme_annexes``: JSON, stored with a version).
_DATES = ("date", "opens_at", "closes_at")


def programme_annexes(draft: ProgrammeDraft) -> dict[str, Any]:
    """Each published meeting's postulated actions and SWOT, and the report of each round of
    the programme whose report is published, as they are now: JSON data (dates as ISO text),
    which a version keeps when it is published (drafts.models.DraftVersion.annexes). Its
    words (quadrants, dispositions, "Action n") in the language of record, whoever publishes:
    kept for good, they are part of a Polish document, not of the publisher's page."""
    with of_record():
        return _annexes_now(draft)


def _annexes_now(draft: ProgrammeDraft) -> dict[str, Any]:
    meetings = list(
        Meeting.objects.filter(team__programme=draft.programme, status=Meeting.Status.PUBLISHED)
        .select_related("team")
        .order_by("date", "pk")
    )
    action_annexes = []
    swot_annexes = []
    quadrants = dict(Quadrant.choices)
    for meeting in meetings:
        action_annexes.append(
            {
                "team": meeting.team.name,
                "date": meeting.date.isoformat(),
                "title": meeting.annex_title,
                "actions": [
                    {"number": n, "text": t, "merged_into": m}
                    for n, t, m in actions_of_meeting(meeting=meeting).values_list(
                        "number", "text", "merged_into__number"
                    )
                ],
            }
        )
        entries = (
            SwotEntry.objects.current()
            .filter(topic__meeting=meeting)
            .in_board_order()
            .values_list("topic__title", "quadrant", "text")
        )
        topics: dict[str, dict[str, list[str]]] = {}
        for topic, quadrant, text in entries:
            topics.setdefault(topic, {}).setdefault(str(quadrants[quadrant]), []).append(text)
        if topics:
            swot_annexes.append(
                {
                    "team": meeting.team.name,
                    "date": meeting.date.isoformat(),
                    "topics": [
                        {"title": title, "quadrants": list(by_quadrant.items())}
                        for title, by_quadrant in topics.items()
                    ],
                }
            )
    reports = [
        _report_data(round_)
        for round_ in Round.objects.filter(programme=draft.programme)
        .select_related("programme", "meeting__team")
        .order_by("opens_at", "pk")
        if phase_opens(round_, Feature.REPORT)
    ]
    for number, annex in enumerate([*action_annexes, *swot_annexes, *reports], start=1):
        annex["number"] = number
    return {"action_annexes": action_annexes, "swot_annexes": swot_annexes, "reports": reports}


def _dated(annexes: dict[str, Any]) -> dict[str, Any]:
    """``programme_annexes``' data with its dates as dates again, for the template."""
    return {
        name: [
            {
                key: dt.date.fromisoformat(value) if key in _DATES else value
                for key, value in annex.items()
            }
            for annex in listed
        ]
        for name, listed in annexes.items()
    }


def _report_data(round_: Round) -> dict[str, Any]:
    comments = selectors.report_comments(round_).select_related(
        "swot_entry", "goal", "action", "organisation", "author"
    )
    return {
        "title": round_.title,
        "opens_at": timezone.localtime(round_.opens_at).date().isoformat(),
        "closes_at": timezone.localtime(round_.closes_at).date().isoformat(),
        "office": round_.responsible_office,
        "comments": [
            {
                "number": number,
                "item": comment.item_label,
                "author": comment.author_label,
                "text": comment.report_text,
                "hidden": comment.is_hidden,
                "proposed": comment.report_proposed_wording,
                "disposition": str(comment.get_disposition_display()),
                "justification": comment.justification,
                "supports": len(comment.supports.all()),
            }
            for number, comment in enumerate(comments, start=1)
        ],
    }


def _programme_document(
    *,
    annexes: dict[str, Any],
    snapshot: dict[str, Any],
    version_label: str,
    adopted: bool,
    filename: str,
    lines: bool,
    adoption: dict[str, Any] | None = None,
) -> pdf_render.PdfDocument:
    language = record_language()
    annexes = _dated(annexes)
    if adoption and adoption["opinion"]:
        counted = ("action_annexes", "swot_annexes", "reports")
        adoption["opinion_number"] = sum(len(annexes[name]) for name in counted) + 1
    with translation.override(language):
        title = f"{snapshot['title']} – {version_label}"
        return pdf_render.PdfDocument(
            template_name="pdf/programme.html",
            context={
                "snapshot": snapshot,
                "version_label": version_label,
                "lines": lines,
                "line_numbers": list(range(1, 46)) if lines else [],
                "adoption": adoption,
                **annexes,
            },
            title=title,
            filename=filename + ("-lines" if lines else "") + ".pdf",
            language=language,
            draft=not adopted,
        )


def _split(object_id: str) -> tuple[int, bool]:
    pk, _sep, option = str(object_id).partition(":")
    return int(pk), option == "lines"


@pdf_cache.pdf_document(stamp=stamps.programme_version_stamp, large=True)
def programme_version_document(object_id: str) -> pdf_render.PdfDocument:
    """A published version of the programme draft, with its annexes; once adopted, the annex
    to the council's resolution (its number and date, the KRDPP opinion as the last annex, no
    PROJEKT mark). ``object_id`` is the version's pk, ``:lines`` appended for line numbers."""
    pk, lines = _split(object_id)
    version = DraftVersion.objects.select_related("draft__programme").get(pk=pk)
    with of_record():
        label = _("version %(number)s of %(date)s") % {
            "number": version.number,
            "date": prose_date(version.published_at),
        }
    return _programme_document(
        # As published with the version; live for a version published before they were kept.
        annexes=version.annexes
        if version.annexes is not None
        else programme_annexes(version.draft),
        snapshot=version.snapshot,
        version_label=label,
        adopted=version.adopted,
        filename=f"programme-v{version.number}" + ("-adopted" if version.adopted else ""),
        lines=lines,
        adoption={
            "number": version.resolution_number,
            "date": version.resolution_date,
            "opinion": version.krdpp_opinion,
        }
        if version.adopted and version.resolution_date
        else None,
    )


@pdf_cache.pdf_document(stamp=stamps.programme_working_copy_stamp, large=True)
def programme_working_copy_document(object_id: str) -> pdf_render.PdfDocument:
    """The working copy as it is now (coordinating team only)."""
    pk, lines = _split(object_id)
    draft = ProgrammeDraft.objects.select_related("programme").get(pk=pk)
    with of_record():
        label = _("working copy")
    return _programme_document(
        annexes=programme_annexes(draft),
        snapshot=draft_services.draft_snapshot(draft),
        version_label=label,
        adopted=False,
        filename="programme-working-copy",
        lines=lines,
    )


@pdf_cache.pdf_document(stamp=stamps.round_report_stamp)
def round_report_document(object_id: str) -> pdf_render.PdfDocument:
    """The full consultation report as a tagged PDF: the sections of its one builder
    (documents.consultation_report.report_sections), as the ODT and DOCX have them, in the
    portal's language; a DRAFT mark until the report is published."""
    round_ = Round.objects.select_related("programme", "meeting__team", "draft_version").get(
        pk=int(object_id)
    )
    language = record_language()
    with translation.override(language):
        sections = consultation_report.report_sections(round_)
    return pdf_render.PdfDocument(
        template_name="pdf/consultation_report.html",
        # Plain data (links as dicts), so that the document can be hashed.
        context={"sections": [dataclasses.asdict(section) for section in sections]},
        title=sections[0].heading,
        filename=round_.report_filename("pdf"),
        language=language,
        draft=comment_table.is_draft(round_),
    )
