"""The follow-up's figures on pages: a value as people write it, and a bar chart of an
indicator drawn on the server as SVG (no script, no style attribute: the portal's CSP), which
the accessible table beside it repeats."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..selectors import IndicatorRow

register = template.Library()

WIDTH = 480
HEIGHT = 160
BASELINE = 130


@register.filter
def figure(value: Decimal | None) -> str:
    """A value in the visitor's number format, without trailing zeros; "–" for none."""
    if value is None:
        return "–"
    places = 0 if value == value.to_integral_value() else 2
    return number_format(value, places, use_l10n=True, force_grouping=True)


@register.filter
def lookup(mapping: dict[str, str], key: object) -> str:
    return mapping.get(str(key), "")


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
