"""Tables as spreadsheets (CSV, XLSX and ODS) for officials who work in Excel or LibreOffice:
one writer, with formula defusing, for every export of the portal.

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

Each cell has a kind (``Kind``: text, a plain number such as an id or a year, a count, an
amount, a date, a date and time), and the kind decides how the cell is shown (``FORMATS``):
an amount (PLN) with its digits grouped by thousands and two decimals, a count grouped and
whole, an id or a year as bare digits, a date as ``yyyy-mm-dd``. A spreadsheet program shows
the grouping and the decimal sign of the reader's locale ("41 250 000,50" in Polish Excel or
LibreOffice). The kind is read from the value's type (``cell_kind``: an ``int`` is a plain
number, a ``Decimal`` a measured value, shown as a count when whole and as an amount
otherwise), unless the row gives it (``amount()``, ``count()``), as a column mixing counts
and amounts must.

XLSX (openpyxl) and ODS (odfdo, for the documents of documents.office) are laid out by one
rule (``sheet_layout``): the same cells and kinds, each column as wide as its header and
content ask (``MIN_WIDTH`` to ``MAX_WIDTH`` characters, counted as shown), the header row
frozen (it stays in view when scrolling) and, in ODS, the first row of the table's header
rows (repeated on every printed page; documents.office asks XLSX for the same).
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import odfdo
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
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
# A column's width, in characters: enough for a short header, not wider than a screen.
MIN_WIDTH, MAX_WIDTH = 8, 60
# An ODS column's width per character, in centimetres: what LibreOffice makes of one character
# of an XLSX column's width, so that both files open with the same columns.
ODS_CHARACTER_CM = 0.247

Cell = str | int | Decimal | dt.datetime | dt.date


class Kind(enum.Enum):
    """What a cell holds, which decides how a spreadsheet shows it (``FORMATS``)."""

    TEXT = "text"
    #: An id, a row's number (Lp.), an action's number, a year: bare digits ("2024").
    NUMBER = "number"
    #: How many of something: whole, grouped by thousands ("1 250").
    COUNT = "count"
    #: Money (PLN): grouped by thousands, two decimals ("41 250 000,50").
    AMOUNT = "amount"
    #: A measured value (an indicator's): shown as a count when whole, as an amount otherwise.
    VALUE = "value"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Format:
    """How a number or a date is shown, as both XLSX's format code (``xlsx``) and ODS's data
    style (``ods_style``) say it: a number's decimals and grouping by thousands; a date with
    or without its time (``time`` is None for a number)."""

    decimals: int = 0
    grouping: bool = False
    time: bool | None = None

    @property
    def xlsx(self) -> str:
        if self.time is not None:
            return DATETIME_FORMAT if self.time else DATE_FORMAT
        whole = "#,##0" if self.grouping else "0"
        return f"{whole}.{'0' * self.decimals}" if self.decimals else whole

    def ods_style(self, name: str) -> str:
        if self.time is None:
            return (
                f'<number:number-style style:name="{name}"><number:number'
                f' number:decimal-places="{self.decimals}"'
                f' number:min-decimal-places="{self.decimals}" number:min-integer-digits="1"'
                f' number:grouping="{str(self.grouping).lower()}"/></number:number-style>'
            )
        parts = ["year", "-", "month", "-", "day"]
        if self.time:
            parts += [" ", "hours", ":", "minutes"]
        return (
            f'<number:date-style style:name="{name}">'
            + "".join(
                f'<number:{part} number:style="long"/>'
                if part.isalpha()
                else f"<number:text>{part}</number:text>"
                for part in parts
            )
            + "</number:date-style>"
        )

    def shown(self, value: Cell) -> str:
        """The value as the format shows it (grouped by commas), for the column's width."""
        if self.time is not None:
            return "2011-07-12 10:00" if self.time else "2011-07-12"
        return f"{value:{',' if self.grouping else ''}.{self.decimals}f}"


#: The format of each kind of number or date: written once, for XLSX and ODS alike. A date
#: has one of its own because the programs' defaults would show seconds, or midnight.
FORMATS = {
    Kind.NUMBER: Format(),
    Kind.COUNT: Format(grouping=True),
    Kind.AMOUNT: Format(decimals=2, grouping=True),
    Kind.DATE: Format(time=False),
    Kind.DATETIME: Format(time=True),
}


