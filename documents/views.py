"""The documents' views: each checks access with its object's helper, then serves the frozen
publication of a published object (documents/publications.py) or, before publication, the
live document through the PDF cache (the working copy, a report being settled, a meeting's
work in progress). The report's page and its CSV/XLSX likewise: frozen once published
(documents/pages.py), the live preview before. Also the erratum form of a publication's
record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from consultations import views as consultation_views
from consultations.access import get_round_for_user
from consultations.models import Channel, Round, received_late
from consultations.permissions import can_view_report
from consultations.phases import Feature, phase_opens
from core import spreadsheets
from core.errors import ConflictError, Refused
from core.http import HtmxRequest
from core.languages import of_record
from drafts.access import get_draft_to_edit
from pdf.views import serve_document
from teams.access import get_meeting_for_user
from teams.meeting_permissions import can_view_results
from teams.models import Meeting
from teams.permissions import is_coordinator

from . import comment_table, consultation_report
from .forms import ErratumForm, SynthesisForm
from .meeting_annex import meeting_actions_document
from .models import Publication
from .pages import in_language
from .programme import (
    programme_working_copy_document,
    round_report_document,
)
from .publications import (
    has_page,
    page_url,
    publication_erratum,
    publication_file,
    publication_freeze,
    publication_stamp,
    serve_published,
)


def _lines(request: HttpRequest) -> bool:
    return request.GET.get("lines") == "1"


@require_safe
def version_pdf(request: HtmxRequest, pk: int) -> HttpResponseBase:
    """A published version as it was published (with the PROJEKT mark). Versions are public
    (``drafts.access.get_version``): its publication exists only for an existing version."""
    object_id = f"{pk}:lines" if _lines(request) else str(pk)
    response = serve_published(request, kind="version", object_id=object_id)
    if response is None:
        raise Http404("No such version.")
    return response


@require_safe
def version_adopted_pdf(request: HtmxRequest, pk: int) -> HttpResponseBase:
    """The adopted programme: the annex to the council's resolution."""
    response = serve_published(request, kind="adopted", object_id=pk)
    if response is None:
        raise Http404("This version is not adopted.")
    return response


@require_safe
def working_copy_pdf(request: HtmxRequest, pk: int) -> HttpResponseBase:
    draft = get_draft_to_edit(request.user, pk)
    object_id = f"{draft.pk}:lines" if _lines(request) else str(draft.pk)
    return serve_document(
        request,
        builder=programme_working_copy_document,
        object_id=object_id,
        public=False,
    )


def _report_publication(round_: Round) -> Publication | None:
    """The frozen report of a round whose report is published, else None (the live preview)."""
    if not phase_opens(round_, Feature.REPORT):
        return None
    return publication_freeze(kind="report", object_id=round_.pk)


@require_safe
def round_report_pdf(request: HtmxRequest, pk: int) -> HttpResponseBase:
    round_ = get_round_for_user(request.user, pk)
    if not can_view_report(request.user, round_):
        raise Http404("No such report.")
    if phase_opens(round_, Feature.REPORT):
        published = serve_published(request, kind="report", object_id=round_.pk)
        if published is not None:
            return published
    return serve_document(request, builder=round_report_document, object_id=round_.pk, public=False)


@require_safe
def round_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report page: once published, its document part as it was published
    (documents/pages.py) with the live publication record; before that the live preview."""
    round_ = consultation_views.report_round(request, pk)
    publication = _report_publication(round_)
    if publication is None or not has_page(publication):
        return consultation_views.round_report_page(
            request,
            round_,
            sections=lambda: {
                part: consultation_report.page_sections(round_, part) for part in ("head", "tail")
            },
        )
    return consultation_views.round_report_page(
        request,
        round_,
        frozen=lambda: in_language(publication),
        stamp=publication_stamp(publication),
    )


def _report_rows(round_: Round) -> list[list[Any]]:
    """A published report's rows as they were published, so that its CSV and XLSX say what
    its page and PDF say; a preview's as they are now."""
    publication = _report_publication(round_)
    if publication is None or not has_page(publication):
        return consultation_views.report_rows(round_)
    rows: list[list[str]] = in_language(publication)["rows"]
    if rows and len(rows[0]) == len(consultation_views.REPORT_COLUMNS) - 1:
        # Published before "Received late" was appended: worked out from what was frozen, as
        # its page and PDF marked it. "Received at" is exact to the minute for a registered
        # comment (the register takes minutes) and a portal comment is never late.
        return [[*row, _late_cell(row, round_)] for row in rows]
    return rows


def _late_cell(row: list[str], round_: Round) -> str:
    """The "Received late" cell of a row frozen without it (``_report_rows``)."""
    if row[consultation_views.CHANNEL_COLUMN] == str(Channel.ONLINE.label):
        return consultation_views.late_cell(False)  # as Comment.is_late: only a registered one
    received = dt.datetime.strptime(  # Warsaw time, as the rows write it
        row[consultation_views.RECEIVED_AT_COLUMN], "%Y-%m-%d %H:%M"
    ).replace(tzinfo=timezone.get_current_timezone())
    return consultation_views.late_cell(received_late(received, round_))


# The report's CSV and XLSX are files of the report, which is Polish by law as its PDF is
# (the page may be read in English; the documents are not translations).


@require_safe
def round_report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = consultation_views.report_round(request, pk)
    with of_record():
        return consultation_views.report_csv(request, round_, _report_rows(round_))


@require_safe
def round_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = consultation_views.report_round(request, pk)
    with of_record():
        return consultation_views.report_xlsx(round_, _report_rows(round_))


