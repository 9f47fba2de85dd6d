"""Tables as spreadsheets (CSV and XLSX) for officials who work in Excel: one writer, with
formula defusing, for every export of the portal.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read
as a formula by spreadsheet programs (CSV injection): it gets a leading apostrophe. A cell
cannot isolate its text, so bidi controls are dropped first (core.text), which also keeps an
invisible control from hiding a formula's first character.

CSV comes in two dialects, chosen here and nowhere else (``?dialect=`` on every CSV URL):
the standard one (RFC 4180: commas) for programs and open data, and ``excel`` for Excel set
to Polish, which takes the list separator of the system's locale, a semicolon wherever the
decimal separator is a comma, and shows a comma file as one column. Both are UTF-8 with a BOM
(without it Excel reads the Polish letters as Windows-1250) and CRLF line ends. A ``sep=;``
first line would also do for Excel, but then Excel ignores the BOM and every other program
sees a stray row; XLSX, offered next to every CSV, avoids the question altogether.

A whole number (``int``) or a decimal (``Decimal``) given as a cell is stored as a number in
XLSX (and in the ODS of documents.office, through ``cell_value``), so that a column of them
sorts 2 before 10 and sums. A ``datetime`` or ``date`` is stored as a date cell, in the
portal's local time (Europe/Warsaw, ``settings.TIME_ZONE``): XLSX has no time zones, so the
cell holds the Warsaw wall-clock time, shown as ``yyyy-mm-dd hh:mm`` (``yyyy-mm-dd``), and
sorts and filters as a date. A column of dates that comes as text (a published report keeps
its rows frozen as JSON, dates written as CSV writes them) is named by ``dates=`` and parsed
back. CSV is text anyway: numbers as digits, times as ``2011-07-12 10:00`` in Warsaw time,
dates as ``2011-07-12``. Everything else, numbers written as text included, stays text,
defused; a number or a date is never defused (it cannot be a formula).

An XLSX sheet's columns are as wide as their header and content ask (``MIN_WIDTH`` to
``MAX_WIDTH`` characters) and its header row stays in view when scrolling (frozen).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.text import strip_bidi

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ?dialect= → the cell separator; no parameter is the standard CSV.
CSV_DIALECTS = {"": ",", "excel": ";"}
# A time and a date as CSV writes them (and as a frozen report keeps them), in Warsaw time,
# and the number formats of their XLSX cells.
DATETIME_TEXT, DATE_TEXT = "%Y-%m-%d %H:%M", "%Y-%m-%d"
DATETIME_FORMAT, DATE_FORMAT = "yyyy-mm-dd hh:mm", "yyyy-mm-dd"
# An XLSX column's width, in characters: enough for a short header, not wider than a screen.
MIN_WIDTH, MAX_WIDTH = 8, 60

Cell = str | int | Decimal | dt.datetime | dt.date


def safe(value: object) -> str:
    """A cell's text without bidi controls, kept from being read as a formula."""
    text = strip_bidi(str(value))
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def local_datetime(value: dt.datetime) -> dt.datetime:
    """A time as the portal's local wall-clock time (Europe/Warsaw), without a zone, to the
    second; a naive time is taken as local already."""
    if timezone.is_aware(value):
        value = timezone.localtime(value, timezone.get_default_timezone())
    return value.replace(tzinfo=None, microsecond=0)


def cell_value(value: object) -> Cell:
    """A cell as a spreadsheet stores it: an ``int`` or ``Decimal`` as a number, a
    ``datetime`` as the local time (``local_datetime``), a ``date`` as a date (neither is
    ever a formula; ``bool`` is not a number here), anything else as defused text."""
    if isinstance(value, bool):
        return safe(value)
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, dt.datetime):
        return local_datetime(value)
    if isinstance(value, dt.date):
        return value
    return safe(value)


