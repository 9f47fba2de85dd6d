"""The implementation report (sprawozdanie z realizacji programu, art. 5a ust. 3) of one year
of an adopted programme: its content built once as plain data (``report_data``) from what the
follow-up holds (implementation/), which every format renders — the page, the tagged PDF
(``implementation_report_document``, through the PDF machinery), ODT and DOCX (the section
writers of documents.consultation_report), and the indicators as XLSX and ODS, numbers as
numbers (documents.office writes all four). Published, the data is frozen with the PDF's HTML
(``Publication.page``), and every format of the published report is made from the frozen
data, so they all say the same."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from core.spreadsheets import XLSX_TYPE
from implementation import selectors
from implementation.models import ActionPlan, ActionStatus, FigureKind, ProgrammeFigure
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
            indicators.append(
                {
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "planned": selectors.figure_text(value.planned if value else None),
                    "achieved": selectors.figure_text(value.achieved if value else None),
                    "planned_cell": selectors.decimal_text(value.planned if value else None),
                    "achieved_cell": selectors.decimal_text(value.achieved if value else None),
                    "source": value.source if value else "",
                }
            )
        rows.append(
            {
                "number": action.number,
                "text": action.text,
                "team": action.team.name,
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
    return {
        "title": title,
        "programme": programme.title,
        "period": programme.period,
        "year": year,
        "resolution": _("Adopted by resolution %(number)s of %(date)s.")
        % {
            "number": version.resolution_number,
            "date": version.resolution_date.strftime("%d.%m.%Y") if version.resolution_date else "",
        }
        if version is not None
        else "",
        "legal_basis": _("Legal basis: %(law)s.") % {"law": LEGAL_BASIS},
        "summary": [[label, str(count)] for label, count in counts.items() if count],
        "figures": [
            {
                "label": figure.label,
                "value": selectors.figure_text(figure.value),
                "cell": selectors.decimal_text(figure.value),
                "source": figure.source,
            }
            for figure in figures
        ],
        "actions": rows,
    }


def _data(object_id: str) -> dict[str, Any]:
    return report_data(*split(object_id))


@pdf_cache.pdf_document
def implementation_report_document(object_id: str) -> pdf_render.PdfDocument:
    """The report as a tagged PDF, in the portal's language (the record's)."""
    programme_id, year = split(object_id)
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        report = report_data(programme_id, year)
    return pdf_render.PdfDocument(
        template_name="pdf/implementation_report.html",
        context={"report": report},
        title=f"{report['title']} – {report['programme']}",
        filename=f"implementation-report-{programme_id}-{year}.pdf",
        language=language,
    )


def frozen_page(object_id: str) -> dict[str, Any]:
    """The report's data in each of the portal's languages, frozen with its PDF."""
    page = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            page[code] = _data(object_id)
    return page


# --- The files -------------------------------------------------------------------------------


def report_sections(report: dict[str, Any]) -> list[Section]:
    return [
        Section(
            heading=f"{report['title']} – {report['programme']}",
            paragraphs=[
                p
                for p in (
                    report["legal_basis"],
                    _("Period of the programme: %(period)s.") % {"period": report["period"]},
                    report["resolution"],
                )
                if p
            ],
        ),
        Section(
            heading=_("Evaluation figures of the programme"),
            paragraphs=[] if report["figures"] else [_("No figures entered yet.")],
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
                [str(a["number"]), i["name"], i["unit"], i["planned"], i["achieved"], i["source"]]
                for a in report["actions"]
                for i in a["indicators"]
            ],
        ),
    ]


def _indicator_columns() -> list[str]:
    return [_("No."), _("Indicator"), _("Unit"), _("Planned"), _("Achieved"), _("Source")]


def _number(text: str) -> Decimal | str:
    """A machine-readable value (``selectors.decimal_text``) as a number for a spreadsheet's
    cell; empty stays empty."""
    try:
        return Decimal(text) if text else text
    except InvalidOperation:
        return text


def spreadsheet_rows(report: dict[str, Any]) -> list[list[object]]:
    """The indicators (one row each) and then the evaluation figures, machine-readable
    values: the action's number and the values as numbers, the rest as text."""
    rows: list[list[object]] = [
        [
            a["number"],
            i["name"],
            i["unit"],
            _number(i["planned_cell"]),
            _number(i["achieved_cell"]),
            i["source"],
        ]
        for a in report["actions"]
        for i in a["indicators"]
    ]
    rows += [["", f["label"], "", "", _number(f["cell"]), f["source"]] for f in report["figures"]]
    return rows


def download(report: dict[str, Any], ext: str, filename: str) -> HttpResponse:
    """The report (``report_data``) as ODT or DOCX, or its indicators as XLSX or ODS."""
    with translation.override(settings.LANGUAGE_CODE):
        sections = report_sections(report)
        if ext in ("xlsx", "ods"):
            meta = office.Meta(sections[0].heading)
            sheet = _("Indicators %(year)s") % {"year": report["year"]}
            columns, rows = _indicator_columns(), spreadsheet_rows(report)
            write, content_type = (
                (office.xlsx_content, XLSX_TYPE)
                if ext == "xlsx"
                else (office.ods_content, ODS_TYPE)
            )
            content = write(meta, sheet=sheet, columns=columns, rows=rows)
        elif ext == "odt":
            content, content_type = odt_content(sections), ODT_TYPE
        else:
            content, content_type = docx_content(sections), DOCX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{ext}"'
    return response