@require_safe
def meeting_actions(request: HtmxRequest, pk: int) -> HttpResponseBase:
    """The postulated actions of a meeting as a PDF annex: frozen once the meeting's results
    are published; before that only to those who see the work in progress, like the HTML
    annex page."""
    meeting = get_meeting_for_user(request.user, pk)
    if not can_view_results(request.user, meeting):
        raise Http404("No published actions.")
    if meeting.status == Meeting.Status.PUBLISHED:
        published = serve_published(request, kind="meeting-actions", object_id=meeting.pk)
        if published is not None:
            return published
    return serve_document(
        request, builder=meeting_actions_document, object_id=meeting.pk, public=False
    )


@require_POST
def erratum_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinating team appends a dated erratum to a publication's change register."""
    publication = Publication.objects.filter(pk=pk).first()
    if publication is None or not is_coordinator(request.user):
        raise Http404("No such publication.")
    form = ErratumForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The erratum was not saved: its text is missing or too long."))
    else:
        try:
            publication_erratum(
                actor=request.user,  # type: ignore[arg-type]
                publication=publication,
                text=form.cleaned_data["text"],
            )
        except Refused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The erratum is added to the change register."))
    return redirect(f"{page_url(publication)}#{publication.anchor}")


# --- The comment table (documents/comment_table.py) ----------------------------------------


def _table_round(request: HttpRequest, pk: int) -> Round:
    """The round whose comment table the person may read: where its report page is
    (published for everyone, the coordinating team before)."""
    round_ = get_round_for_user(request.user, pk)
    if not can_view_report(request.user, round_):
        raise Http404("No such report.")
    return round_


def _table_rows(round_: Round) -> list[list[str]]:
    """A published report's comment table as it was published (frozen with its PDF); before
    that, as the data says now."""
    if phase_opens(round_, Feature.REPORT):
        publication = publication_freeze(kind="comment-table", object_id=round_.pk)
        if publication is not None and has_page(publication):
            rows: list[list[str]] = in_language(publication)["rows"]
            return rows
    return [row.cells() for row in comment_table.comment_table_rows(round_)]


@require_safe
def comment_table_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _table_round(request, pk)
    return render(
        request,
        "documents/comment_table.html",
        {
            "round": round_,
            "columns": comment_table.COLUMNS,
            "table_rows": _table_rows(round_),
            "comment_table_formats": comment_table.FORMATS,
        },
    )


def _frozen_or_live(
    round_: Round, name: str, live: Callable[[], comment_table.Download]
) -> HttpResponseBase:
    """A published report's file as it was frozen at publication (its stored bytes); before
    publication the file made from the data as it is now."""
    publication = _report_publication(round_)
    stored = publication_file(publication, name) if publication is not None else None
    if stored is None:
        return live().response()
    with stored.file.open("rb") as frozen:
        content = frozen.read()
    return comment_table.Download(content, stored.content_type, stored.filename).response()


@require_safe
def comment_table_file(request: HttpRequest, pk: int, ext: str) -> HttpResponseBase:
    round_ = _table_round(request, pk)
    dialect = spreadsheets.csv_dialect(request) if ext == "csv" else ""
    if dialect is None:
        return spreadsheets.bad_dialect()
    return _frozen_or_live(
        round_,
        comment_table.frozen_name(ext, dialect),
        lambda: comment_table.table_file(round_, ext, dialect),
    )


@require_safe
def comment_table_pdf(request: HtmxRequest, pk: int) -> HttpResponseBase:
    """Frozen with the report once it is published (a publication of its own); the live
    table, marked DRAFT, before."""
    round_ = _table_round(request, pk)
    if phase_opens(round_, Feature.REPORT):
        published = serve_published(request, kind="comment-table", object_id=round_.pk)
        if published is not None:
            return published
    return serve_document(
        request,
        builder=comment_table.comment_table_document,
        object_id=round_.pk,
        public=phase_opens(round_, Feature.REPORT),
    )


# --- The consultation report's text documents and synthesis (consultation_report.py) ------


@require_safe
def consultation_report_file(request: HttpRequest, pk: int, ext: str) -> HttpResponseBase:
    round_ = _table_round(request, pk)
    return _frozen_or_live(
        round_, f"report.{ext}", lambda: consultation_report.report_file(round_, ext)
    )


@require_POST
def synthesis_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinating team writes the report's synthesis on the settle page. A save over
    someone else's is refused (409) with both texts, the form armed with the current
    version."""
    round_ = get_round_for_user(request.user, pk)
    if not consultation_report.can_edit_synthesis(request.user, round_):
        raise PermissionDenied(consultation_report.synthesis_refusal())
    form = SynthesisForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The synthesis was not saved: it is too long."))
    elif form.cleaned_data["synthesis_version"] is None:
        messages.error(request, _("The synthesis was not saved: reload the page and try again."))
    else:
        try:
            consultation_report.synthesis_save(
                actor=request.user,
                round_=round_,
                text=form.cleaned_data["synthesis"],
                version=form.cleaned_data["synthesis_version"],
            )
        except ConflictError as conflict:
            current = conflict.current
            data = request.POST.copy()
            data["synthesis_version"] = str(current.synthesis_version)
            context = {"round": current, "form": SynthesisForm(data), "conflict": conflict}
            return render(request, "documents/synthesis_conflict.html", context, status=409)
        except Refused as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        messages.success(request, _("The synthesis is saved."))
    return redirect("consultations:round-settle", pk=round_.pk)
