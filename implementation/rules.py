"""The rules of the figures, written once: the forms show their messages beside the field, and
the services check them again inside their transactions (whatever a page let through)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from core.errors import Refused
from teams.models import Programme

from .models import COUNT_KINDS, FigureKind, Indicator, ReportPublication


def check_year(programme: Programme, year: int) -> None:
    if not programme.period_start <= year <= programme.period_end:
        raise Refused(
            _("%(year)s is outside the programme's period (%(period)s).")
            % {"year": year, "period": programme.period}
        )


def check_value(value: Decimal | None, *, whole: bool = False) -> None:
    if value is None:
        return
    if value < 0:
        raise Refused(_("A value cannot be negative."))
    if whole and value != value.to_integral_value():
        raise Refused(_("A count is a whole number."))


def check_achieved(value: Decimal | None, source: str) -> None:
    check_value(value)
    if value is not None and not source.strip():
        raise Refused(_("An achieved value needs its source (a document, register or report)."))


def check_unit(unit: str) -> None:
    if not unit.strip():
        raise Refused(_("An indicator needs its unit."))


def published_years(programme: Programme) -> set[int]:
    """The years of ``programme`` whose implementation report is published: frozen
    (``check_open``). Pages ask it too, to offer no change to such a year."""
    return set(ReportPublication.objects.filter(programme=programme).values_list("year", flat=True))


def in_published_year() -> Exists:
    """``published_years`` for a query of rows that have a ``programme`` and a ``year``
    (the open-data API's figures, which are public only once their report is)."""
    return Exists(
        ReportPublication.objects.filter(programme=OuterRef("programme"), year=OuterRef("year"))
    )


def check_open(programme: Programme, year: int) -> None:
    """A year whose implementation report is published is frozen (``published_years``)."""
    check_year(programme, year)
    if year in published_years(programme):
        raise Refused(
            _(
                "The implementation report for %(year)s is published: its figures cannot "
                "change any more. A correction is a dated erratum to the report."
            )
            % {"year": year}
        )


class IndicatorFrozen(Refused):
    """A published year's values read by the indicator's name and unit: ``fields`` are those
    the change touched ("name", "unit"), for a form to show the message beside each."""

    def __init__(self, message: str, *, fields: list[str]) -> None:
        super().__init__(message)
        self.fields = fields


def check_indicator_identity(indicator: Indicator, *, name: str, unit: str) -> None:
    """An indicator with a value (planned or achieved) in a year whose report is published
    keeps its name and unit: renamed, the published values would read as another measure on
    the action's page, in the API and the CSV, while the frozen report says otherwise. Its
    other years' planned values may still change (``check_open``)."""
    fields = [
        field
        for field, typed, stored in (("name", name, indicator.name), ("unit", unit, indicator.unit))
        if typed.strip() != stored
    ]
    if not fields:
        return
    years = sorted(
        indicator.values.filter(year__in=published_years(indicator.plan.programme))
        .filter(Q(planned__isnull=False) | Q(achieved__isnull=False))
        .values_list("year", flat=True)
    )
    if years:
        raise IndicatorFrozen(
            _(
                "The implementation report for %(years)s is published with this indicator's "
                "values: its name and unit cannot change any more. To measure something else, "
                "add a new indicator."
            )
            % {"years": ", ".join(str(year) for year in years)},
            fields=fields,
        )


def check_decision(*, accept: bool, reason: str) -> None:
    if not accept and not reason.strip():
        raise Refused(_("A rejection needs its reason."))


def check_figure(*, kind: str, name: str, value: Decimal | None, source: str) -> None:
    """An evaluation figure: counts are whole numbers, none negative, each with its source;
    a figure of the programme's own (``OTHER``) with its name."""
    check_value(value, whole=kind in COUNT_KINDS)
    check_achieved(value, source)
    if value is not None and kind == FigureKind.OTHER and not name.strip():
        raise Refused(_("A figure of the programme's own needs its name."))
