"""The consultation report (raport z konsultacji): its content built once, as a list of
sections (a heading, paragraphs, an optional table whose cells may be links), which the ODT,
DOCX and tagged PDF (documents.programme.round_report_document) render, and the HTML page
the parts it does not draw itself (``page_sections``) — the heading and legal basis, the
goal and subject, the forms used with their dates, places and attendance, where the
announcement was published, the statistics (by channel, disposition, organisation and item),
the coordinating team's synthesis, the full comment table (documents/comment_table.py), the
reason for departing from Kraków's rules, the changes made to the draft because of the
comments, and the annexes. The synthesis is written on the settle page until the report is
published (``synthesis_save``, with its version token)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import odfdo
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from consultations import rules, selectors
from consultations.audit import ConsultationsAudit
from consultations.models import Comment, Disposition, Round, paragraph_labels
from consultations.phases import Feature, Phase, phase_of, phase_opens, reached
from core.audit import audit_record
from core.errors import ConflictError, Refused
from core.languages import of_record
from core.site import absolute
from core.text import strip_bidi
from drafts import services as draft_services
from drafts.models import ProgrammeDraft
from teams.permissions import AnyUser, is_coordinator

from . import comment_table, office

LEGAL_BASIS = (
    "art. 5 ust. 5 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego"
    " i o wolontariacie"
)

# The report's editable text documents, in the order the report page offers them.
FORMATS = ("odt", "docx")


@dataclass(frozen=True)
class Link:
    """A table cell that links somewhere: a recorded web page, a comparison of versions, an
    annex. Every format shows its address (a printed report is read on paper too)."""

    text: str
    url: str

    @property
    def label(self) -> str:
        return self.text if self.text == self.url else f"{self.text}: {self.url}"

    def __str__(self) -> str:
        return self.label


Cell = str | Link


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[Sequence[Cell]] = field(default_factory=list)
    #: Names a section the formats treat apart (the PDF puts the comment table on landscape
    #: pages; the HTML page draws the ones ``page_sections`` names from here).
    key: str = ""


def _date(value: object) -> str:
    return formats.date_format(timezone.localtime(value), "j E Y, H:i")  # type: ignore[arg-type]


def _day(value: dt.date) -> str:
    return formats.date_format(value, "j E Y")


# The only links the report makes (the model's WEB_LINK checks what is recorded).
WEB_SCHEMES = ("http://", "https://")


def _announcement(round_: Round) -> Section:
    places = list(round_.announcement_places.all())
    return Section(
        key="announcement",
        heading=_("Where the announcement was published"),
        paragraphs=[] if places else [_("No place of publication is recorded.")],
        columns=[_("Where"), _("Link"), _("Date published")] if places else [],
        rows=[
            [
                " – ".join(p for p in (str(place.get_kind_display()), place.details) if p),
                Link(place.url, place.url) if place.url.startswith(WEB_SCHEMES) else place.url,
                _day(place.published_on),
            ]
            for place in places
        ],
    )


def _in_version(label: str, number: int) -> str:
    return _("%(paragraph)s (version %(number)s)") % {"paragraph": label, "number": number}


def _changes(round_: Round) -> Section:
    """Each paragraph of a later version of the draft that cites comments of this round
    (``Comment.draft_paragraphs``, frozen in each version's snapshot as ``answers``), once per
    paragraph and comment: where, which comments, and the comparison of that version with
    the consulted one (or, for a round that consulted no version, with the one before). Then
    the paragraphs of the working copy that cite comments no published version cites yet:
    changed, not yet published (the report is frozen when it is published, so it says what
    stood then). Accepted comments that no paragraph cites are named as still to be made,
    never reported as "no changes"."""
    heading = _("Changes made to the draft because of comments")
    draft = ProgrammeDraft.objects.filter(programme_id=round_.programme_id).first()
    versions = list(draft.versions.order_by("number")) if draft is not None else []
    consulted = round_.draft_version
    comments = Comment.objects.filter(round=round_)
    numbers = {
        pk: number or f"#{pk}" for pk, number in comments.values_list("pk", "registration_number")
    }
    seen: dict[str, set[int]] = {}
    rows: list[Sequence[Cell]] = []

    def cite(snapshot: dict[str, Any], unit: Callable[[str], str], comparison: Cell) -> None:
        labels = paragraph_labels(snapshot)
        for chapter in snapshot.get("sections", []):
            for paragraph in chapter.get("paragraphs", []):
                cited = {a["id"] for a in paragraph.get("answers", []) if a["id"] in numbers}
                new = cited - seen.setdefault(paragraph["uid"], set())
                if not new:
                    continue
                seen[paragraph["uid"]] |= new
                where = unit(labels[str(paragraph["uid"])])
                rows.append([where, ", ".join(numbers[pk] for pk in sorted(new)), comparison])

    for index, version in enumerate(versions):
        if consulted is not None and version.number <= consulted.number:
            continue
        base = consulted or (versions[index - 1] if index else None)
        comparison: Cell = ""
        if base is not None:
            path = reverse("drafts:version-compare", args=[version.draft_id])
            comparison = Link(
                _("Version %(old)s compared with version %(new)s")
                % {"old": base.number, "new": version.number},
                absolute(f"{path}?old={base.pk}&new={version.pk}"),
            )
        cite(
            version.snapshot,
            partial(_in_version, number=version.number),
            comparison,
        )
    if draft is not None:
        cite(
            draft_services.draft_snapshot(draft),
            lambda label: _("%(paragraph)s (working copy)") % {"paragraph": label},
            _("Not yet in a published version"),
        )
    cited = set().union(*seen.values())
    pending = sorted(
        numbers[pk]
        for pk in comments.counted()
        .filter(disposition__in=(Disposition.ACCEPTED, Disposition.PARTLY_ACCEPTED))
        .values_list("pk", flat=True)
        if pk not in cited
    )
    paragraphs = []
    if pending:
        paragraphs.append(
            _(
                "Comments accepted in whole or in part whose changes are not yet in the draft: "
                "%(numbers)s."
            )
            % {"numbers": ", ".join(pending)}
        )
    if not rows:
        if not pending:
            paragraphs.append(_("No changes were made to the draft because of the comments."))
        return Section(key="changes", heading=heading, paragraphs=paragraphs)
    return Section(
        key="changes",
        heading=heading,
        paragraphs=paragraphs,
        columns=[_("Drafting unit"), _("Comments"), _("Comparison of the versions")],
        rows=rows,
    )


def _annexes(round_: Round) -> Section:
    """The KRDPP opinion and the minutes of the open meetings, with links to their files."""
    annexes = list(round_.annexes.select_related("event"))
    return Section(
        key="annexes",
        heading=_("Annexes"),
        paragraphs=[] if annexes else [_("The report has no annexes.")],
        columns=[_("Annex"), _("File")] if annexes else [],
        rows=[
            [
                annex.label,
                Link(
                    _("Download (PDF)"),
                    absolute(reverse("consultations:annex-file", args=[annex.pk])),
                ),
            ]
            for annex in annexes
        ],
    )


# The sections the report page shows as this builder gives them: before its statistics
# ("head", in its part about the consultation) and after its list of comments ("tail"); the
# page draws the consultation, statistics and comments in its own way.
def _page_builders() -> dict[str, list[Callable[[Round], Section]]]:
    return {"head": [_legal_basis, _announcement], "tail": [_changes, _annexes]}


def legal_basis(round_: Round) -> str:
    """The act and the city's consultation rules in force when the round opened."""
    return f"{LEGAL_BASIS}; {rules.rules_resolution(round_.opens_at)}"


def _legal_basis(round_: Round) -> Section:
    return Section(key="legal_basis", heading=_("Legal basis"), paragraphs=[legal_basis(round_)])


def page_sections(round_: Round, part: str) -> list[Section]:
    """The report page's sections from this builder in one part of the page, in the
    report's order."""
    return [build(round_) for build in _page_builders()[part]]


def _closed_early(round_: Round) -> list[str]:
    """The announced deadline and the reason of a round closed before it (services.round_close),
    as the announcement on the round page says them."""
    if round_.announced_closes_at is None:
        return []
    said = _("The round closed before its announced deadline (%(announced)s). The reason:")
    return [
        f"{said % {'announced': _date(round_.announced_closes_at)}} {round_.early_close_reason}"
    ]


def _forms(round_: Round) -> Section:
    """The scope and forms announced (``Round.scope_and_forms``, when written), comments on
    the portal (every round has them), then the round's events, if any: the same as the round
    page (consultations/partials/announcement.html, round_events.html)."""
    events = list(round_.events.all())
    return Section(
        heading=_("Forms of consultation"),
        paragraphs=[
            *([round_.scope_and_forms] if round_.scope_and_forms else []),
            _("Comments on the portal, from %(opens)s to %(closes)s.")
            % {"opens": _date(round_.opens_at), "closes": _date(round_.closes_at)},
        ],
        columns=[_("Form"), _("Date"), _("Place"), _("Attendance")] if events else [],
        rows=[
            [
                str(event.get_kind_display()),
                f"{_date(event.starts_at)} – {_date(event.ends_at)}"
                + (
                    f" ({_('after the round closed early')})"
                    if round_.announced_closes_at and event.starts_at > round_.closes_at
                    else ""
                ),
                event.place,
                "" if event.attendance is None else str(event.attendance),
            ]
            for event in events
        ],
    )


def _counts(heading: str, label: str, rows: list[tuple[str, int]]) -> Section:
    return Section(
        heading=heading,
        columns=[label, _("Comments")],
        rows=[[name, str(count)] for name, count in rows],
    )


def report_sections(round_: Round) -> list[Section]:
    """The report's content in the current language, in the order it is read."""
    stats = selectors.report_statistics(round_)
    sections = [
        Section(
            heading=f"{_('Consultation report')} – {round_.title}",
            paragraphs=[
                _("Legal basis: %(law)s.") % {"law": legal_basis(round_)},
                _("Responsible unit: %(office)s.") % {"office": round_.responsible_office},
                _("Consultation from %(opens)s to %(closes)s.")
                % {"opens": _date(round_.opens_at), "closes": _date(round_.closes_at)},
                *_closed_early(round_),
                # The PDF and the text files go round on their own: they say when, as the
                # page does above its table.
                *(
                    [_("Published on %(date)s.") % {"date": _date(round_.report_published_at)}]
                    if round_.report_published_at
                    else []
                ),
            ],
        ),
        Section(
            heading=_("Goal and subject of the consultation"),
            paragraphs=[p for p in (round_.goal, round_.subject) if p],
        ),
        _forms(round_),
        _announcement(round_),
        Section(
            heading=_("Statistics"),
            paragraphs=[
                _(
                    "Comments: %(total)s. Replies: %(replies)s."
                    " Supports from other organisations: %(supports)s."
                )
                % stats
            ],
        ),
        *(
            _counts(heading, label, [(bar.label, bar.count) for bar in stats[key]])
            for heading, label, key in (
                (_("Comments by channel"), _("Channel"), "by_channel"),
                (_("Comments by disposition"), _("Disposition"), "by_disposition"),
                (_("Comments by organisation"), _("Organisation or role"), "by_organisation"),
                (_("Comments by item"), _("Item"), "by_item"),
            )
        ),
        Section(
            heading=_("Synthesis of the comments"),
            paragraphs=[round_.synthesis or _("The coordinating team wrote no synthesis.")],
        ),
        Section(
            key="comment_table",
            heading=_("Comment table"),
            columns=[str(c) for c in comment_table.COLUMNS],
            rows=[row.cells() for row in comment_table.comment_table_rows(round_)],
        ),
    ]
    if round_.rules_override_reason:
        sections.append(
            Section(
                heading=_("Departure from Kraków's rules of consultation"),
                paragraphs=[round_.rules_override_reason],
            )
        )
    # The annexes close the report.
    return [*sections, _changes(round_), _annexes(round_)]


# --- The synthesis ---------------------------------------------------------------------------


def can_edit_synthesis(user: AnyUser, round_: Round) -> bool:
    """The coordinating team, from the round's close until its report is published."""
    return (
        is_coordinator(user)
        and reached(phase_of(round_), Phase.CLOSED)
        and not phase_opens(round_, Feature.REPORT)
    )


def synthesis_refusal() -> str:
    return _("Only the coordinating team writes the synthesis, before the report is published.")


def synthesis_save(*, actor: AnyUser, round_: Round, text: str, version: int) -> None:
    """Save the synthesis written from ``version`` of it. Someone who saved in between wins:
    the save is refused with ConflictError (``current``: the round as stored), nothing is
    overwritten, as settling does with a comment's version."""
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if not can_edit_synthesis(actor, round_):
            raise Refused(synthesis_refusal())
        saved = Round.objects.filter(pk=round_.pk, synthesis_version=version).update(
            synthesis=text,
            synthesis_version=F("synthesis_version") + 1,
            version=F("version") + 1,
        )
        if not saved:
            raise ConflictError(
                _("Someone else saved the synthesis meanwhile; yours was not saved."),
                current=round_,
            )
        audit_record(
            actor=actor,
            action=ConsultationsAudit.ROUND_SYNTHESIS,
            target=round_,
            data={"round": round_.pk, "length": len(text)},
        )


# --- The files -------------------------------------------------------------------------------


def _odt_cell(value: Cell) -> odfdo.Cell:
    cell = odfdo.Cell()
    if isinstance(value, Link):
        paragraph = odfdo.Paragraph()
        paragraph.append(odfdo.Link(value.url, text=strip_bidi(value.label)))
        cell.append(paragraph)
        return cell
    for line in value.split("\n"):
        cell.append(odfdo.Paragraph(strip_bidi(line)))
    return cell


def _meta(sections: list[Section], draft: bool) -> office.Meta:
    return office.Meta(sections[0].heading, draft=draft)


def odt_content(sections: list[Section], *, draft: bool = False) -> bytes:
    """The sections as an ODT (documents.office: A4, the DRAFT line while ``draft``)."""
    document = office.odt_document(_meta(sections, draft))
    for level, section in enumerate(sections):
        document.body.append(odfdo.Header(1 if level == 0 else 2, strip_bidi(section.heading)))
        for paragraph in section.paragraphs:
            for line in paragraph.split("\n"):
                document.body.append(odfdo.Paragraph(strip_bidi(line)))
        if section.columns:
            lines: list[Sequence[Cell]] = [section.columns, *section.rows]
            document.body.append(office.odf_table(section.heading, lines, _odt_cell))
    return office.odf_bytes(document)


def docx_content(sections: list[Section], *, draft: bool = False) -> bytes:
    """The sections as a DOCX (documents.office: A4, the DRAFT line while ``draft``)."""
    document = office.docx_document(_meta(sections, draft))
    for level, section in enumerate(sections):
        document.add_heading(strip_bidi(section.heading), level=1 if level == 0 else 2)
        for paragraph in section.paragraphs:
            document.add_paragraph(strip_bidi(paragraph))
        if section.columns:
            office.docx_table(document, [section.columns, *section.rows])
    return office.docx_bytes(document)


def report_file(round_: Round, ext: str) -> comment_table.Download:
    """The report as an editable text document (ODT or DOCX) in the portal's language, marked
    DRAFT until it is published (as its PDF is)."""
    draft = comment_table.is_draft(round_)
    with of_record():
        sections = report_sections(round_)
        if ext == "odt":
            content, content_type = odt_content(sections, draft=draft), comment_table.ODT_TYPE
        else:
            content, content_type = docx_content(sections, draft=draft), comment_table.DOCX_TYPE
    return comment_table.Download(content, content_type, round_.report_filename(ext))
