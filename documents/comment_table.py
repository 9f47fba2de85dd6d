"""The comment table (tabela uwag): one row model, built once per request from the report's
comments, that every format renders — the HTML page, CSV (core.spreadsheets), XLSX, ODS, ODT
and DOCX (documents.office: A4 landscape, the header row on every page, a DRAFT line until the
report is published, ``is_draft``) and the tagged PDF (pdf/render.py).

One row per counted comment, so that "Lp." is the comment's number in every format and a
spreadsheet can be sorted and filtered. A comment's replies are a sub-list in its "Treść
uwagi" cell (each "↳ who: text"); the organisations that support it close its
"Zgłaszający" cell ("Poparcie: Org A, Org B"), under the registration number and channel.
A hidden comment or reply shows the moderators' reason (``Comment.report_text``)."""

from __future__ import annotations

from dataclasses import dataclass

import odfdo
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations import selectors
from consultations.models import Comment, Round
from consultations.phases import Feature, phase_opens
from core import spreadsheets
from core.languages import of_record, record_language
from core.text import strip_bidi
from pdf import cache as pdf_cache
from pdf import render as pdf_render

from . import office

COLUMNS = [
    gettext_lazy("No."),
    gettext_lazy("Submitter"),
    gettext_lazy("Drafting unit"),
    gettext_lazy("Current wording"),
    gettext_lazy("Comment / proposed wording"),
    gettext_lazy("Justification of the comment"),
    gettext_lazy("Disposition"),
    gettext_lazy("Justification of the position"),
]

# The files of the table besides the PDF, in the order the page offers them.
FORMATS = ("odt", "docx", "xlsx", "ods", "csv")

ODT_TYPE = "application/vnd.oasis.opendocument.text"
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Reply:
    author: str
    text: str


@dataclass(frozen=True)
class Row:
    number: int
    pk: int
    author: str
    registration_number: str
    channel: str
    late: bool
    supports: list[str]
    unit: str
    current_wording: str
    text: str
    proposed_wording: str
    replies: list[Reply]
    submitter_justification: str
    disposition: str
    justification: str
    hidden: bool = False

    @property
    def submitter(self) -> str:
        lines = [self.author, f"{self.registration_number} · {self.channel}".strip(" ·")]
        if self.late:
            lines.append(_("received late"))
        if self.supports:
            lines.append(_("Supported by: %(names)s") % {"names": ", ".join(self.supports)})
        return "\n".join(lines)

    @property
    def comment(self) -> str:
        lines = [self.text]
        if self.proposed_wording:
            lines.append(_("Proposed wording: %(text)s") % {"text": self.proposed_wording})
        if self.replies:
            lines.append(_("Replies:"))
            lines.extend(f"↳ {reply.author}: {reply.text}" for reply in self.replies)
        return "\n".join(lines)

    def cells(self) -> list[str]:
        """The row's eight cells as text, in the order of ``COLUMNS``."""
        return [
            str(self.number),
            self.submitter,
            self.unit,
            self.current_wording,
            self.comment,
            self.submitter_justification,
            self.disposition,
            self.justification,
        ]


def _current_wording(comment: Comment) -> str:
    if comment.paragraph_uid:
        return comment.unit_wording
    if comment.swot_entry is not None:
        return comment.swot_entry.text
    if comment.goal is not None:
        return comment.goal.title
    if comment.action is not None:
        return comment.action.text
    return ""


def comment_table_rows(round_: Round) -> list[Row]:
    """The table's rows: the report's comments in the report's order, with their replies
    (not withdrawn) and supports, in a fixed number of queries whatever their number."""
    replies = (
        Comment.objects.filter(withdrawn_at=None)
        .select_related("author", "organisation")
        .order_by("created_at", "pk")
    )
    comments = (
        selectors.report_comments(round_)
        .select_related("round__draft_version", "paragraph_version")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="table_replies"))
    )
    return [
        Row(
            number=number,
            pk=comment.pk,
            author=comment.author_label,
            registration_number=comment.registration_number or "",
            channel=str(comment.get_channel_display()),
            late=comment.is_late,
            supports=[support.organisation.name for support in comment.supports.all()],
            unit=comment.item_label_of_record,
            current_wording=_current_wording(comment),
            text=comment.report_text,
            proposed_wording=comment.report_proposed_wording,
            replies=[
                Reply(author=reply.author_label, text=reply.report_text)
                for reply in comment.table_replies
            ],
            submitter_justification="" if comment.is_hidden else comment.submitter_justification,
            disposition=str(comment.get_disposition_display()),
            justification=comment.justification,
            hidden=comment.is_hidden,
        )
        for number, comment in enumerate(comments, start=1)
    ]


