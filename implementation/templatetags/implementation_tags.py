"""The follow-up's figures on pages: a value as people write it, and a bar chart of an
indicator drawn on the server as SVG (no script, no style attribute: the portal's CSP), which
the accessible table beside it repeats."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import gettext as _

from teams.models import Programme

from ..models import ActionStatus
from ..selectors import NOT_ENTERED, IndicatorRow, figure_text, previous_reports

register = template.Library()

WIDTH = 480
HEIGHT = 160
BASELINE = 130


register.filter("figure", figure_text)


@register.filter
def lookup(mapping: dict[str, str], key: object) -> str:
    return mapping.get(str(key), "")


@register.filter
def proposed_figure(value: dict[str, Any], money: set[str]) -> str:
    """A proposal's value ({"indicator": pk, "achieved": "11500.5"}) as the indicator tables
    show values (``figure``): "11 500,50" for an amount of money (an indicator in ``money``)."""
    try:
        number = Decimal(str(value.get("achieved")))
    except (InvalidOperation, ValueError):
        return str(value.get("achieved", ""))
    return figure_text(number, str(value.get("indicator")) in money)


@register.inclusion_tag("implementation/partials/chart.html")
def indicator_chart(row: IndicatorRow) -> dict[str, Any]:
    values = [
        value for cell in row.cells for value in (cell.planned, cell.achieved) if value is not None
    ]
    top = max(values, default=Decimal(0)) or Decimal(1)
    slot = WIDTH // max(len(row.cells), 1)
    bars = []
    for index, cell in enumerate(row.cells):
        x = index * slot + 8
        group: dict[str, Any] = {"year": cell.year, "label_x": x + slot // 2 - 8, "bars": []}
        for offset, (key, value) in enumerate(
            (("planned", cell.planned), ("achieved", cell.achieved))
        ):
            height = 0 if value is None else int(Decimal(110) * value / top)
            group["bars"].append(
                {
                    "kind": key,
                    "x": x + offset * (slot // 2 - 8),
                    "y": BASELINE - height,
                    "width": max(slot // 2 - 12, 4),
                    "height": height,
                }
            )
        bars.append(group)
    return {
        "row": row,
        "groups": bars,
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": BASELINE,
        "label": _("%(name)s: planned and achieved values by year; the table below gives them.")
        % {"name": row.indicator.name},
    }


@register.inclusion_tag("implementation/partials/previous_reports.html")
def implementation_reports_before(programme: Programme) -> dict[str, Any]:
    """For the consultation of a new programme: the implementation reports of the one
    before it (composed in the round's template, so consultations imports nothing)."""
    return {"reports": previous_reports(programme)}


def status_label(status: str) -> str:
    return _("not entered") if status == NOT_ENTERED else str(ActionStatus(status).label)


@register.inclusion_tag("implementation/partials/status_chart.html")
def status_chart(counts: list[tuple[int, list[tuple[str, int]]]]) -> dict[str, Any]:
    """Each year a stacked bar of the actions by status; the table beside it gives the
    counts."""
    total = max((sum(n for _s, n in row) for _year, row in counts), default=0) or 1
    slot = WIDTH // max(len(counts), 1)
    groups = []
    for index, (year, row) in enumerate(counts):
        y = BASELINE
        segments = []
        for status, count in row:
            height = int(110 * count / total)
            y -= height
            segments.append({"status": status, "y": y, "height": height})
        groups.append(
            {"year": year, "x": index * slot + 8, "width": max(slot - 24, 4), "segments": segments}
        )
    statuses = [status for status, _n in counts[0][1]] if counts else []
    return {
        "groups": groups,
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": BASELINE,
        "legend": [(status, status_label(status)) for status in statuses],
        "table": [
            (year, [(status_label(status), count) for status, count in row]) for year, row in counts
        ],
        "label": _("Actions by status in each year; the table beside it gives the numbers."),
    }
