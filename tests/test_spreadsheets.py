"""The one writer of the portal's spreadsheets (core.spreadsheets): XLSX and ODS cells hold
numbers as numbers and times as dates in Warsaw time, text defused, each shown in the format
of its kind (amounts with two decimals, counts grouped), in columns sized and under a frozen
header by one rule for both formats; CSV stays text as it was."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection, Sequence
from decimal import Decimal

import odfdo
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from core import spreadsheets


def wall(text: str) -> dt.datetime:
    """A wall-clock time without a zone, as an XLSX cell holds it."""
    return dt.datetime.fromisoformat(text)


# 23:30 UTC: already the next day in Kraków, winter (+1) and summer (+2) alike.
WINTER = dt.datetime(2024, 1, 15, 23, 30, tzinfo=dt.UTC)
SUMMER = dt.datetime(2024, 7, 15, 23, 30, tzinfo=dt.UTC)
COLUMNS = ["Id", "Nazwa", "Zgłoszono", "Dzień", "Kwota"]
ROWS = [
    [10, "=HYPERLINK(1)", WINTER, dt.date(2024, 1, 15), Decimal("1250.5")],
    [2, "Fundacja", SUMMER, dt.date(2024, 7, 15), 7],
]


def _sheet(
    *,
    columns: Sequence[object] = COLUMNS,
    rows: Sequence[Sequence[object]] = ROWS,
    dates: Collection[int] = (),
) -> Worksheet:
    workbook = spreadsheets.xlsx_workbook(columns=columns, rows=rows, sheet="s", dates=dates)
    sheet = load_workbook(io.BytesIO(spreadsheets.xlsx_bytes(workbook))).active
    assert isinstance(sheet, Worksheet)
    return sheet


def test_it_stores_numbers_as_numbers_and_times_as_warsaw_dates() -> None:
    sheet = _sheet()
    assert [cell.value for cell in sheet["A"]] == ["Id", 10, 2]
    assert [type(cell.value) for cell in sheet["A"][1:]] == [int, int]
    assert [cell.value for cell in sheet["C"][1:]] == [
        wall("2024-01-16 00:30"),
        wall("2024-07-16 01:30"),
    ]
    assert all(cell.is_date and cell.number_format == "yyyy-mm-dd hh:mm" for cell in sheet["C"][1:])
    assert [cell.value for cell in sheet["D"][1:]] == [
        wall("2024-01-15 00:00"),
        wall("2024-07-15 00:00"),
    ]
    assert all(cell.is_date and cell.number_format == "yyyy-mm-dd" for cell in sheet["D"][1:])
    assert sheet["E2"].value == 1250.5


def test_it_keeps_text_defused_and_never_defuses_a_number_or_a_date() -> None:
    sheet = _sheet(rows=[[-3, "=1+1", wall("2024-01-02 03:04"), dt.date(2024, 1, 2), "-3"]])
    assert [cell.value for cell in sheet[2]] == [
        -3,
        "'=1+1",
        wall("2024-01-02 03:04"),
        wall("2024-01-02 00:00"),
        "'-3",
    ]


def test_it_reads_back_the_times_of_frozen_rows_in_the_named_columns() -> None:
    rows = [["2011-07-13 01:30", "2011-07-13 01:30", "2011-07-13", "=2011-07-13", ""]]
    sheet = _sheet(columns=["A", "B", "C", "D", "E"], rows=rows, dates=(1, 2, 3, 4))
    assert [cell.value for cell in sheet[2]] == [
        "2011-07-13 01:30",  # not named: text
        wall("2011-07-13 01:30"),
        wall("2011-07-13 00:00"),
        "'=2011-07-13",
        None,
    ]


def test_it_sizes_the_columns_and_freezes_the_header() -> None:
    long = "Bardzo długa nazwa " * 10
    sheet = _sheet(rows=[[1, long, WINTER, dt.date(2024, 1, 15), 2], [2, "a\nb", "", "", ""]])
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    assert widths == {"A": 8, "B": 60, "C": 18, "D": 12}
    assert sheet.freeze_panes == "A2"


def test_the_header_is_bold_and_a_cell_with_line_breaks_wraps() -> None:
    """Excel runs a cell's lines together unless it wraps (the comment table's "Zgłaszający"
    cell holds a name, a registration number and the supporters, one per line)."""
    sheet = _sheet(rows=[[1, "Fundacja\nKZ/2011/0001 · portal", WINTER, "", 2]])
    assert all(cell.font.bold for cell in sheet[1])
    multi, one_line = sheet["B2"], sheet["A2"]
    assert multi.alignment.wrap_text and multi.alignment.vertical == "top"
    assert not one_line.alignment.wrap_text


def test_the_csv_keeps_its_text() -> None:
    content = spreadsheets.csv_content(columns=COLUMNS, rows=ROWS).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(content)))[1:] == [
        ["10", "'=HYPERLINK(1)", "2024-01-16 00:30", "2024-01-15", "1250.5"],
        ["2", "Fundacja", "2024-07-16 01:30", "2024-07-15", "7"],
    ]


def test_the_excel_dialect_writes_decimal_commas_and_the_standard_one_points() -> None:
    """Excel set to Polish reads "98765.43" as text or a date."""
    from decimal import Decimal

    columns = ["Lp.", "Kwota", "Opis"]
    rows = [[1, Decimal("98765.43"), "1.5 etatu"]]
    excel = spreadsheets.csv_content(columns=columns, rows=rows, dialect="excel").decode()
    standard = spreadsheets.csv_content(columns=columns, rows=rows).decode()
    assert excel.splitlines()[1] == "1;98765,43;1.5 etatu"
    assert standard.splitlines()[1] == "1,98765.43,1.5 etatu"


# --- Formats, widths and the frozen header, XLSX and ODS alike -------------------------------

AMOUNT, COUNT = Decimal("41250000.5"), Decimal("412")
KINDS_COLUMNS = [
    "Lp.",
    "Rok",
    "Kwota",
    "Liczba",
    "Wartość",
    "Wartość",
    "Dzień",
    "Zgłoszono",
    "Opis",
]
KINDS_ROWS = [
    [
        1,
        2024,
        spreadsheets.amount(AMOUNT),
        spreadsheets.count(COUNT),
        Decimal("1250.5"),
        Decimal("1250"),
        dt.date(2024, 1, 15),
        WINTER,
        "1250",
    ]
]
# Each column's format as Excel's code: what a Polish Excel shows as "41 250 000,50".
KINDS_FORMATS = ["0", "0", "#,##0.00", "#,##0", "#,##0.00", "#,##0", "yyyy-mm-dd"]
KINDS_FORMATS += ["yyyy-mm-dd hh:mm", "General"]


def ods_format(document: odfdo.Document, cell: odfdo.Cell) -> str:
    """The format of an ODS cell's data style, written as XLSX's format code ("#,##0.00",
    "yyyy-mm-dd"), "General" without one: what LibreOffice shows, comparable with XLSX."""
    if not cell.style:
        return "General"
    style = document.get_style("table-cell", cell.style)
    assert style is not None
    name = style.get_attribute("style:data-style-name")
    data = document.content.get_element(f'//*[@style:name="{name}"]')
    assert data is not None
    if data.tag == "number:number-style":
        number = data.get_element("number:number")
        assert number is not None
        whole = "#,##0" if number.get_attribute("number:grouping") else "0"
        decimals = int(str(number.get_attribute("number:decimal-places")))
        assert number.get_attribute("number:min-decimal-places") == str(decimals)
        return f"{whole}.{'0' * decimals}" if decimals else whole
    codes = {"year": "yyyy", "month": "mm", "day": "dd", "hours": "hh", "minutes": "mm"}
    return "".join(
        part.text if part.tag == "number:text" else codes[part.tag.partition(":")[2]]
        for part in data.children
    )


def ods_widths(document: odfdo.Document, table: odfdo.Table) -> list[float]:
    """Each column's width, in centimetres."""
    widths = []
    for column in table.get_columns():
        style = document.get_style("table-column", column.style)
        assert style is not None
        properties = style.get_element("style:table-column-properties")
        assert properties is not None
        widths.append(float(str(properties.get_attribute("style:column-width")).removesuffix("cm")))
    return widths


