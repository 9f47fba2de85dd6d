"""Tables as spreadsheets (CSV and XLSX) for officials who work in Excel: one writer, with
formula defusing, for every export of the portal.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read
as a formula by spreadsheet programs (CSV injection): it gets a leading apostrophe. A cell
cannot isolate its text, so bidi controls are dropped first (core.text), which also keeps an
invisible control from hiding a formula's first character.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook

from core.text import strip_bidi

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: object) -> str:
    """A cell's text without bidi controls, kept from being read as a formula."""
    text = strip_bidi(str(value))
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def csv_response(
    *, columns: Sequence[object], rows: Iterable[Sequence[object]], filename: str
) -> HttpResponse:
    out = io.StringIO()
    out.write("\ufeff")  # so that spreadsheet programs read the Polish letters as UTF-8
    writer = csv.writer(out)
    writer.writerow([safe(column) for column in columns])
    for row in rows:
        writer.writerow([safe(value) for value in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    *, columns: Sequence[object], rows: Iterable[Sequence[object]], filename: str, sheet: str
) -> HttpResponse:
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = str(sheet)[:31]
    worksheet.append([safe(column) for column in columns])
    for row in rows:
        worksheet.append([safe(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
