"""Spreadsheets of the published postulated actions (CSV and XLSX), for officials who work in
Excel. The same rows as /api/v1/actions/ (``selectors.public_actions``), with the same
optional ``team`` and ``meeting`` filters. Consultation reports have their own exports
(consultations/views.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core import spreadsheets
from core.ids import parse_id

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


def _rows(request: HttpRequest) -> list[list[str]] | None:
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
            str(action.pk),
            action.team.name,
            action.meeting.title,
            action.meeting.date.isoformat(),
            str(action.number),
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
