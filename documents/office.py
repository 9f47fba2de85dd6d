"""What the portal's editable files share, written once for their three builders (the
comment table, the consultation report and the implementation report): ODT and ODS (odfdo),
DOCX (python-docx) and XLSX (core.spreadsheets, openpyxl).

- The document's language is the active one (``language_tag``: pl-PL, en-GB), so that Word
  and LibreOffice spell-check the text in the language it is written in (odfdo's template
  says French, python-docx's American English).
- The pages are A4, portrait or landscape (python-docx's template is US Letter), with a
  "Page X of Y" footer in the document's language, as the PDFs have (pdf/render.py).
- The properties name the document (the PDF's title), its author (the PDF's: the
  coordinating team, ``PORTAL_CONTACT_NAME``), the portal (its name) and the language.
- A table's first row is its header, repeated on every page (on every printed page of a
  spreadsheet).
- An unpublished document (``Meta.draft``, decided where its PDF decides on the DRAFT
  watermark) says so: a first line in a text document, its sheet's name and printed header
  in a spreadsheet, and its title in the properties of both.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import docx
import odfdo
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor, Twips
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from core import spreadsheets
from core.text import strip_bidi

T = TypeVar("T")

#: The language tags of the portal's languages (settings.LANGUAGES); the English is British.
LANGUAGE_TAGS = {"pl": "pl-PL", "en": "en-GB"}

# A4 in twentieths of a point (DOCX) and centimetres (ODF).
A4_TWIPS = (11906, 16838)
A4_CM = ("21cm", "29.7cm")

DRAFT_STYLE = "PortalDraftMark"
DRAFT_COLOUR = "a00000"


def language_tag(code: str | None = None) -> str:
    """The language tag (RFC 3066) of a language code, by default the active language's."""
    code = code or translation.get_language() or settings.LANGUAGE_CODE
    return LANGUAGE_TAGS.get(code, code)


@dataclass(frozen=True)
class Meta:
    """What a document's builder tells the shared parts: its title (the PDF's), whether it is
    still a draft, and its language (the active one when the Meta is made)."""

    title: str
    draft: bool = False
    language: str = field(default_factory=language_tag)

    @property
    def shown_title(self) -> str:
        """The title of the document's properties, marked while it is a draft."""
        return draft_name(self.title) if self.draft else self.title


def draft_line() -> str:
    return _("DRAFT – document before publication")


def draft_name(name: str) -> str:
    return _("DRAFT – %(name)s") % {"name": name}


def _author() -> str:
    # The PDFs' author (pdf.render.document_html).
    return settings.PORTAL_CONTACT_NAME


def _portal() -> str:
    # The portal's name as its pages show it (templates/base.html), which the Site's name
    # (krakow_ngo.apps.SITE_NAME) is too: read without a query, so that making a file costs
    # the same queries the first time in a process as later.
    return _("Kraków NGO")


# Where the page's number and the number of pages go in the footer's text.
PAGE, PAGES = "\x00page\x00", "\x00pages\x00"


def _footer_pieces() -> list[str]:
    """The PDFs' "Page X of Y" (pdf.render.page_footer_css) in the active language, split
    into its text and the two numbers, ``PAGE`` and ``PAGES``, for a field each."""
    text = _("Page %(page)s of %(pages)s") % {"page": PAGE, "pages": PAGES}
    return [piece for piece in re.split(f"({PAGE}|{PAGES})", text) if piece]


# --- OpenDocument (ODT, ODS) -----------------------------------------------------------------


def _odf_document(kind: str, meta: Meta) -> odfdo.Document:
    document = odfdo.Document(kind)
    document.body.clear()
    # The default styles' language (fo:language, fo:country) and the meta's dc:language.
    document.set_language(meta.language)
    now = timezone.localtime().replace(tzinfo=None)  # local time, as LibreOffice writes it
    properties = document.meta
    properties.set_title(strip_bidi(meta.shown_title))
    properties.set_initial_creator(_author())
    properties.set_creator(_author())
    properties.set_description(_portal())
    properties.set_generator(_portal())
    properties.set_creation_date(now)
    properties.set_modification_date(now)
    footer = odfdo.Paragraph()
    for piece in _footer_pieces():
        if piece == PAGE:
            footer.append(odfdo.VarPageNumber(select_page="current"))
        elif piece == PAGES:
            footer.append(odfdo.VarPageCount())
        else:
            footer.append(piece)
    for master in document.get_styles("master-page"):
        assert isinstance(master, odfdo.StyleMasterPage)
        master.set_page_footer(footer.clone)
    return document


