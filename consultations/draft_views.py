"""The programme draft's pages: editing the working copy (coordinating team), published
versions and their comparison (public), and the PDFs (the full programme, each consultation
report). Access: published versions are public; the working copy, and everything about it,
is 404 to anyone but the coordinating team.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from actions.selectors import actions_of_meeting
from krakow_ngo import pdf
from krakow_ngo.pdf_views import serve_document
from swot.models import Quadrant, SwotEntry
from teams.http import HtmxRequest
from teams.models import Meeting, User
from teams.permissions import AnyUser, is_active_person, is_coordinator

from . import draft_diff, draft_pdf_stamps, draft_services, selectors
from .access import get_round_for_user
from .draft_forms import CompareForm, LinkForm, ParagraphEditForm, ParagraphForm, PublishForm
from .models import (
    DraftElement,
    DraftParagraph,
    DraftSection,
    DraftVersion,
    ProgrammeDraft,
    Round,
)
from .permissions import can_view_report
from .phases import Feature, phase_opens
from .services import Refused

# --- Access helpers (404 for missing and forbidden alike) ----------------------------------


def can_edit_draft(user: AnyUser) -> bool:
    return is_coordinator(user)


def _editor(request: HttpRequest) -> User:
    """The coordinator at work: every editing view has already asked an access helper below,
    which answers 404 to anyone else."""
    user = request.user
    if not is_active_person(user):
        raise Http404
    return user


def get_draft_to_edit(user: AnyUser, pk: int) -> ProgrammeDraft:
    draft = ProgrammeDraft.objects.select_related("programme").filter(pk=pk).first()
    if draft is None or not can_edit_draft(user):
        raise Http404("No such draft.")
    return draft


def get_paragraph_to_edit(user: AnyUser, pk: int) -> DraftParagraph:
    paragraph = DraftParagraph.objects.select_related("section__draft").filter(pk=pk).first()
    if paragraph is None or not can_edit_draft(user):
        raise Http404("No such paragraph.")
    return paragraph


def get_section_to_edit(user: AnyUser, pk: int) -> DraftSection:
    section = DraftSection.objects.select_related("draft__programme").filter(pk=pk).first()
    if section is None or not can_edit_draft(user):
        raise Http404("No such chapter.")
    return section


def get_version(pk: int) -> DraftVersion:
    """Published versions are public."""
    version = DraftVersion.objects.select_related("draft__programme").filter(pk=pk).first()
    if version is None:
        raise Http404("No such version.")
    return version


# --- Pages ---------------------------------------------------------------------------------


@require_safe
def draft_list(request: HttpRequest) -> HttpResponse:
    drafts = list(ProgrammeDraft.objects.select_related("programme").prefetch_related("versions"))
    for draft in drafts:
        draft.reports = [  # type: ignore[attr-defined]
            round_
            for round_ in Round.objects.filter(programme=draft.programme).order_by("opens_at")
            if phase_opens(round_, Feature.REPORT)
        ]
    return render(
        request,
        "consultations/draft_list.html",
        {"drafts": drafts, "can_edit": can_edit_draft(request.user)},
    )


def _edit_context(draft: ProgrammeDraft) -> dict[str, Any]:
    sections = list(
        draft.sections.order_by("element").prefetch_related(
            "paragraphs", "goals__team", "actions__team"
        )
    )
    programme = draft.programme
    for section in sections:
        section.ordered = sorted(section.paragraphs.all(), key=lambda p: (p.position, p.pk))  # type: ignore[attr-defined]
        section.add_form = ParagraphForm(auto_id=f"id_s{section.pk}_%s")  # type: ignore[attr-defined]
        if section.element == DraftElement.GOALS:
            section.link_form = LinkForm(  # type: ignore[attr-defined]
                auto_id=f"id_s{section.pk}_%s",
                choices=[
                    (str(g.pk), f"{g.team.name}: {g.number}. {g.title}")
                    for g in draft_services.linkable_goals(programme)
                ],
                initial={"items": [str(g.pk) for g in section.goals.all()]},
            )
        elif section.element == DraftElement.PRIORITY_TASKS:
            section.link_form = LinkForm(  # type: ignore[attr-defined]
                auto_id=f"id_s{section.pk}_%s",
                choices=[
                    (str(a.pk), f"{a.team.name}: {a.number}. {a.text[:120]}")
                    for a in draft_services.linkable_actions(programme)
                ],
                initial={"items": [str(a.pk) for a in section.actions.all()]},
            )
    return {
        "draft": draft,
        "sections": sections,
        "publish_form": PublishForm(),
        "versions": draft.versions.all(),
    }


@require_safe
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_to_edit(request.user, pk)
    return render(request, "consultations/draft_edit.html", _edit_context(draft))


def _back(draft: ProgrammeDraft, anchor: str = "") -> HttpResponse:
    response = redirect("drafts:draft-edit", pk=draft.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@require_POST
def paragraph_add(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_section_to_edit(request.user, pk)
    form = ParagraphForm(request.POST)
    if form.is_valid():
        try:
            paragraph = draft_services.paragraph_add(
                actor=_editor(request), section=section, text=form.cleaned_data["text"]
            )
        except Refused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Paragraph added."))
            return _back(section.draft, f"p-{paragraph.uid}")
    else:
        messages.error(request, _("The paragraph was not added: its text is missing or too long."))
    return _back(section.draft, f"chapter-{section.element}")


def paragraph_edit(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = get_paragraph_to_edit(request.user, pk)
    draft = paragraph.section.draft
    citable = {
        str(comment.pk): comment for comment in draft_services.citable_comments(draft.programme)
    }
    choices = [
        (pk, f"#{pk} – {comment.round.title}: {comment.text[:100]}")
        for pk, comment in citable.items()
    ]
    if request.method == "POST":
        form = ParagraphEditForm(request.POST, choices=choices)
        if form.is_valid():
            answers = (
                [citable[pk] for pk in form.cleaned_data["answers"]]
                if "answers" in form.fields
                else None
            )
            try:
                draft_services.paragraph_edit(
                    actor=_editor(request),
                    paragraph=paragraph,
                    text=form.cleaned_data["text"],
                    version=form.cleaned_data["version"] or 0,
                    answers=answers,
                )
            except Refused as error:
                paragraph.refresh_from_db()
                # The editor sees the current text below theirs; saving again is deliberate.
                data = request.POST.copy()
                data["version"] = str(paragraph.version)
                form.data = data
                form.add_error("text", str(error))
            else:
                messages.success(request, _("Paragraph saved."))
                return _back(draft, f"p-{paragraph.uid}")
    else:
        form = ParagraphEditForm(
            initial={
                "text": paragraph.text,
                "version": paragraph.version,
                "answers": [str(pk) for pk in paragraph.answers.values_list("pk", flat=True)],
            },
            choices=choices,
        )
    return render(
        request,
        "consultations/draft_paragraph_edit.html",
        {"form": form, "paragraph": paragraph, "draft": draft},
        status=200 if request.method == "GET" or form.is_valid() else 400,
    )


@require_POST
def paragraph_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    paragraph = get_paragraph_to_edit(request.user, pk)
    if direction not in ("up", "down"):
        raise Http404("No such direction.")
    draft_services.paragraph_move(actor=_editor(request), paragraph=paragraph, up=direction == "up")
    return _back(paragraph.section.draft, f"p-{paragraph.uid}")


@require_POST
def paragraph_delete(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = get_paragraph_to_edit(request.user, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        draft_services.paragraph_delete(
            actor=_editor(request), paragraph=paragraph, version=version
        )
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Paragraph removed from the working copy."))
    return _back(paragraph.section.draft, f"chapter-{paragraph.section.element}")


@require_POST
def section_link(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_section_to_edit(request.user, pk)
    programme = section.draft.programme
    goals = draft_services.linkable_goals(programme)
    actions = draft_services.linkable_actions(programme)
    is_goals = section.element == DraftElement.GOALS
    rows = goals if is_goals else actions
    form = LinkForm(request.POST, choices=[(str(row.pk), str(row.pk)) for row in rows])
    if not form.is_valid():
        messages.error(request, _("Choose only goals and actions of published meetings."))
        return _back(section.draft, f"chapter-{section.element}")
    chosen = list(rows.filter(pk__in=[int(pk) for pk in form.cleaned_data["items"]]))
    try:
        draft_services.section_link(
            actor=_editor(request),
            section=section,
            goals=chosen if is_goals else [],
            actions=[] if is_goals else chosen,
        )
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Links saved."))
    return _back(section.draft, f"chapter-{section.element}")


@require_POST
def draft_publish(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_to_edit(request.user, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is too long; nothing was published."))
        return _back(draft)
    version = draft_services.draft_version_publish(
        actor=_editor(request), draft=draft, note=form.cleaned_data["note"]
    )
    messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
    return redirect(version)


@require_safe
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_version(pk)
    return render(
        request,
        "consultations/draft_version.html",
        {
            "version": version,
            "draft": version.draft,
            "snapshot": version.snapshot,
            "others": version.draft.versions.exclude(pk=version.pk),
            "can_edit": can_edit_draft(request.user),
        },
    )


@require_POST
def version_mark_adopted(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_edit_draft(request.user):
        raise Http404("No such version.")
    version = get_version(pk)
    draft_services.draft_version_mark_adopted(actor=_editor(request), version=version)
    messages.success(
        request, _("Version %(number)s is marked as adopted.") % {"number": version.number}
    )
    return redirect(version)


@require_safe
def version_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two published versions of the draft, compared paragraph by paragraph."""
    draft = ProgrammeDraft.objects.select_related("programme").filter(pk=pk).first()
    if draft is None or not draft.versions.exists():
        raise Http404("No such draft.")
    versions = {v.pk: v for v in draft.versions.all()}
    choices = [(v.pk, _("Version %(number)s") % {"number": v.number}) for v in versions.values()]
    ordered = sorted(versions.values(), key=lambda v: v.number)
    initial = {"old": ordered[max(len(ordered) - 2, 0)].pk, "new": ordered[-1].pk}
    form = CompareForm(request.GET or None, choices=choices, initial=initial)
    old, new, layout = versions[initial["old"]], versions[initial["new"]], "side"
    if form.is_bound:
        if form.is_valid():
            old = versions[form.cleaned_data["old"]]
            new = versions[form.cleaned_data["new"]]
            layout = form.cleaned_data["layout"] or "side"
        else:
            form = CompareForm(initial=initial, choices=choices)
    sections = draft_diff.compare(old.snapshot, new.snapshot)
    return render(
        request,
        "consultations/draft_compare.html",
        {
            "draft": draft,
            "form": form,
            "old": old,
            "new": new,
            "layout": layout,
            "sections": sections,
            "changes": sum(section.changed for section in sections),
        },
    )