@dataclass(frozen=True)
class Typed:
    """A number given with its kind, where its type does not tell (``amount``, ``count``)."""

    value: int | Decimal
    kind: Kind


def amount(value: Decimal) -> Typed:
    """An amount of money (PLN) as a cell: two decimals, grouped by thousands (in CSV too:
    "1250.50", "0.00")."""
    return Typed(Decimal(value).quantize(Decimal("0.01")), Kind.AMOUNT)


def count(value: int | Decimal) -> Typed:
    """A count as a cell: whole, grouped by thousands."""
    return Typed(value, Kind.COUNT)


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
    """A cell as a spreadsheet stores it: an ``int`` or ``Decimal`` (also ``Typed``) as a
    number, a ``datetime`` as the local time (``local_datetime``), a ``date`` as a date
    (neither is ever a formula; ``bool`` is not a number here), anything else as defused
    text."""
    if isinstance(value, Typed):
        value = value.value
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


def cell_kind(value: object) -> Kind:
    """The kind of a cell (``Typed``, or as ``cell_value`` stores it): its own when it is
    ``Typed``, else read from its type; a measured value (``Kind.VALUE``) is a count when
    whole and an amount otherwise."""
    if isinstance(value, Typed):
        kind, number = value.kind, value.value
    elif isinstance(value, bool | str):
        return Kind.TEXT
    elif isinstance(value, int):
        return Kind.NUMBER
    elif isinstance(value, Decimal):
        kind, number = Kind.VALUE, value
    elif isinstance(value, dt.datetime):
        return Kind.DATETIME
    elif isinstance(value, dt.date):
        return Kind.DATE
    else:
        return Kind.TEXT
    if kind is Kind.VALUE:
        return Kind.COUNT if number == int(number) else Kind.AMOUNT
    return kind


def _text_width(value: Cell, kind: Kind = Kind.TEXT) -> int:
    shown = FORMATS[kind].shown(value) if kind in FORMATS else str(value)
    return max(len(line) for line in shown.split("\n"))


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


@dataclass(frozen=True)
class SheetLayout:
    """A table as both spreadsheet writers lay it out: the header's defused texts, each row's
    cells as stored (``cell_value``) with their kinds (``cell_kind``), and each column's
    width in characters."""

    header: list[str]
    rows: list[list[tuple[Cell, Kind]]]
    widths: list[int]


def sheet_layout(
    *, columns: Sequence[object], rows: Iterable[Sequence[object]], dates: Collection[int] = ()
) -> SheetLayout:
    """The table's cells and columns (``SheetLayout``): the text cells of the columns at the
    positions ``dates``, which hold dates or times as CSV writes them, read back as such;
    each column as wide as its header and its longest line as shown (``Format.shown``), from
    ``MIN_WIDTH`` to ``MAX_WIDTH``."""
    header = [safe(column) for column in columns]
    widths = [_text_width(text) for text in header]
    cells = []
    for row in rows:
        values = [
            _parsed_date(value) if position in dates else value
            for position, value in enumerate(row)
        ]
        line = [(cell_value(value), cell_kind(value)) for value in values]
        cells.append(line)
        for position, (value, kind) in enumerate(line[: len(widths)]):
            widths[position] = max(widths[position], _text_width(value, kind))
    return SheetLayout(
        header, cells, [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]
    )


def xlsx_workbook(
    *,
    columns: Sequence[object],
    rows: Iterable[Sequence[object]],
    sheet: str,
    dates: Collection[int] = (),
) -> Workbook:
    """The table (``sheet_layout``) as a workbook of one sheet, its header the first row,
    frozen (documents.office sets the properties of the portal's documents on it before
    saving): numbers, dates and times stored as such, each shown in its kind's format
    (``FORMATS``), each column as wide as the layout says."""
    layout = sheet_layout(columns=columns, rows=rows, dates=dates)
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = str(sheet)[:31]
    worksheet.append(layout.header)
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for line in layout.rows:
        worksheet.append([value for value, _kind in line])
        for position, (value, kind) in enumerate(line, start=1):
            if kind in FORMATS:
                cell = worksheet.cell(row=worksheet.max_row, column=position)
                cell.number_format = FORMATS[kind].xlsx
            elif isinstance(value, str) and "\n" in value:
                # Excel shows a cell's line breaks only when it wraps.
                cell = worksheet.cell(row=worksheet.max_row, column=position)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for position, width in enumerate(layout.widths, start=1):
        worksheet.column_dimensions[get_column_letter(position)].width = width
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