def ods_frozen_rows(document: odfdo.Document, table: odfdo.Table) -> int:
    """How many rows of the sheet stay in view when scrolling, as LibreOffice reads the view
    settings (0 when none, or when they are not the sheet's)."""
    entry = document.settings.get_element(
        "//config:config-item-map-named[@config:name='Tables']"
        f"/config:config-item-map-entry[@config:name='{table.name}']"
    )
    if entry is None:
        return 0
    items = {
        item.get_attribute("config:name"): item.text
        for item in entry.get_elements("config:config-item")
    }
    if items.get("VerticalSplitMode") != "2":  # 2: frozen; 1: split, scrolling
        return 0
    return int(items.get("VerticalSplitPosition", "0"))


def _ods(
    *, columns: Sequence[object], rows: Sequence[Sequence[object]]
) -> tuple[odfdo.Document, odfdo.Table]:
    document = odfdo.Document("spreadsheet")
    document.body.clear()
    spreadsheets.ods_sheet(document, columns=columns, rows=rows, sheet="Arkusz")
    out = io.BytesIO()
    document.save(out)
    read = odfdo.Document(io.BytesIO(out.getvalue()))
    table = read.body.get_table(0)
    assert table is not None
    return read, table


def test_each_kind_of_cell_has_its_format_in_xlsx_and_ods_alike() -> None:
    sheet = _sheet(columns=KINDS_COLUMNS, rows=KINDS_ROWS)
    assert [cell.number_format for cell in sheet[2]] == KINDS_FORMATS
    # Still numbers: they sort and sum.
    assert [cell.value for cell in sheet[2][2:6]] == [41250000.5, 412, 1250.5, 1250]
    document, table = _ods(columns=KINDS_COLUMNS, rows=KINDS_ROWS)
    assert [ods_format(document, table.get_cell((x, 1))) for x in range(9)] == KINDS_FORMATS
    assert [table.get_cell((x, 1)).value for x in range(2, 6)] == [AMOUNT, COUNT, 1250.5, 1250]
    assert table.get_cell((8, 1)).type == "string"
    # The header is text, without a format.
    assert {ods_format(document, table.get_cell((x, 0))) for x in range(9)} == {"General"}
    assert {cell.number_format for cell in sheet[1]} == {"General"}