# --- PDFs ----------------------------------------------------------------------------------


def _programme_annexes(draft: ProgrammeDraft) -> dict[str, Any]:
    """Each published meeting's postulated actions and SWOT, and the report of each round of
    the programme whose report is published: plain data."""
    meetings = list(
        Meeting.objects.filter(team__programme=draft.programme, status=Meeting.Status.PUBLISHED)
        .select_related("team")
        .order_by("date", "pk")
    )
    action_annexes = []
    swot_annexes = []
    quadrants = dict(Quadrant.choices)
    for meeting in meetings:
        action_annexes.append(
            {
                "team": meeting.team.name,
                "date": meeting.date,
                "title": meeting.annex_title,
                "actions": [
                    {"number": n, "text": t, "merged_into": m}
                    for n, t, m in actions_of_meeting(meeting=meeting).values_list(
                        "number", "text", "merged_into__number"
                    )
                ],
            }
        )
        entries = (
            SwotEntry.objects.current()
            .filter(topic__meeting=meeting)
            .order_by("topic__position", "quadrant", "position", "pk")
            .values_list("topic__title", "quadrant", "text")
        )
        topics: dict[str, dict[str, list[str]]] = {}
        for topic, quadrant, text in entries:
            topics.setdefault(topic, {}).setdefault(str(quadrants[quadrant]), []).append(text)
        if topics:
            swot_annexes.append(
                {
                    "team": meeting.team.name,
                    "date": meeting.date,
                    "topics": [
                        {"title": title, "quadrants": list(by_quadrant.items())}
                        for title, by_quadrant in topics.items()
                    ],
                }
            )
    reports = [
        _report_data(round_)
        for round_ in Round.objects.filter(programme=draft.programme)
        .select_related("programme", "meeting__team")
        .order_by("opens_at", "pk")
        if phase_opens(round_, Feature.REPORT)
    ]
    for number, annex in enumerate([*action_annexes, *swot_annexes, *reports], start=1):
        annex["number"] = number
    return {"action_annexes": action_annexes, "swot_annexes": swot_annexes, "reports": reports}