# --- ODS -------------------------------------------------------------------------------------

# The names of the ODS styles this writer adds (a prefix of their own, not to meet the
# template's).
_ODS_DATA_STYLE, _ODS_CELL_STYLE, _ODS_COLUMN_STYLE = "PortalData", "PortalCell", "PortalColumn"
# Freezes the first row of a sheet, as LibreOffice writes it (settings.xml: the view of the
# sheet split under row 1, the cursor in the lower part).
_ODS_FROZEN_HEADER = {
    "HorizontalSplitMode": ("short", 0),
    "VerticalSplitMode": ("short", 2),
    "HorizontalSplitPosition": ("int", 0),
    "VerticalSplitPosition": ("int", 1),
    "ActiveSplitRange": ("short", 2),
    "PositionLeft": ("int", 0),
    "PositionRight": ("int", 0),
    "PositionTop": ("int", 0),
    "PositionBottom": ("int", 1),
    "CursorPositionX": ("int", 0),
    "CursorPositionY": ("int", 1),
}


def _ods_styles(document: odfdo.Document, layout: SheetLayout) -> None:
    """The data and cell style of each kind (``FORMATS``) and the style of each column's
    width, as automatic styles of the document's content."""
    for kind, format_ in FORMATS.items():
        data = f"{_ODS_DATA_STYLE}-{kind.value}"
        document.insert_style(format_.ods_style(data), automatic=True)
        document.insert_style(
            f'<style:style style:name="{_ODS_CELL_STYLE}-{kind.value}"'
            f' style:family="table-cell" style:data-style-name="{data}"/>',
            automatic=True,
        )
    for position, width in enumerate(layout.widths, start=1):
        document.insert_style(
            f'<style:style style:name="{_ODS_COLUMN_STYLE}{position}"'
            ' style:family="table-column"><style:table-column-properties'
            f' style:column-width="{width * ODS_CHARACTER_CM:.3f}cm"/></style:style>',
            automatic=True,
        )


def _ods_freeze_header(document: odfdo.Document, name: str) -> None:
    """The sheet ``name`` opens as the active sheet with its first row frozen: the view
    settings the template keeps for its own sheet (grid, zoom), renamed, with the split."""
    settings = document.settings
    entry = settings.get_element(
        "//config:config-item-map-named[@config:name='Tables']/config:config-item-map-entry"
    )
    active = settings.get_element("//config:config-item[@config:name='ActiveTable']")
    assert entry is not None and active is not None
    entry.set_attribute("config:name", name)
    for item in entry.get_elements("config:config-item"):
        if item.get_attribute("config:name") in _ODS_FROZEN_HEADER:
            entry.delete(item)
    for item_name, (config_type, value) in _ODS_FROZEN_HEADER.items():
        entry.append(odfdo.ConfigItem(item_name, config_type, value))
    active.text = name


def ods_sheet(
    document: odfdo.Document,
    *,
    columns: Sequence[object],
    rows: Iterable[Sequence[object]],
    sheet: str,
    dates: Collection[int] = (),
) -> odfdo.Table:
    """The table (``sheet_layout``, as ``xlsx_workbook`` lays it out) as a sheet of the
    spreadsheet ``document``: its header the table's header rows (repeated on every printed
    page) and frozen, numbers, dates and times stored as such and shown in their kind's format
    (``FORMATS``), each column as wide as the layout says."""
    layout = sheet_layout(columns=columns, rows=rows, dates=dates)
    _ods_styles(document, layout)
    name = strip_bidi(str(sheet))[:31]
    table = odfdo.Table(name)
    for position in range(1, len(layout.widths) + 1):
        table.append(odfdo.Column(style=f"{_ODS_COLUMN_STYLE}{position}"))
    header = odfdo.HeaderRows()
    header_row = odfdo.Row()
    for text in layout.header:
        header_row.append(odfdo.Cell(text))
    header.append(header_row)
    table.append(header)
    for line in layout.rows:
        row = odfdo.Row()
        for value, kind in line:
            style = f"{_ODS_CELL_STYLE}-{kind.value}" if kind in FORMATS else None
            row.append(odfdo.Cell(value, style=style))
        table.append(row)
    document.body.append(table)
    _ods_freeze_header(document, name)
    return table
