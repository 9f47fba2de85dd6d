"""Spreadsheets of the published postulated actions (CSV and XLSX), for officials who work in
Excel. The same rows as /api/v1/actions/ (``selectors.public_actions``), with the same
optional ``team`` and ``meeting`` filters. Consultation reports have their own exports
(consultations/views.py)."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core import spreadsheets
from core.ids import parse_id
from implementation.models import Indicator
from implementation.selectors import decimal_text

from . import selectors

COLUMNS = [
    gettext_lazy("Id"),
    gettext_lazy("Branch team"),
    gettext_lazy("Meeting"),
    gettext_lazy("Meeting date"),
    gettext_lazy("No."),
    gettext_lazy("Postulated action"),
    gettext_lazy("Goal"),
    gettext_lazy("Status"),
    gettext_lazy("Organisation"),
    gettext_lazy("Link"),
]
FILTERS = {"team": "team_id", "meeting": "meeting_id"}


def _rows(request: HttpRequest) -> list[list[object]] | None:
    """The rows, the id and the number as numbers and the meeting's date as a date, so that
    a spreadsheet sorts and filters them as such (core.spreadsheets; CSV writes them as
    before: digits, 2011-07-12)."""
    actions = selectors.public_actions().select_related("goal")
    for name, lookup in FILTERS.items():
        raw = request.GET.get(name, "")
        if raw:
            value = parse_id(raw)
            if value is None:
                return None
            actions = actions.filter(**{lookup: value})
    return [
        [
            action.pk,
            action.team.name,
            action.meeting.title,
            action.meeting.date,
            action.number,
            action.text,
            f"{action.goal.number}. {action.goal.title}" if action.goal else "",
            str(action.get_status_display()),
            action.organisation.name if action.organisation else "",
            request.build_absolute_uri(action.get_absolute_url()),
        ]
        for action in actions.order_by("team__position", "meeting__date", "meeting_id", "number")
    ]


def _bad_request() -> HttpResponse:
    return HttpResponseBadRequest(
        _("The team and meeting filters take an id: a whole number from 1."),
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def actions_csv(request: HttpRequest) -> HttpResponse:
    rows = _rows(request)
    if rows is None:
        return _bad_request()
    return spreadsheets.csv_response(
        request, columns=COLUMNS, rows=rows, filename="postulated-actions.csv"
    )


@require_safe
def actions_xlsx(request: HttpRequest) -> HttpResponse:
    rows = _rows(request)
    if rows is None:
        return _bad_request()
    return spreadsheets.xlsx_response(
        columns=COLUMNS,
        rows=rows,
        filename="postulated-actions.xlsx",
        sheet=_("Postulated actions"),
    )


# --- The follow-up of the adopted programme (implementation/) --------------------------------

IMPLEMENTATION_COLUMNS = [
    gettext_lazy("Programme"),
    gettext_lazy("Branch team"),
    gettext_lazy("No."),
    gettext_lazy("Postulated action"),
    gettext_lazy("Responsible city unit"),
    gettext_lazy("Year"),
    gettext_lazy("Status"),
    gettext_lazy("Comment"),
    gettext_lazy("Indicator"),
    gettext_lazy("Unit"),
    gettext_lazy("Planned"),
    gettext_lazy("Achieved"),
    gettext_lazy("Source"),
    gettext_lazy("Link"),
]


def _implementation_rows(request: HttpRequest) -> list[list[object]] | None:
    """One row per followed action, year and indicator (one row per year without indicators):
    the same data as /api/v1/implementation/, with its optional ``programme`` filter (None:
    a filter that is not an id). The numbers, years and values are numbers (CSV writes them
    as before: ``decimal_text``)."""
    plans = selectors.public_action_plans()
    raw = request.GET.get("programme", "")
    if raw:
        programme = parse_id(raw)
        if programme is None:
            return None
        plans = plans.filter(programme_id=programme)
    rows = []
    for plan in plans:
        statuses = {entry.year: entry for entry in plan.years.all()}
        indicators: list[Indicator | None] = [*plan.indicators.all()] or [None]
        link = request.build_absolute_uri(reverse("implementation:action", args=[plan.action_id]))
        for year in range(plan.programme.period_start, plan.programme.period_end + 1):
            entry = statuses.get(year)
            head: list[object] = [
                plan.programme.title,
                plan.action.team.name,
                plan.action.number,
                plan.action.text,
                plan.responsible_unit,
                year,
                str(entry.get_status_display()) if entry else "",
                entry.comment if entry else "",
            ]
            for indicator in indicators:
                value = None
                if indicator is not None:
                    value = next((v for v in indicator.values.all() if v.year == year), None)
                rows.append(
                    [
                        *head,
                        indicator.name if indicator else "",
                        indicator.unit if indicator else "",
                        _number(value.planned, indicator) if value else "",
                        _number(value.achieved, indicator) if value else "",
                        value.source if value else "",
                        link,
                    ]
                )
    return rows


def _number(value: Decimal | None, indicator: Indicator | None) -> object:
    """A value as a number without trailing zeros (its CSV text: ``decimal_text``), or an
    amount with its two decimals when the indicator's unit is money."""
    text = decimal_text(value)
    if not text:
        return ""
    if indicator is not None and indicator.is_money:
        return spreadsheets.amount(Decimal(text))
    return Decimal(text)


def _bad_programme() -> HttpResponse:
    return HttpResponseBadRequest(
        _("The programme filter takes an id: a whole number from 1."),
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def implementation_csv(request: HttpRequest) -> HttpResponse:
    rows = _implementation_rows(request)
    if rows is None:
        return _bad_programme()
    return spreadsheets.csv_response(
        request, columns=IMPLEMENTATION_COLUMNS, rows=rows, filename="implementation.csv"
    )


@require_safe
def implementation_xlsx(request: HttpRequest) -> HttpResponse:
    rows = _implementation_rows(request)
    if rows is None:
        return _bad_programme()
    return spreadsheets.xlsx_response(
        columns=IMPLEMENTATION_COLUMNS,
        rows=rows,
        filename="implementation.xlsx",
        sheet=_("Implementation"),
    )