def test_the_csv_writes_amounts_and_counts_as_their_digits() -> None:
    """An amount keeps its two decimals (a grosz column must not lose them); other numbers
    are written as they are."""
    content = spreadsheets.csv_content(columns=KINDS_COLUMNS, rows=KINDS_ROWS, dialect="excel")
    assert content.decode("utf-8-sig").splitlines()[1].split(";")[:6] == [
        "1",
        "2024",
        "41250000,50",
        "412",
        "1250,5",
        "1250",
    ]


def test_columns_are_as_wide_as_their_cells_are_shown_in_xlsx_and_ods_alike() -> None:
    rows = [[1, spreadsheets.amount(AMOUNT), spreadsheets.count(Decimal(1234567)), "a" * 80]]
    columns = ["Lp.", "Kwota", "Liczba", "Opis"]
    sheet = _sheet(columns=columns, rows=rows)
    widths = [sheet.column_dimensions[letter].width for letter in "ABCD"]
    # "41,250,000.50" and "1,234,567" as shown (13 and 9 characters), two more for the margin.
    assert widths == [8, 15, 11, 60]
    document, table = _ods(columns=columns, rows=rows)
    assert ods_widths(document, table) == [
        round(width * spreadsheets.ODS_CHARACTER_CM, 3) for width in widths
    ]


def test_the_header_row_is_frozen_in_xlsx_and_ods_alike() -> None:
    assert _sheet().freeze_panes == "A2"
    document, table = _ods(columns=COLUMNS, rows=ROWS)
    assert ods_frozen_rows(document, table) == 1
    assert table.name == "Arkusz"
    active = document.settings.get_element("//config:config-item[@config:name='ActiveTable']")
    assert active is not None and active.text == "Arkusz"
    # The header rows: repeated on every printed page.
    header = table.get_element("table:table-header-rows")
    assert header is not None and len(header.get_elements("table:table-row")) == 1
