"""The report's records page (the coordinating team, until the report is published): where
the round's announcement was published, and the report's annexes; and the annexes' files,
served to the coordinating team, and to everyone once the report is published. Each write
goes through one service of consultations.report_services, which checks the permission
again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import Refused
from teams.http import AuthenticatedRequest

from . import permissions as perms
from . import report_services
from .access import get_round_for_user
from .models import AnnouncementPlace, Round, RoundAnnex
from .report_forms import AnnexForm, AnnouncementPlaceForm


def _records_url(round_: Round, anchor: str = "announcement-heading") -> str:
    return reverse("consultations:report-records", args=[round_.pk]) + f"#{anchor}"


def _managed_round(user: Any, pk: int) -> Round:
    round_ = get_round_for_user(user, pk)
    if not perms.can_manage_report_records(user, round_):
        raise PermissionDenied
    return round_


def _records_page(
    request: HttpRequest, round_: Round, annex_form: AnnexForm | None = None
) -> HttpResponse:
    annexes = list(round_.annexes.select_related("event"))
    return render(
        request,
        "consultations/report_records.html",
        {
            "round": round_,
            "places": list(round_.announcement_places.all()),
            "annexes": annexes,
            "annex_form": annex_form or AnnexForm(round_=round_),
        },
        status=400 if annex_form is not None else 200,
    )


@login_required
def report_records(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """What the report lists besides the comments, recorded by the coordinating team."""
    return _records_page(request, _managed_round(request.user, pk))


def _form_page(
    request: HttpRequest, round_: Round, form: forms.ModelForm, heading: str
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "consultations/report_record_form.html",
        {"round": round_, "form": form, "heading": heading, "back": _records_url(round_)},
        status=status,
    )


def _save_place(request: AuthenticatedRequest, form: AnnouncementPlaceForm) -> bool:
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        report_services.announcement_place_save(actor=request.user, place=form.instance)
    except Refused as error:
        form.add_error(None, str(error))
        return False
    messages.success(request, _("The place of the announcement has been saved."))
    return True


@login_required
def announcement_place_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    round_ = _managed_round(request.user, pk)
    form = AnnouncementPlaceForm(request.POST or None, instance=AnnouncementPlace(round=round_))
    if _save_place(request, form):
        return redirect(_records_url(round_))
    return _form_page(request, round_, form, _("Add a place where the announcement was published"))


def _place_for_user(user: Any, pk: int) -> AnnouncementPlace:
    place = AnnouncementPlace.objects.filter(pk=pk).first()
    if place is None:
        raise Http404("No such place.")
    place.round = _managed_round(user, place.round_id)
    return place


@login_required
def announcement_place_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    place = _place_for_user(request.user, pk)
    form = AnnouncementPlaceForm(request.POST or None, instance=place)
    if _save_place(request, form):
        return redirect(_records_url(place.round))
    heading = _("Edit the place where the announcement was published")
    return _form_page(request, place.round, form, heading)


@login_required
@require_POST
def announcement_place_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    place = _place_for_user(request.user, pk)
    try:
        report_services.announcement_place_delete(actor=request.user, place=place)
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The place of the announcement has been deleted."))
    return redirect(_records_url(place.round))


@login_required
@require_POST
def annex_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    round_ = _managed_round(request.user, pk)
    form = AnnexForm(request.POST, request.FILES, round_=round_)
    if form.is_valid():
        try:
            report_services.annex_upload(
                actor=request.user, round_=round_, **form.service_arguments()
            )
        except Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The annex has been saved."))
            return redirect(_records_url(round_, "annexes-heading"))
    return _records_page(request, round_, form)


def _annex(pk: int) -> RoundAnnex:
    annex = RoundAnnex.objects.select_related("round", "event").filter(pk=pk).first()
    if annex is None:
        raise Http404("No such annex.")
    return annex


@login_required
@require_POST
def annex_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    annex = _annex(pk)
    annex.round = _managed_round(request.user, annex.round_id)
    try:
        report_services.annex_delete(actor=request.user, annex=annex)
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The annex has been deleted."))
    return redirect(_records_url(annex.round, "annexes-heading"))


def annex_file(request: HttpRequest, pk: int) -> FileResponse:
    """An annex's PDF, as a download: to the coordinating team before the report is published
    (nobody may store it then), to everyone after; 404 for anyone else."""
    annex = _annex(pk)
    round_ = annex.round
    if not perms.can_view_annexes(request.user, round_):
        raise Http404("No such annex.")
    response = FileResponse(
        annex.file.open("rb"),
        as_attachment=True,
        content_type="application/pdf",
        filename=f"consultation-{round_.pk}-annex-{annex.pk}.pdf",
    )
    if not perms.annexes_public(round_):
        response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
