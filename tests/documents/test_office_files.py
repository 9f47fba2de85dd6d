"""The editable files of the comment table, the consultation report and the implementation
report (ODT, DOCX, ODS, XLSX), opened as Word and LibreOffice read them (documents.office):
the document's language, A4 pages, properties that name the document and the portal, a header
row repeated on every page, "Page X of Y" footers, numbers stored as numbers and shown in the
format of their kind (amounts with two decimals), spreadsheets with sized columns and a frozen
header (ODS as XLSX), and the DRAFT mark of a document not yet published, decided as its PDF's
watermark is."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import docx
import pytest
from django.conf import settings
from django.contrib.sites.models import Site
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx.oxml.ns import qn
from odfdo import Document
from openpyxl import load_workbook

from consultations.models import Comment, Disposition, Round
from consultations.phases import Phase
from core import spreadsheets
from documents import comment_table, consultation_report, implementation_report, office
from documents.programme import round_report_document
from tests.documents.test_comment_table import published  # noqa: F401
from tests.test_spreadsheets import ods_format, ods_frozen_rows, ods_widths

pytestmark = pytest.mark.django_db

#: A report of the implementation as ``implementation_report.report_data`` gives it (plain
#: data, which is what its files are made from, live or frozen).
IMPLEMENTATION: dict[str, Any] = {
    "title": "Sprawozdanie z realizacji programu w 2024 r.",
    "programme": "Program współpracy na lata 2024–2025",
    "period": "2024–2025",
    "year": 2024,
    "resolution": "",
    "legal_basis": "Podstawa prawna: art. 5a ust. 3.",
    "summary": [["zrealizowane", "2"]],
    "figures": [{"label": "Liczba ofert", "value": "1 250,5", "cell": "1250.5", "source": "BIP"}],
    "actions": [
        {
            "number": number,
            "text": f"Działanie {number}",
            "team": "Zespół",
            "unit": "MOWIS",
            "partners": [],
            "status": "zrealizowane",
            "comment": "",
            "indicators": [
                {
                    "name": "Liczba spotkań",
                    "unit": "szt.",
                    "planned": "12",
                    "achieved": "7",
                    "planned_cell": "12",
                    "achieved_cell": "7",
                    # A source written as a number is text, and stays text.
                    "source": "10",
                }
            ],
        }
        for number in (2, 10)
    ],
}


@pytest.fixture
def unpublished(make_round: Callable[..., Round], make_comment: Callable[..., Comment]) -> Round:
    """Settled, its report not yet published: its PDFs carry the DRAFT watermark."""
    round_ = make_round(Phase.SETTLED)
    for text in ("Dodać termin", "10", "=1+1"):
        make_comment(round_, text, disposition=Disposition.ACCEPTED, justification="Przyjęto.")
    return round_


def _table(round_: Round, ext: str) -> bytes:
    return comment_table.table_file(round_, ext).content


def _report(round_: Round, ext: str) -> bytes:
    return consultation_report.report_file(round_, ext).content


def _implementation(ext: str) -> bytes:
    return implementation_report.download(IMPLEMENTATION, ext, "report").content


def _every_file(round_: Round) -> list[tuple[str, bytes]]:
    """Each editable file of the three documents, named ``document.ext``."""
    return [
        *((f"table.{ext}", _table(round_, ext)) for ext in ("odt", "docx", "xlsx", "ods")),
        *((f"report.{ext}", _report(round_, ext)) for ext in ("odt", "docx")),
        *(
            (f"implementation.{ext}", _implementation(ext))
            for ext in ("odt", "docx", "xlsx", "ods")
        ),
    ]


def _xml(content: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(content)).read(name).decode()


def _languages(name: str, content: bytes) -> set[str | None]:
    """Every language the file declares: the default styles' and the properties'."""
    if name.endswith((".odt", ".ods")):
        styles = _xml(content, "styles.xml")
        found: set[str | None] = {
            f"{language}-{country}"
            for language, country in re.findall(
                r'fo:language="([^"]*)" fo:country="([^"]*)"', styles
            )
        }
        return found | {Document(io.BytesIO(content)).meta.get_language()}
    if name.endswith(".docx"):
        document = docx.Document(io.BytesIO(content))
        defaults = document.styles.element.find(qn("w:docDefaults"))
        assert defaults is not None
        return {lang.get(qn("w:val")) for lang in defaults.iter(qn("w:lang"))} | {
            document.core_properties.language
        }
    return {load_workbook(io.BytesIO(content)).properties.language}


def test_every_file_is_in_the_portals_language_not_french_or_american(published: Round) -> None:  # noqa: F811
    for name, content in _every_file(published):
        assert _languages(name, content) == {"pl-PL"}, name


def test_in_an_english_portal_the_files_say_english(published: Round, settings: Any) -> None:  # noqa: F811
    settings.LANGUAGE_CODE = "en"
    for name, content in _every_file(published):
        assert _languages(name, content) == {"en-GB"}, name
    # And the files are indeed written in English.
    assert b"Comment table" in _xml(_table(published, "odt"), "content.xml").encode()


def test_text_documents_are_on_a4_pages_the_comment_table_landscape(published: Round) -> None:  # noqa: F811
    a4 = {"table": (16838, 11906), "report": (11906, 16838), "implementation": (11906, 16838)}
    for name, content in _every_file(published):
        document, ext = name.split(".")
        width, height = a4[document]
        if ext == "docx":
            section = docx.Document(io.BytesIO(content)).sections[0]
            assert (section.page_width.twips, section.page_height.twips) == (width, height), name
        elif ext == "odt":
            layout = re.search(r"<style:page-layout-properties [^>]*>", _xml(content, "styles.xml"))
            assert layout is not None
            size = [
                float(re.search(rf'fo:page-{side}="([\d.]+)cm"', layout[0])[1])  # type: ignore[index]
                for side in ("width", "height")
            ]
            assert size == pytest.approx([width * 2.54 / 1440, height * 2.54 / 1440], abs=0.01)
            orientation = "landscape" if width > height else "portrait"
            assert f'style:print-orientation="{orientation}"' in layout[0], name


def test_the_properties_name_the_document_its_author_and_the_portal(published: Round) -> None:  # noqa: F811
    titles = {
        "table": comment_table.comment_table_document(str(published.pk)).title,
        "report": round_report_document(str(published.pk)).title,
        "implementation": f"{IMPLEMENTATION['title']} – {IMPLEMENTATION['programme']}",
    }
    portal = Site.objects.get_current().name
    assert portal == "Kraków NGO"
    today = timezone.now().date()
    for name, content in _every_file(published):
        title = titles[name.split(".")[0]]
        if name.endswith(".docx"):
            properties = docx.Document(io.BytesIO(content)).core_properties
            got = (properties.title, properties.author, properties.comments)
            assert properties.created is not None and properties.created.date() == today, name
            assert b"python-docx" not in _xml(content, "docProps/core.xml").encode(), name
        elif name.endswith(".xlsx"):
            workbook = load_workbook(io.BytesIO(content)).properties
            got = (workbook.title, workbook.creator, workbook.description)
        else:
            meta = Document(io.BytesIO(content)).meta
            got = (meta.get_title(), meta.get_creator(), meta.get_description())
            created = meta.get_creation_date()
            assert created is not None and created.date() == timezone.localdate(), name
        assert got == (title, settings.PORTAL_CONTACT_NAME, portal), name


def test_tables_repeat_their_header_row_on_every_page(published: Round) -> None:  # noqa: F811
    for name, content in _every_file(published):
        if name.endswith(".docx"):
            tables = docx.Document(io.BytesIO(content)).tables
            assert tables, name
            for table in tables:
                marked = [row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") for row in table.rows]
                assert marked[0] is not None and not any(m is not None for m in marked[1:]), name
        elif name.endswith((".odt", ".ods")):
            tables = Document(io.BytesIO(content)).body.get_tables()
            assert tables, name
            for table in tables:
                header = table.get_element("table:table-header-rows")
                assert header is not None, name
                assert len(header.get_elements("table:table-row")) == 1, name
                # The header rows are the table's first row, read back as such.
                first = header.get_element("table:table-row")
                assert first is not None
                assert [c.get_value() for c in first.get_elements("table:table-cell")] == (
                    table.get_values()[0]
                ), name
        else:
            sheet = load_workbook(io.BytesIO(content)).active
            assert sheet is not None and sheet.print_title_rows == "$1:$1", name


def test_text_documents_number_their_pages(published: Round) -> None:  # noqa: F811
    with translation.override("pl"):
        words = re.findall(r"\w+", _("Page %(page)s of %(pages)s") % {"page": "", "pages": ""})
    assert words == ["Strona", "z"]
    for name, content in _every_file(published):
        if name.endswith(".docx"):
            footer = _xml(content, "word/footer1.xml")
            fields = re.findall(r"<w:instrText[^>]*>\s*(\w+)\s*</w:instrText>", footer)
            assert fields == ["PAGE", "NUMPAGES"], name
            text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", footer))
            assert text.split() == ["Strona", "1", "z", "1"], name
        elif name.endswith((".odt", ".ods")):
            masters = re.findall(
                r"<style:master-page .*?</style:master-page>", _xml(content, "styles.xml")
            )
            assert masters, name
            for master in masters:
                footer = re.search(r"<style:footer>(.*?)</style:footer>", master)
                assert footer is not None, name
                assert re.fullmatch(
                    r"<text:p>Strona<text:s/><text:page-number[^>]*/><text:s/>z<text:s/>"
                    r"<text:page-count/></text:p>",
                    footer[1],
                ), name


def test_spreadsheets_store_whole_numbers_as_numbers_and_text_as_text(
    unpublished: Round,
) -> None:
    xlsx = load_workbook(io.BytesIO(_table(unpublished, "xlsx"))).active
    assert xlsx is not None
    numbers = [cell.value for cell in xlsx["A"][1:]]
    assert numbers == [1, 2, 3] and [cell.data_type for cell in xlsx["A"][1:]] == ["n"] * 3
    comments = [cell.value for cell in xlsx["E"][1:]]
    # Text that reads as a number stays text; text that reads as a formula stays defused.
    assert comments == ["Dodać termin", "10", "'=1+1"]

    ods = Document(io.BytesIO(_table(unpublished, "ods"))).body.get_table(0)
    assert ods is not None
    assert [ods.get_cell((0, y)).type for y in (1, 2, 3)] == ["float"] * 3
    assert [ods.get_cell((0, y)).value for y in (1, 2, 3)] == [1, 2, 3]
    assert [ods.get_cell((4, y)).value for y in (1, 2, 3)] == comments
    assert ods.get_cell((4, 2)).type == "string"

    # CSV is text anyway: the same cells.
    csv_rows = list(csv.reader(io.StringIO(_table(unpublished, "csv").decode("utf-8-sig"))))
    assert [row[0] for row in csv_rows[1:]] == ["1", "2", "3"]
    assert [row[4] for row in csv_rows[1:]] == comments

    # The implementation report's indicators: the action's number and the values.
    sheet = load_workbook(io.BytesIO(_implementation("xlsx"))).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert values == [
        [1, 2, "Liczba spotkań", "szt.", 12, 7, "10"],
        [2, 10, "Liczba spotkań", "szt.", 12, 7, "10"],
        [3, None, "Liczba ofert", None, None, 1250.5, "BIP"],
    ]
    table = Document(io.BytesIO(_implementation("ods"))).body.get_table(0)
    assert table is not None
    assert table.get_values()[1:] == [
        [1, 2, "Liczba spotkań", "szt.", 12, 7, "10"],
        [2, 10, "Liczba spotkań", "szt.", 12, 7, "10"],
        [3, "", "Liczba ofert", "", "", Decimal("1250.5"), "BIP"],
    ]
    assert [table.get_cell((0, y)).type for y in (1, 2)] == ["float", "float"]
    assert table.get_cell((6, 1)).type == "string"


def test_the_implementation_report_shows_amounts_with_two_decimals_and_counts_whole() -> None:
    """What an official sees in Excel or LibreOffice set to Polish: "41 250 000,50" for funds
    spent, "1 412" for offers received (not "41250000.5", "1412"), the same in both files."""
    report = {
        **IMPLEMENTATION,
        "figures": [
            {"kind": kind, "label": kind, "value": value, "cell": cell, "source": "BIP"}
            for kind, value, cell in [
                ("offers", "1 412", "1412"),
                ("funds_planned", "45 000 000", "45000000"),
                ("funds_spent", "41 250 000,50", "41250000.5"),
                ("other", "12,50", "12.5"),
            ]
        ],
    }
    xlsx = load_workbook(
        io.BytesIO(implementation_report.download(report, "xlsx", "r").content)
    ).active
    assert xlsx is not None
    ods_document = Document(io.BytesIO(implementation_report.download(report, "ods", "r").content))
    ods = ods_document.body.get_table(0)
    assert ods is not None
    # Lp., the action's number, the planned and the achieved value of each row.
    expected = [
        ["0", "0", "#,##0", "#,##0"],  # indicators: whole values (12, 7)
        ["0", "0", "#,##0", "#,##0"],
        ["0", "General", "General", "#,##0"],  # offers: a count
        ["0", "General", "#,##0.00", "General"],  # funds planned, whole all the same
        ["0", "General", "General", "#,##0.00"],  # funds spent
        ["0", "General", "General", "#,##0.00"],  # another figure, with decimals
    ]
    columns = (0, 1, 4, 5)
    assert [[row[x].number_format for x in columns] for row in xlsx.iter_rows(min_row=2)] == (
        expected
    )
    assert [
        [ods_format(ods_document, ods.get_cell((x, y))) for x in columns] for y in range(1, 7)
    ] == expected
    assert [xlsx.cell(row=y, column=5).value for y in (5,)] == [45000000]
    assert ods.get_cell((5, 5)).value == Decimal("41250000.5")


def test_every_spreadsheet_has_its_columns_sized_and_its_header_frozen_in_ods_as_in_xlsx(
    published: Round,  # noqa: F811
) -> None:
    for name, content in _every_file(published):
        if not name.endswith(".ods"):
            continue
        xlsx = load_workbook(io.BytesIO(_every_xlsx(published)[name])).active
        assert xlsx is not None and xlsx.freeze_panes == "A2", name
        document = Document(io.BytesIO(content))
        table = document.body.get_table(0)
        assert table is not None
        assert ods_frozen_rows(document, table) == 1, name
        widths = [xlsx.column_dimensions[c.column_letter].width for c in xlsx[1]]
        assert ods_widths(document, table) == [
            round(width * spreadsheets.ODS_CHARACTER_CM, 3) for width in widths
        ], name
        # The long columns are wider than the short ones, which stay readable.
        assert min(widths) >= spreadsheets.MIN_WIDTH and max(widths) > min(widths), name


def _every_xlsx(round_: Round) -> dict[str, bytes]:
    """The XLSX of each ODS, under the ODS's name."""
    return {
        name.replace(".xlsx", ".ods"): content
        for name, content in _every_file(round_)
        if name.endswith(".xlsx")
    }


