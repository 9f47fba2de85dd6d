"""The report's records page (the coordinating team, until the report is published): where
the round's announcement was published. Each write goes through one service of
consultations.report_services, which checks the permission again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import Refused
from teams.http import AuthenticatedRequest

from . import permissions as perms
from . import report_services
from .access import get_round_for_user
from .models import AnnouncementPlace, Round
from .report_forms import AnnouncementPlaceForm


def _records_url(round_: Round, anchor: str = "announcement-heading") -> str:
    return reverse("consultations:report-records", args=[round_.pk]) + f"#{anchor}"


def _managed_round(user: Any, pk: int) -> Round:
    round_ = get_round_for_user(user, pk)
    if not perms.can_manage_report_records(user, round_):
        raise PermissionDenied
    return round_


@login_required
def report_records(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """What the report lists besides the comments, recorded by the coordinating team."""
    round_ = _managed_round(request.user, pk)
    return render(
        request,
        "consultations/report_records.html",
        {"round": round_, "places": list(round_.announcement_places.all())},
    )


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