def _report_data(round_: Round) -> dict[str, Any]:
    comments = selectors.report_comments(round_).select_related(
        "swot_entry", "goal", "action", "organisation", "author"
    )
    return {
        "title": round_.title,
        "opens_at": timezone.localtime(round_.opens_at).date(),
        "closes_at": timezone.localtime(round_.closes_at).date(),
        "office": round_.responsible_office,
        "comments": [
            {
                "number": number,
                "item": comment.item_label,
                "author": comment.author_label,
                "text": "" if comment.is_hidden else comment.text,
                "hidden": comment.is_hidden,
                "proposed": "" if comment.is_hidden else comment.proposed_wording,
                "disposition": str(comment.get_disposition_display()),
                "justification": comment.justification,
                "supports": len(comment.supports.all()),
            }
            for number, comment in enumerate(comments, start=1)
        ],
    }


def _programme_document(
    *,
    draft: ProgrammeDraft,
    snapshot: dict[str, Any],
    version_label: str,
    adopted: bool,
    filename: str,
    lines: bool,
) -> pdf.PdfDocument:
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        title = f"{snapshot['title']} – {version_label}"
        return pdf.PdfDocument(
            template_name="pdf/programme.html",
            context={
                "snapshot": snapshot,
                "version_label": version_label,
                "lines": lines,
                "line_numbers": list(range(1, 46)) if lines else [],
                **_programme_annexes(draft),
            },
            title=title,
            filename=filename + ("-lines" if lines else "") + ".pdf",
            language=language,
            draft=not adopted,
        )


