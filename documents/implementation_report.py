"""The implementation report (sprawozdanie z realizacji programu, art. 5a ust. 3) of one year
of an adopted programme: its content built once as plain data (``report_data``) from what the
follow-up holds (implementation/), which every format renders — the page, the tagged PDF
(``implementation_report_document``, through the PDF machinery), ODT and DOCX (the section
writers of documents.consultation_report), and the indicators as XLSX and ODS, numbers as
numbers (documents.office writes all four). Published, the data is frozen with the PDF's HTML
(``Publication.page``), and every format of the published report is made from the frozen
data, so they all say the same."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from core import spreadsheets
from core.dates import prose_date
from core.languages import of_record, record_language
from core.spreadsheets import XLSX_TYPE
from implementation import selectors
from implementation.models import (
    AMOUNT_KINDS,
    COUNT_KINDS,
    PLANNED_KINDS,
    ActionPlan,
    ActionStatus,
    FigureKind,
    ProgrammeFigure,
    ReportPublication,
    is_money_unit,
)
from pdf import cache as pdf_cache
from pdf import render as pdf_render
from teams.models import Programme

from . import office
from .comment_table import DOCX_TYPE, ODS_TYPE, ODT_TYPE
from .consultation_report import Section, docx_content, odt_content

KIND = "implementation-report"
LEGAL_BASIS = (
    "art. 5a ust. 3 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego"
    " i o wolontariacie"
)
# The report's editable documents and spreadsheets, in the order its page offers them.
FORMATS = ("odt", "docx", "xlsx", "ods")


def mayor() -> str:
    """Who submits the report (art. 5a ust. 3: the municipality's executive)."""
    return str(settings.CITY_MAYOR)


def council() -> str:
    """To whom the report is submitted, and who adopted the programme: the city council."""
    return str(settings.CITY_COUNCIL)


def council_genitive() -> str:
    """The council's name as a resolution's citation needs it ("uchwała nr … Rady Miasta
    Krakowa"): Polish declines it, and no rule derives one form from the other."""
    return str(settings.CITY_COUNCIL_GENITIVE)


def resolution_citation(number: str, date: dt.date | None) -> str:
    """The adopting resolution as Polish law cites it, in Polish in every language as the
    legal basis is ("uchwała nr XXI/123/11 Rady Miasta Krakowa z dnia 5 grudnia 2011 r.")."""
    citation = f"uchwała nr {number} {council_genitive()}"
    if date is None:
        return citation
    with of_record():
        return f"{citation} z dnia {prose_date(date)} r."


def deadline(year: int) -> dt.date:
    """The report on ``year`` is submitted and published by 31 May of the next year."""
    return dt.date(year + 1, 5, 31)


def object_id(programme_id: int, year: int) -> str:
    return f"{programme_id}:{year}"


def split(object_id: str) -> tuple[int, int]:
    programme_id, _sep, year = str(object_id).partition(":")
    return int(programme_id), int(year)


def report_data(programme_id: int, year: int) -> dict[str, Any]:
    """The report's content in the active language: plain data (strings and lists), which
    the page, the PDF and the files render and a publication freezes."""
    programme = Programme.objects.get(pk=programme_id)
    version = selectors.adopted_version(programme)
    actions = selectors.followed_actions(programme)
    plans = {
        plan.action_id: plan
        for plan in ActionPlan.objects.filter(action__in=actions).prefetch_related(
            "partners", "indicators__values", "years"
        )
    }
    statuses = dict(ActionStatus.choices)
    counts = {str(label): 0 for label in statuses.values()}
    not_entered = _("not entered")
    counts[not_entered] = 0
    rows = []
    for action in actions:
        plan = plans.get(action.pk)
        entry = next((y for y in plan.years.all() if y.year == year), None) if plan else None
        status = str(statuses[entry.status]) if entry else not_entered
        counts[status] += 1
        indicators = []
        for indicator in plan.indicators.all() if plan else []:
            value = next((v for v in indicator.values.all() if v.year == year), None)
            planned, achieved = (value.planned, value.achieved) if value else (None, None)
            money = indicator.is_money
            indicators.append(
                {
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "planned": selectors.figure_text(planned, money),
                    "achieved": selectors.figure_text(achieved, money),
                    "planned_cell": selectors.decimal_text(planned, money),
                    "achieved_cell": selectors.decimal_text(achieved, money),
                    "source": value.source if value else "",
                }
            )
        rows.append(
            {
                "number": action.number,
                "text": action.text,
                "team": action.team.local_name,
                "team_lang": action.team.page_name.lang,
                "unit": plan.responsible_unit if plan else "",
                "partners": sorted(p.name for p in plan.partners.all()) if plan else [],
                "status": status,
                "comment": entry.comment if entry else "",
                "indicators": indicators,
            }
        )
    order = {kind: position for position, kind in enumerate(FigureKind)}
    figures = sorted(
        ProgrammeFigure.objects.filter(programme=programme, year=year),
        key=lambda f: (order[FigureKind(f.kind)], f.name),
    )
    title = _("Report on the implementation of the programme in %(year)s") % {"year": year}
    heading = [
        [_("Submitting authority"), mayor()],
        [_("Addressed to"), council()],
        [_("Legal basis"), LEGAL_BASIS],
        [
            _("Statutory deadline"),
            _(
                "by %(date)s: submitted to the council and published in the Public "
                "Information Bulletin"
            )
            % {"date": prose_date(deadline(year))},
        ],
        [_("Period of the programme"), programme.period],
    ]
    if version is not None and version.resolution_number:
        heading.append(
            [
                _("Adopting resolution"),
                resolution_citation(version.resolution_number, version.resolution_date),
            ]
        )
    publication = ReportPublication.objects.filter(programme=programme, year=year).first()
    return {
        "title": title,
        "programme": programme.title,
        "period": programme.period,
        "year": year,
        "heading": heading,
        "summary": [[label, str(count)] for label, count in counts.items() if count],
        "figures": [
            {
                "kind": figure.kind,
                "label": figure.label,
                "value": selectors.figure_text(figure.value),
                "cell": selectors.decimal_text(figure.value),
                "source": figure.source,
            }
            for figure in figures
        ],
        "no_figures": _no_figures(year, publication.no_figures_reason if publication else ""),
        "actions": rows,
        # Until it is published the report is a draft: its PDF carries the PROJEKT watermark
        # and its files the PROJEKT line (documents.office), as a consultation report's do.
        "draft": publication is None,
    }


def _no_figures(year: int, reason: str) -> str:
    """What the report says where its evaluation figures would be when there are none: in a
    preview, that none are entered yet; published, that none were, and why."""
    if not reason:
        return _("No figures entered yet.")
    return _(
        "No evaluation figures were entered for %(year)s. Reason for publishing the report "
        "without them: %(reason)s"
    ) % {"year": year, "reason": reason}


def _data(object_id: str) -> dict[str, Any]:
    return report_data(*split(object_id))


@pdf_cache.pdf_document
def implementation_report_document(object_id: str) -> pdf_render.PdfDocument:
    """The report as a tagged PDF, in the portal's language (the record's)."""
    programme_id, year = split(object_id)
    language = record_language()
    with translation.override(language):
        report = report_data(programme_id, year)
    return pdf_render.PdfDocument(
        template_name="pdf/implementation_report.html",
        context={"report": report},
        title=f"{report['title']} – {report['programme']}",
        filename=f"implementation-report-{programme_id}-{year}.pdf",
        language=language,
        draft=report["draft"],
    )


def frozen_page(object_id: str) -> dict[str, Any]:
    """The report's data in each of the portal's languages, frozen with its PDF."""
    page = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            page[code] = _data(object_id)
    return page


# --- The files -------------------------------------------------------------------------------


def heading_lines(report: dict[str, Any]) -> list[str]:
    """The heading block as lines ("Submitting authority: …"): who submits the report to
    whom, on what legal basis, by when, and the programme's period and adopting resolution.
    A report frozen before the block existed had its legal basis and resolution as
    sentences: they stand in for it."""
    if "heading" in report:
        return [f"{label}: {value}" for label, value in report["heading"]]
    return [text for text in (report.get("legal_basis"), report.get("resolution")) if text]


def report_sections(report: dict[str, Any]) -> list[Section]:
    return [
        Section(
            heading=f"{report['title']} – {report['programme']}",
            paragraphs=heading_lines(report),
        ),
        Section(
            heading=_("Evaluation figures of the programme"),
            paragraphs=[] if report["figures"] else [_no_figures_text(report)],
            columns=[_("Figure"), _("Value"), _("Source")] if report["figures"] else [],
            rows=[[f["label"], f["value"], f["source"]] for f in report["figures"]],
        ),
        Section(
            heading=_("Actions by status"),
            columns=[_("Status"), _("Actions")],
            rows=report["summary"],
        ),
        Section(
            heading=_("Actions of the programme"),
            columns=[
                _("No."),
                _("Action"),
                _("Responsible city unit"),
                _("Partner organisations"),
                _("Status"),
                _("Comment"),
            ],
            rows=[
                [
                    str(a["number"]),
                    a["text"],
                    a["unit"],
                    "; ".join(a["partners"]),
                    a["status"],
                    a["comment"],
                ]
                for a in report["actions"]
            ],
        ),
        Section(
            heading=_("Indicators"),
            columns=_indicator_columns(),
            rows=[
                [
                    str(position),
                    str(a["number"]),
                    i["name"],
                    i["unit"],
                    i["planned"],
                    i["achieved"],
                    i["source"],
                ]
                for position, (a, i) in enumerate(_indicators(report), start=1)
            ],
        ),
    ]


def _no_figures_text(report: dict[str, Any]) -> str:
    return report.get("no_figures") or _("No figures entered yet.")


def _indicators(report: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(a, i) for a in report["actions"] for i in a["indicators"]]


def _indicator_columns() -> list[str]:
    return [
        _("No."),
        _("Action"),
        _("Indicator"),
        _("Unit"),
        _("Planned"),
        _("Achieved"),
        _("Source"),
    ]


def _spreadsheet_columns() -> list[str]:
    return [
        _("No."),
        _("Action"),
        _("Indicator or evaluation figure"),
        _("Unit"),
        _("Planned"),
        _("Achieved"),
        _("Source"),
    ]


def _number(text: str) -> Decimal | str:
    """A machine-readable value (``selectors.decimal_text``) as a number for a spreadsheet's
    cell; empty stays empty."""
    try:
        return Decimal(text) if text else text
    except InvalidOperation:
        return text


def _figure_cell(figure: dict[str, Any]) -> object:
    """A figure's value as a spreadsheet's cell of its kind (core.spreadsheets): an amount
    (PLN) with two decimals, a count whole, any other figure as a measured value (a report
    frozen before figures kept their kind has only those)."""
    value = _number(figure["cell"])
    if not isinstance(value, Decimal):
        return value
    kind = figure.get("kind")
    if kind in AMOUNT_KINDS:
        return spreadsheets.amount(value)
    if kind in COUNT_KINDS:
        return spreadsheets.count(value)
    return value


def _indicator_cell(text: str, unit: str) -> object:
    """An indicator's value as a spreadsheet's cell: an amount (two decimals) when its unit is
    money (``is_money_unit``: a whole indicator one format, "0,00" beside "1 234,50"), else
    a measured value."""
    value = _number(text)
    if isinstance(value, Decimal) and is_money_unit(unit):
        return spreadsheets.amount(value)
    return value


def spreadsheet_rows(report: dict[str, Any]) -> list[list[object]]:
    """The indicators (one row each) and then the evaluation figures, numbered (Lp.), with
    machine-readable values: the row's and the action's numbers and the values as numbers,
    the rest as text; a figure's value of its kind (``_figure_cell``: amounts with two
    decimals, counts whole). A figure's value goes in the column it is: planned funds under
    "Planned", every other figure (what the year achieved) under "Achieved"."""
    rows: list[list[object]] = [
        [
            a["number"],
            i["name"],
            i["unit"],
            _indicator_cell(i["planned_cell"], i["unit"]),
            _indicator_cell(i["achieved_cell"], i["unit"]),
            i["source"],
        ]
        for a, i in _indicators(report)
    ]
    for figure in report["figures"]:
        value = _figure_cell(figure)
        planned = figure.get("kind") in PLANNED_KINDS
        rows.append(
            [
                "",
                figure["label"],
                "",
                value if planned else "",
                "" if planned else value,
                figure["source"],
            ]
        )
    return [[position, *row] for position, row in enumerate(rows, start=1)]


def download(report: dict[str, Any], ext: str, filename: str) -> HttpResponse:
    """The report (``report_data``) as ODT or DOCX, or its indicators as XLSX or ODS."""
    draft = bool(report.get("draft"))  # frozen before this key existed: published
    with of_record():
        sections = report_sections(report)
        if ext in ("xlsx", "ods"):
            meta = office.Meta(sections[0].heading, draft=draft)
            sheet = _("Indicators %(year)s") % {"year": report["year"]}
            columns, rows = _spreadsheet_columns(), spreadsheet_rows(report)
            write, content_type = (
                (office.xlsx_content, XLSX_TYPE)
                if ext == "xlsx"
                else (office.ods_content, ODS_TYPE)
            )
            content = write(meta, sheet=sheet, columns=columns, rows=rows)
        elif ext == "odt":
            content, content_type = odt_content(sections, draft=draft), ODT_TYPE
        else:
            content, content_type = docx_content(sections, draft=draft), DOCX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{ext}"'
    return response