def odt_document(meta: Meta, *, landscape: bool = False) -> odfdo.Document:
    """A text document on A4 pages, with the shared properties and footer, opened by the
    draft line while the document is a draft."""
    document = _odf_document("text", meta)
    width, height = reversed(A4_CM) if landscape else A4_CM
    for layout in document.get_styles("page-layout"):
        properties = layout.get_element("style:page-layout-properties")
        assert properties is not None
        properties.set_attribute("fo:page-width", width)
        properties.set_attribute("fo:page-height", height)
        properties.set_attribute(
            "style:print-orientation", "landscape" if landscape else "portrait"
        )
        footer_style = layout.get_element("style:footer-style")
        if (
            footer_style is not None
            and footer_style.get_element("style:header-footer-properties") is None
        ):
            footer_style.append(
                odfdo.Element.from_tag(
                    '<style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.4cm"/>'
                )
            )
    if meta.draft:
        document.insert_style(
            odfdo.Style(
                "paragraph", name=DRAFT_STYLE, area="text", bold=True, color=f"#{DRAFT_COLOUR}"
            ),
            automatic=True,
        )
        document.body.append(odfdo.Paragraph(draft_line(), style=DRAFT_STYLE))
    return document


def odf_table(
    name: str, rows: Sequence[Sequence[T]], cell: Callable[[T], odfdo.Cell]
) -> odfdo.Table:
    """A table whose first row is its header (table:table-header-rows: repeated on every
    page), the cells made by ``cell``."""

    def row(values: Sequence[T]) -> odfdo.Row:
        made = odfdo.Row()
        for value in values:
            made.append(cell(value))
        return made

    table = odfdo.Table(strip_bidi(name)[:31])
    header = odfdo.HeaderRows()
    header.append(row(rows[0]))
    table.append(header)
    for values in rows[1:]:
        table.append(row(values))
    return table


def odf_bytes(document: odfdo.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def sheet_name(meta: Meta, sheet: str) -> str:
    """A sheet's name, marked while the document is a draft (at most 31 characters, as
    Excel allows)."""
    return (draft_name(sheet) if meta.draft else sheet)[:31]


def ods_content(
    meta: Meta, *, sheet: str, columns: Sequence[object], rows: Sequence[Sequence[object]]
) -> bytes:
    """A table as a spreadsheet of one sheet, laid out as its XLSX (core.spreadsheets.ods_sheet:
    its header row first and frozen, whole numbers and decimals as numbers, dates and times
    as dates (Warsaw time), each shown in its kind's format, text defused as in CSV, columns
    sized), with the shared properties."""
    document = _odf_document("spreadsheet", meta)
    spreadsheets.ods_sheet(document, columns=columns, rows=rows, sheet=sheet_name(meta, sheet))
    return odf_bytes(document)


# --- XLSX ------------------------------------------------------------------------------------


def xlsx_content(
    meta: Meta, *, sheet: str, columns: Sequence[object], rows: Sequence[Sequence[object]]
) -> bytes:
    """A table as an XLSX workbook of one sheet (core.spreadsheets: numbers as numbers, dates
    as dates, text defused, columns sized, the header row frozen), with the shared
    properties; its header row printed on every page."""
    workbook = spreadsheets.xlsx_workbook(columns=columns, rows=rows, sheet=sheet_name(meta, sheet))
    properties = workbook.properties
    properties.title = strip_bidi(meta.shown_title)
    properties.creator = properties.lastModifiedBy = _author()
    properties.description = _portal()
    properties.language = meta.language
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.print_title_rows = "1:1"
    if meta.draft:
        worksheet.oddHeader.center.text = draft_line()
    return spreadsheets.xlsx_bytes(workbook)


# --- DOCX ------------------------------------------------------------------------------------


def _docx_field(paragraph: DocxParagraph, instruction: str) -> None:
    """A field (PAGE, NUMPAGES) that Word and LibreOffice compute when they lay out pages,
    each of its parts in a run of its own, as Word writes them."""

    def mark(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    mark("begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    mark("separate")
    paragraph.add_run("1")  # shown until the field is first computed
    mark("end")


def docx_document(meta: Meta, *, landscape: bool = False) -> DocxDocument:
    """A Word document on A4 pages in the document's language, with the shared properties
    and footer, opened by the draft line while the document is a draft."""
    document = docx.Document()
    # The default run language of every style (python-docx's template: en-US).
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    for lang in defaults.iter(qn("w:lang")):
        lang.set(qn("w:val"), meta.language)
    properties = document.core_properties
    properties.title = strip_bidi(meta.shown_title)
    properties.author = properties.last_modified_by = _author()
    properties.comments = _portal()  # dc:description; python-docx's says "generated by …"
    properties.language = meta.language
    properties.created = properties.modified = timezone.now()
    properties.revision = 1
    section = document.sections[0]
    width, height = map(Twips, reversed(A4_TWIPS) if landscape else A4_TWIPS)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in _footer_pieces():
        if piece == PAGE:
            _docx_field(footer, "PAGE")
        elif piece == PAGES:
            _docx_field(footer, "NUMPAGES")
        else:
            footer.add_run(piece)
    if meta.draft:
        run = document.add_paragraph().add_run(draft_line())
        run.bold = True
        run.font.color.rgb = RGBColor.from_string(DRAFT_COLOUR.upper())
    return document


def docx_table(document: DocxDocument, rows: Sequence[Sequence[object]]) -> DocxTable:
    """A table with a grid, whose first row is its header (w:tblHeader: repeated on every
    page)."""
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = strip_bidi(str(value))
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    return table


def docx_bytes(document: DocxDocument) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