def _split(object_id: str) -> tuple[int, bool]:
    pk, _sep, option = str(object_id).partition(":")
    return int(pk), option == "lines"


@pdf.pdf_document(stamp=draft_pdf_stamps.programme_version_stamp, large=True)
def programme_version_document(object_id: str) -> pdf.PdfDocument:
    """A published version of the programme draft, with its annexes. ``object_id`` is the
    version's pk, ``:lines`` appended for line numbers."""
    pk, lines = _split(object_id)
    version = DraftVersion.objects.select_related("draft__programme").get(pk=pk)
    with translation.override(settings.LANGUAGE_CODE):
        label = _("version %(number)s of %(date)s") % {
            "number": version.number,
            "date": f"{timezone.localtime(version.published_at):%d.%m.%Y}",
        }
    return _programme_document(
        draft=version.draft,
        snapshot=version.snapshot,
        version_label=label,
        adopted=version.adopted,
        filename=f"programme-v{version.number}",
        lines=lines,
    )


@pdf.pdf_document(stamp=draft_pdf_stamps.programme_working_copy_stamp, large=True)
def programme_working_copy_document(object_id: str) -> pdf.PdfDocument:
    """The working copy as it is now (coordinating team only)."""
    pk, lines = _split(object_id)
    draft = ProgrammeDraft.objects.select_related("programme").get(pk=pk)
    with translation.override(settings.LANGUAGE_CODE):
        label = _("working copy")
    return _programme_document(
        draft=draft,
        snapshot=draft_services.draft_snapshot(draft),
        version_label=label,
        adopted=False,
        filename="programme-working-copy",
        lines=lines,
    )


@pdf.pdf_document(stamp=draft_pdf_stamps.round_report_stamp)
def round_report_document(object_id: str) -> pdf.PdfDocument:
    round_ = Round.objects.select_related("programme", "meeting__team").get(pk=int(object_id))
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        title = f"{_('Consultation report')} – {round_.title}"
    return pdf.PdfDocument(
        template_name="pdf/programme_report.html",
        context={"report": _report_data(round_)},
        title=title,
        filename=f"consultation-{round_.pk}-report.pdf",
        language=language,
        draft=not phase_opens(round_, Feature.REPORT),
    )


def _lines(request: HttpRequest) -> bool:
    return request.GET.get("lines") == "1"


@require_safe
def version_pdf(request: HtmxRequest, pk: int) -> HttpResponseBase:
    version = get_version(pk)
    object_id = f"{version.pk}:lines" if _lines(request) else str(version.pk)
    return serve_document(
        request,
        builder=programme_version_document,
        object_id=object_id,
        public=True,
    )


@require_safe
def working_copy_pdf(request: HtmxRequest, pk: int) -> HttpResponseBase:
    draft = get_draft_to_edit(request.user, pk)
    object_id = f"{draft.pk}:lines" if _lines(request) else str(draft.pk)
    return serve_document(
        request,
        builder=programme_working_copy_document,
        object_id=object_id,
        public=False,
    )


@require_safe
def round_report_pdf(request: HtmxRequest, pk: int) -> HttpResponseBase:
    round_ = get_round_for_user(request.user, pk)
    if not can_view_report(request.user, round_):
        raise Http404("No such report.")
    return serve_document(
        request,
        builder=round_report_document,
        object_id=round_.pk,
        public=phase_opens(round_, Feature.REPORT),
    )