def _filename(round_: Round, ext: str) -> str:
    return f"consultation-{round_.pk}-comment-table.{ext}"


@dataclass(frozen=True)
class Download:
    """A file as it is offered for download; frozen at publication as these bytes
    (documents.publications)."""

    content: bytes
    content_type: str
    filename: str

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        return response


def _spreadsheet_rows(rows: list[Row]) -> list[list[object]]:
    """The rows with "No." as a number (a spreadsheet sorts 2 before 10), the rest as text."""
    return [[row.number, *row.cells()[1:]] for row in rows]


def _odt_cell(text: str) -> odfdo.Cell:
    cell = odfdo.Cell()
    for line in text.split("\n"):
        cell.append(odfdo.Paragraph(strip_bidi(line)))
    return cell


def _meta(round_: Round) -> office.Meta:
    return office.Meta(_title(round_), draft=is_draft(round_))


def ods_content(round_: Round, rows: list[Row]) -> bytes:
    return office.ods_content(
        _meta(round_), sheet=_("Comments"), columns=COLUMNS, rows=_spreadsheet_rows(rows)
    )


def xlsx_content(round_: Round, rows: list[Row]) -> bytes:
    return office.xlsx_content(
        _meta(round_), sheet=_("Comments"), columns=COLUMNS, rows=_spreadsheet_rows(rows)
    )


def odt_content(round_: Round, rows: list[Row]) -> bytes:
    document = office.odt_document(_meta(round_), landscape=True)
    document.body.append(odfdo.Header(1, strip_bidi(_title(round_))))
    cells = [[str(c) for c in COLUMNS], *(row.cells() for row in rows)]
    document.body.append(office.odf_table(_("Comments"), cells, _odt_cell))
    return office.odf_bytes(document)


def docx_content(round_: Round, rows: list[Row]) -> bytes:
    document = office.docx_document(_meta(round_), landscape=True)
    document.add_heading(strip_bidi(_title(round_)), level=1)
    office.docx_table(document, [[str(c) for c in COLUMNS], *(row.cells() for row in rows)])
    return office.docx_bytes(document)


def _title(round_: Round) -> str:
    return f"{_('Comment table')} – {round_.title}"


def is_draft(round_: Round) -> bool:
    """Whether the round's report, and so its comment table, is still unpublished: its PDFs
    carry the DRAFT watermark (pdf/base.html) and its editable files the DRAFT line
    (documents.office), until the report is published."""
    return not phase_opens(round_, Feature.REPORT)


@pdf_cache.pdf_document
def comment_table_document(object_id: str) -> pdf_render.PdfDocument:
    """The comment table as a tagged PDF (PDF/UA, like every document of the portal), on
    landscape pages; a DRAFT mark until the report is published."""
    round_ = Round.objects.select_related("programme").get(pk=int(object_id))
    language = record_language()
    with translation.override(language):
        rows = comment_table_rows(round_)
        return pdf_render.PdfDocument(
            template_name="pdf/comment_table.html",
            context={
                "title": round_.title,
                "columns": [str(c) for c in COLUMNS],
                "table_rows": [row.cells() for row in rows],
            },
            title=_title(round_),
            filename=_filename(round_, "pdf"),
            language=language,
            draft=is_draft(round_),
        )


def frozen_name(ext: str, dialect: str = "") -> str:
    """The name a published table's file is frozen under (``PublicationFile.name``): one per
    format, and one per CSV dialect (core.spreadsheets)."""
    return f"comment-table.{dialect}.{ext}" if dialect else f"comment-table.{ext}"


def table_file(round_: Round, ext: str, dialect: str = "") -> Download:
    """The table as a file in the portal's language (the headers officials expect); CSV in
    the given dialect (core.spreadsheets.CSV_DIALECTS)."""
    with of_record():
        rows = comment_table_rows(round_)
        filename = _filename(round_, ext)
        if ext == "csv":
            return Download(
                spreadsheets.csv_content(
                    columns=COLUMNS, rows=_spreadsheet_rows(rows), dialect=dialect
                ),
                spreadsheets.CSV_TYPE,
                filename,
            )
        if ext == "xlsx":
            return Download(xlsx_content(round_, rows), spreadsheets.XLSX_TYPE, filename)
        if ext == "ods":
            return Download(ods_content(round_, rows), ODS_TYPE, filename)
        if ext == "odt":
            return Download(odt_content(round_, rows), ODT_TYPE, filename)
        return Download(docx_content(round_, rows), DOCX_TYPE, filename)
