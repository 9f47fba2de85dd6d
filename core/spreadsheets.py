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
sorts 2 before 10 and sums; CSV is text anyway. Everything else, numbers written as text
included, stays text, defused. The exports that pass only text (opendata) are unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.text import strip_bidi

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ?dialect= → the cell separator; no parameter is the standard CSV.
CSV_DIALECTS = {"": ",", "excel": ";"}


def safe(value: object) -> str:
    """A cell's text without bidi controls, kept from being read as a formula."""
    text = strip_bidi(str(value))
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def cell_value(value: object) -> str | int | Decimal:
    """A cell as a spreadsheet stores it: an ``int`` or ``Decimal`` as a number (a number is
    never a formula; ``bool`` is not a number here), anything else as defused text."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return value
    return safe(value)


def _csv_cell(value: object) -> str:
    value = cell_value(value)
    return value if isinstance(value, str) else str(value)


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
    spreadsheet programs read the Polish letters as UTF-8)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=CSV_DIALECTS[dialect])
    writer.writerow([safe(column) for column in columns])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
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
    *, columns: Sequence[object], rows: Iterable[Sequence[object]], sheet: str
) -> Workbook:
    """The table as a workbook of one sheet, its header the first row (documents.office sets
    the properties of the portal's documents on it before saving)."""
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = str(sheet)[:31]
    worksheet.append([safe(column) for column in columns])
    for row in rows:
        worksheet.append([cell_value(value) for value in row])
    return workbook


def xlsx_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(
    *, columns: Sequence[object], rows: Iterable[Sequence[object]], filename: str, sheet: str
) -> HttpResponse:
    workbook = xlsx_workbook(columns=columns, rows=rows, sheet=sheet)
    response = HttpResponse(xlsx_bytes(workbook), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
