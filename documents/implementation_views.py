"""The implementation report's page, PDF and files (documents/implementation_report.py): once
published, everything is made from the frozen publication (its PDF from the stored bytes, the
page and files from the frozen data); before that, a preview from the live data for those who
enter the figures (officials and the coordinating team), a 404 for everyone else."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.http import HtmxRequest
from core.languages import of_record, record_language
from implementation import access, permissions, selectors
from implementation.models import ReportPublication
from pdf.views import serve_document
from teams.models import Programme

from . import implementation_report as report
from .models import Publication
from .pages import in_language
from .publications import publication_freeze, serve_publication


def _report(request: HttpRequest, pk: int, year: int) -> tuple[Programme, Publication | None]:
    """The programme and the year's frozen publication (None: a preview, which only those who
    enter the figures see)."""
    programme = access.get_programme(pk)
    access.get_year(programme, year)
    if ReportPublication.objects.filter(programme=programme, year=year).exists():
        publication = publication_freeze(
            kind=report.KIND, object_id=report.object_id(programme.pk, year)
        )
        if publication is not None:
            return programme, publication
    if not permissions.can_enter(request.user) or selectors.adopted_version(programme) is None:
        raise Http404("No such report.")
    return programme, None


def _data(programme: Programme, year: int, publication: Publication | None) -> dict[str, Any]:
    if publication is None:
        return report.report_data(programme.pk, year)
    return in_language(Publication.objects.only("page").get(pk=publication.pk))


def _filename(programme: Programme, year: int) -> str:
    return f"implementation-report-{programme.pk}-{year}"


@require_safe
def report_page(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    programme, publication = _report(request, pk, year)
    return render(
        request,
        "implementation/report.html",
        {
            "programme": programme,
            "year": year,
            "report": _data(programme, year, publication),
            "published": publication is not None,
            "object_id": report.object_id(programme.pk, year),
            "can_publish": permissions.can_decide(request.user),
        },
    )


@require_safe
def report_pdf(request: HtmxRequest, pk: int, year: int) -> HttpResponseBase:
    programme, publication = _report(request, pk, year)
    if publication is not None:
        return serve_publication(request, publication)
    return serve_document(
        request,
        builder=report.implementation_report_document,
        object_id=report.object_id(programme.pk, year),
        public=False,
    )


@require_safe
def report_file(request: HttpRequest, pk: int, year: int, ext: str) -> HttpResponse:
    """The report as ODT or DOCX, its indicators as XLSX or ODS, in the portal's language:
    a published report's from its frozen data."""
    programme, publication = _report(request, pk, year)
    if publication is None:
        # The files are in the portal's language (their headers are): so is the preview's
        # data, as a publication's is, whatever language the page is read in.
        with of_record():
            data = report.report_data(programme.pk, year)
    else:
        page = Publication.objects.only("page").get(pk=publication.pk).page or {}
        data = page[record_language()]
    response = report.download(data, ext, _filename(programme, year))
    if publication is None:
        response["Cache-Control"] = "no-store"
    return response
