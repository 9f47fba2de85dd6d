"""Reads: which actions the adopted programme follows, and their figures by year."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format

from actions.models import Action
from drafts.models import DraftVersion
from teams import cycle
from teams.models import Programme

from . import rules
from .models import (
    ActionPlan,
    ActionStatus,
    ActionYear,
    FigureKind,
    Indicator,
    ProgrammeFigure,
    ReportPublication,
)


def adopted_version(programme: Programme) -> DraftVersion | None:
    return DraftVersion.objects.filter(draft__programme=programme, adopted=True).first()


def followed_action_ids(programme: Programme) -> list[int]:
    """The actions of the adopted programme: those its adopted version links (chapter 5,
    priority tasks), in the programme's order; none before adoption."""
    version = adopted_version(programme)
    if version is None:
        return []
    ids: list[int] = []
    for section in version.snapshot.get("sections", []):
        for linked in section.get("actions", []):
            kind, _sep, pk = str(linked.get("key", "")).partition(":")
            if kind == "action" and pk.isdigit() and int(pk) not in ids:
                ids.append(int(pk))
    return ids


def followed_actions(programme: Programme) -> list[Action]:
    ids = followed_action_ids(programme)
    found = Action.objects.select_related("team", "meeting").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def years(programme: Programme) -> list[int]:
    return list(range(programme.period_start, programme.period_end + 1))


def published_years(programme: Programme) -> set[int]:
    """The years whose report is published, by the rule that freezes them."""
    return rules.published_years(programme)


@dataclass(frozen=True)
class Cell:
    year: int
    planned: Decimal | None
    achieved: Decimal | None
    source: str


@dataclass
class IndicatorRow:
    """An indicator with its planned and achieved values and sources, one cell per year."""

    indicator: Indicator
    cells: list[Cell] = field(default_factory=list)

    def cell(self, year: int) -> Cell:
        return next(cell for cell in self.cells if cell.year == year)


def indicator_rows(plan: ActionPlan | None, programme: Programme) -> list[IndicatorRow]:
    if plan is None:
        return []
    rows = []
    for indicator in plan.indicators.prefetch_related("values"):
        by_year = {value.year: value for value in indicator.values.all()}
        cells = []
        for year in years(programme):
            value = by_year.get(year)
            cells.append(
                Cell(
                    year=year,
                    planned=value.planned if value else None,
                    achieved=value.achieved if value else None,
                    source=value.source if value else "",
                )
            )
        rows.append(IndicatorRow(indicator, cells))
    return rows


def year_statuses(plan: ActionPlan | None, programme: Programme) -> list[dict[str, object]]:
    found = {row.year: row for row in plan.years.all()} if plan is not None else {}
    return [{"year": year, "entry": found.get(year)} for year in years(programme)]


def status_of(plan: ActionPlan | None, year: int) -> ActionYear | None:
    if plan is None:
        return None
    return plan.years.filter(year=year).first()


def decimal_text(value: Decimal | None, money: bool = False) -> str:
    """A value for a spreadsheet cell: no trailing zeros ("12", "1250.5"); an amount of
    money (``money``: models.is_money_unit) with its two decimals ("1250.50", "0.00")."""
    if value is None:
        return ""
    if money:
        return f"{value:.2f}"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def figure_text(value: Decimal | None, money: bool = False) -> str:
    """A value as people read it, in the active language's number format, without empty
    decimals, but an amount of money (``money``) always with two ("0,00", "1 234,50"); "–"
    for none. Pages (the ``figure`` filter) and the report's documents alike."""
    if value is None:
        return "–"
    places = 2 if money or value != value.to_integral_value() else 0
    return number_format(value, places, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class FigureRow:
    """One evaluation figure across the programme's years: (value, source) or None each."""

    label: str
    kind: str
    cells: list[tuple[int, Decimal | None, str]]


def figure_rows(programme: Programme, *, published_only: bool = False) -> list[FigureRow]:
    """The evaluation figures entered, in the order of ``FigureKind``, then the programme's
    own by name. ``published_only``: only the years whose implementation report is published
    (``rules.in_published_year``, as the open-data API): before that a year's figures are its
    report's draft, for those who enter them."""
    order = {kind: position for position, kind in enumerate(FigureKind)}
    found: dict[tuple[str, str], dict[int, ProgrammeFigure]] = {}
    figures = ProgrammeFigure.objects.filter(programme=programme)
    if published_only:
        figures = figures.filter(rules.in_published_year())
    for figure in figures:
        found.setdefault((figure.kind, figure.name), {})[figure.year] = figure
    rows = []
    for (kind, name), by_year in sorted(
        found.items(), key=lambda item: (order[FigureKind(item[0][0])], item[0][1])
    ):
        label = name or str(FigureKind(kind).label)
        cells = []
        for year in years(programme):
            found_figure = by_year.get(year)
            cells.append(
                (
                    year,
                    found_figure.value if found_figure else None,
                    found_figure.source if found_figure else "",
                )
            )
        rows.append(FigureRow(label, kind, cells))
    return rows


def has_figures(programme: Programme, year: int) -> bool:
    """Whether any of the programme's evaluation figures (art. 5a ust. 4 pkt 9) is entered for
    ``year``: its report is published without them only with a reason."""
    return ProgrammeFigure.objects.filter(programme=programme, year=year).exists()


def report_published_for(programme: Programme, key: str) -> bool:
    """For the cycle's reminders (teams.cycle.is_fulfilled): whether the implementation report
    that the cycle date ``key`` ("implementation-report-<year>") asks for is published."""
    prefix = f"{cycle.IMPLEMENTATION_REPORT}-"
    if not key.startswith(prefix) or not key[len(prefix) :].isdigit():
        return False
    return int(key[len(prefix) :]) in published_years(programme)


def previous_reports(programme: Programme) -> list[ReportPublication]:
    """The published implementation reports of the previous programme of the same kind,
    which the consultation of the next one can point to."""
    previous = (
        Programme.objects.filter(kind=programme.kind, period_end__lt=programme.period_start)
        .order_by("-period_end")
        .first()
    )
    if previous is None:
        return []
    return list(ReportPublication.objects.filter(programme=previous).select_related("programme"))


NOT_ENTERED = "not_entered"


def status_counts(
    statuses: list[list[dict[str, object]]], programme: Programme
) -> list[tuple[int, list[tuple[str, int]]]]:
    """How many actions had each status in each year (``NOT_ENTERED`` for none), from each
    action's ``year_statuses``: [(year, [(status, count), …]), …] in ``ActionStatus`` order."""
    keys = [*ActionStatus.values, NOT_ENTERED]
    table = []
    for index, year in enumerate(years(programme)):
        counts = dict.fromkeys(keys, 0)
        for action_years in statuses:
            entry = action_years[index]["entry"]
            counts[entry.status if isinstance(entry, ActionYear) else NOT_ENTERED] += 1
        table.append((year, list(counts.items())))
    return table