def _csv_cell(value: object, dialect: str = "") -> str:
    value = cell_value(value)
    if isinstance(value, Decimal) and dialect == "excel":
        # Excel set to Polish reads "98765.43" as a date or text: its decimal sign is a comma.
        return str(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.strftime(DATETIME_TEXT)
    if isinstance(value, dt.date):
        return value.strftime(DATE_TEXT)
    return value if isinstance(value, str) else str(value)


def _parsed_date(value: object) -> object:
    """A date or time written as CSV writes them (``DATETIME_TEXT``, ``DATE_TEXT``) as a
    ``datetime`` or ``date``; anything else (an empty cell, other text) as it is."""
    if isinstance(value, str):
        for pattern in (DATETIME_TEXT, DATE_TEXT):
            try:
                parsed = dt.datetime.strptime(value, pattern)  # noqa: DTZ007 (local time)
            except ValueError:
                continue
            return parsed if pattern == DATETIME_TEXT else parsed.date()
    return value


def _text_width(value: Cell) -> int:
    if isinstance(value, dt.datetime):
        return len("2011-07-12 10:00")
    if isinstance(value, dt.date):
        return len("2011-07-12")
    return max(len(line) for line in str(value).split("\n"))


def csv_dialect(request: HttpRequest) -> str | None:
    """The dialect the request asks for (``?dialect=``; "" for the standard CSV), or None
    when it names no dialect (see ``bad_dialect``)."""
    dialect = request.GET.get("dialect", "")
    return dialect if dialect in CSV_DIALECTS else None


def bad_dialect() -> HttpResponse:
    """The 400 for an unknown ``?dialect=``, naming the dialects."""
    return HttpResponseBadRequest(
        _(
            "Unknown CSV dialect. Leave dialect= out for the standard CSV (commas), or "
            "use dialect=excel for Excel set to Polish (semicolons)."
        ),
        content_type="text/plain; charset=utf-8",
    )


def csv_content(
    *, columns: Sequence[object], rows: Iterable[Sequence[object]], dialect: str = ""
) -> bytes:
    """The table as CSV in a dialect of ``CSV_DIALECTS``, UTF-8 with a BOM (so that
    spreadsheet programs read the Polish letters as UTF-8); in the ``excel`` dialect, for
    Excel set to Polish, a decimal number has a decimal comma ("98765,43")."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=CSV_DIALECTS[dialect])
    writer.writerow([safe(column) for column in columns])
    for row in rows:
        writer.writerow([_csv_cell(value, dialect) for value in row])
    return out.getvalue().encode()


def csv_response(
    request: HttpRequest,
    *,
    columns: Sequence[object],
    rows: Iterable[Sequence[object]],
    filename: str,
) -> HttpResponse:
    """The table as CSV in the dialect the request asks for (``?dialect=excel``), or a 400
    that names the dialects."""
    dialect = csv_dialect(request)
    if dialect is None:
        return bad_dialect()
    response = HttpResponse(
        csv_content(columns=columns, rows=rows, dialect=dialect), content_type=CSV_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_workbook(
    *,
    columns: Sequence[object],
    rows: Iterable[Sequence[object]],
    sheet: str,
    dates: Collection[int] = (),
) -> Workbook:
    """The table as a workbook of one sheet, its header the first row, frozen (documents.office
    sets the properties of the portal's documents on it before saving). Numbers, dates and
    times are stored as such (``cell_value``), as are the text cells of the columns at the
    positions ``dates`` that hold dates or times as CSV writes them; each column is as wide
    as its longest line (``MIN_WIDTH`` to ``MAX_WIDTH``)."""
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = str(sheet)[:31]
    header = [safe(column) for column in columns]
    worksheet.append(header)
    widths = [_text_width(text) for text in header]
    for row in rows:
        values = [
            cell_value(_parsed_date(value) if position in dates else value)
            for position, value in enumerate(row)
        ]
        worksheet.append(values)
        for position, value in enumerate(values):
            if isinstance(value, dt.datetime | dt.date):
                # openpyxl's own formats would show seconds, or midnight for a date.
                cell = worksheet.cell(row=worksheet.max_row, column=position + 1)
                is_time = isinstance(value, dt.datetime)
                cell.number_format = DATETIME_FORMAT if is_time else DATE_FORMAT
            if position < len(widths):
                widths[position] = max(widths[position], _text_width(value))
    for position, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(position)].width = min(
            max(width + 2, MIN_WIDTH), MAX_WIDTH
        )
    worksheet.freeze_panes = "A2"
    return workbook


def xlsx_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(
    *,
    columns: Sequence[object],
    rows: Iterable[Sequence[object]],
    filename: str,
    sheet: str,
    dates: Collection[int] = (),
) -> HttpResponse:
    workbook = xlsx_workbook(columns=columns, rows=rows, sheet=sheet, dates=dates)
    response = HttpResponse(xlsx_bytes(workbook), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