def test_the_open_data_spreadsheets_keep_their_text() -> None:
    """core.spreadsheets serves the open data too: a number written as text stays text."""
    response = spreadsheets.xlsx_response(
        columns=["Nr"], rows=[["12"], ["-3"], [7]], filename="x.xlsx", sheet="s"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [cell.value for cell in sheet["A"]] == ["Nr", "12", "'-3", 7]


def _first_line(name: str, content: bytes) -> str:
    if name.endswith(".docx"):
        return docx.Document(io.BytesIO(content)).paragraphs[0].text
    body = Document(io.BytesIO(content)).body
    first = body.children[0]
    return first.text_recursive


def test_an_unpublished_document_is_marked_draft_as_its_pdf_is(
    unpublished: Round,
    published: Round,  # noqa: F811
) -> None:
    for round_, draft in ((unpublished, True), (published, False)):
        # The PDFs' decision: their DRAFT watermark.
        pdf = comment_table.comment_table_document(str(round_.pk))
        assert pdf.draft is draft
        assert round_report_document(str(round_.pk)).draft is draft
        with translation.override(settings.LANGUAGE_CODE):
            line = office.draft_line()
            sheet = office.draft_name(_("Comments")) if draft else _("Comments")
            title = office.draft_name(pdf.title) if draft else pdf.title
        for name, content in (
            *((f"table.{ext}", _table(round_, ext)) for ext in ("odt", "docx")),
            *((f"report.{ext}", _report(round_, ext)) for ext in ("odt", "docx")),
        ):
            assert (_first_line(name, content) == line) is draft, name
        workbook = load_workbook(io.BytesIO(_table(round_, "xlsx")))
        assert workbook.active is not None
        assert (workbook.active.title, workbook.properties.title) == (sheet[:31], title)
        ods = Document(io.BytesIO(_table(round_, "ods")))
        assert (ods.body.get_table(0).name, ods.meta.get_title()) == (sheet[:31], title)
        odt = Document(io.BytesIO(_table(round_, "odt")))
        assert odt.meta.get_title() == title
        document = docx.Document(io.BytesIO(_table(round_, "docx")))
        assert document.core_properties.title == title


def test_the_mark_goes_when_the_report_is_published(unpublished: Round) -> None:
    """The files of a published report are frozen from the same builder: without the mark."""
    with translation.override(settings.LANGUAGE_CODE):  # the files' language
        draft_line, title = office.draft_line(), _("Comment table")
    assert _first_line("x.docx", _table(unpublished, "docx")) == draft_line
    Round.objects.filter(pk=unpublished.pk).update(status=Phase.REPORT_PUBLISHED)
    unpublished.refresh_from_db()
    assert _first_line("x.docx", _table(unpublished, "docx")).startswith(title)
