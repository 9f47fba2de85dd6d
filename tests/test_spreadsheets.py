"""The one writer of the portal's spreadsheets (core.spreadsheets): XLSX cells hold numbers as
numbers and times as dates in Warsaw time, text defused; CSV stays text as it was."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection, Sequence
from decimal import Decimal

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
