"""The programme draft's pages: editing the working copy (coordinating team), published
versions and their comparison (public); their PDFs are documents.programme. Access: published
versions are public; the working copy, and everything about it, is 404 to anyone but the
coordinating team."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.confirm import confirm_page, is_confirmed
from core.errors import Refused
from core.kept_text import KeptText
from core.text import excerpt
from teams.models import Programme

from . import answers
from . import diff as draft_diff
from . import services as draft_services
from .access import (
    can_edit_draft,
    editor,
    get_draft_to_edit,
    get_paragraph_to_edit,
    get_section_to_edit,
    get_version,
)
from .forms import AdoptForm, CompareForm, LinkForm, ParagraphEditForm, ParagraphForm, PublishForm
from .models import DraftElement, DraftParagraph, DraftSection, ProgrammeDraft

# --- Pages ---------------------------------------------------------------------------------


@require_safe
def draft_list(request: HttpRequest) -> HttpResponse:
    drafts = list(ProgrammeDraft.objects.select_related("programme").prefetch_related("versions"))
    listed = []
    for draft in drafts:
        versions = list(draft.versions.all())  # prefetched; newest first (Meta.ordering)
        adopted = next((version for version in versions if version.adopted), None)
        latest = versions[0] if versions else None
        listed.append((draft, answers.source().reports(draft.programme), latest, adopted))
    return render(
        request,
        "consultations/draft_list.html",
        {"drafts": listed, "can_edit": can_edit_draft(request.user)},
    )


@dataclass(frozen=True)
class SectionView:
    """A chapter of the working copy on the editing page: its paragraphs in order, the form that
    adds one, and the form that links goals or actions (chapters 1 and 5 only)."""

    section: DraftSection
    paragraphs: list[DraftParagraph]
    add_form: ParagraphForm
    link_form: LinkForm | None = None


def _link_form(section: DraftSection, programme: Programme) -> LinkForm | None:
    if section.element == DraftElement.GOALS:
        return LinkForm(
            auto_id=f"id_s{section.pk}_%s",
            choices=[
                (str(g.pk), f"{g.team.local_name}: {g.number}. {g.title}")
                for g in draft_services.linkable_goals(programme)
            ],
            initial={"items": [str(g.pk) for g in section.goals.all()]},
        )
    if section.element == DraftElement.PRIORITY_TASKS:
        return LinkForm(
            auto_id=f"id_s{section.pk}_%s",
            choices=[
                (str(a.pk), f"{a.team.local_name}: {a.number}. {a.text[:120]}")
                for a in draft_services.linkable_actions(programme)
            ],
            initial={"items": [str(a.pk) for a in section.actions.all()]},
        )
    return None


def _edit_context(draft: ProgrammeDraft) -> dict[str, Any]:
    sections = draft.sections.order_by("element").prefetch_related(
        "paragraphs", "goals__team", "actions__team"
    )
    views = [
        SectionView(
            section=section,
            paragraphs=sorted(section.paragraphs.all(), key=lambda p: (p.position, p.pk)),
            add_form=ParagraphForm(auto_id=f"id_s{section.pk}_%s"),
            link_form=_link_form(section, draft.programme),
        )
        for section in sections
    ]
    return {
        "draft": draft,
        "sections": views,
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
                actor=editor(request), section=section, text=form.cleaned_data["text"]
            )
        except Refused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Paragraph added."))
            return _back(section.draft, f"p-{paragraph.uid}")
    else:
        # Said field by field (empty, or how long), with the text shown back to copy: only a
        # form sent around the browser's own limit gets here, and its text must not be lost.
        typed = request.POST.get("text", "")
        return render(
            request,
            "consultations/paragraph_not_added.html",
            {
                "draft": section.draft,
                "section": section,
                "errors": form.errors.get("text", []),
                "kept": [KeptText("text", typed, str(ParagraphForm.base_fields["text"].label))]
                if typed.strip()
                else [],
            },
            status=400,
        )
    return _back(section.draft, f"chapter-{section.element}")


def paragraph_edit(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = get_paragraph_to_edit(request.user, pk)
    draft = paragraph.section.draft
    citable = {
        str(comment.pk): comment for comment in draft_services.citable_comments(draft.programme)
    }
    choices = [
        # Named by its registration number, as the report and the comment table name it.
        (pk, f"{comment.number or '#' + pk} – {comment.round_title}: {excerpt(comment.text, 100)}")
        for pk, comment in citable.items()
    ]
    if request.method == "POST":
        form = ParagraphEditForm(request.POST, choices=choices)
        if form.is_valid():
            cited = (
                [citable[pk].pk for pk in form.cleaned_data["answers"]]
                if "answers" in form.fields
                else None
            )
            try:
                draft_services.paragraph_edit(
                    actor=editor(request),
                    paragraph=paragraph,
                    text=form.cleaned_data["text"],
                    version=form.cleaned_data["version"] or 0,
                    cited=cited,
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
                "answers": [
                    str(comment.pk)
                    for comment in answers.source().cited([paragraph.pk]).get(paragraph.pk, [])
                ],
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
    draft_services.paragraph_move(actor=editor(request), paragraph=paragraph, up=direction == "up")
    return _back(paragraph.section.draft, f"p-{paragraph.uid}")


@require_POST
def paragraph_delete(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = get_paragraph_to_edit(request.user, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        draft_services.paragraph_delete(actor=editor(request), paragraph=paragraph, version=version)
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
            actor=editor(request),
            section=section,
            goals=chosen if is_goals else [],
            actions=[] if is_goals else chosen,
        )
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Links saved."))
    return _back(section.draft, f"chapter-{section.element}")


@require_safe
def draft_publish_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """What publishing the working copy does, before it is done: the version it becomes, that
    it is public and frozen. The note typed in the editor comes along (GET) and may be edited."""
    draft = get_draft_to_edit(request.user, pk)
    number = draft_services.draft_version_next_number(draft)
    form = PublishForm(initial={"note": request.GET.get("note", "")[:2000], "number": number})
    return _publish_confirm_page(request, draft, number, form)


def _publish_confirm_page(
    request: HttpRequest, draft: ProgrammeDraft, number: int, form: PublishForm, status: int = 200
) -> HttpResponse:
    adopted = draft.versions.filter(adopted=True).first()
    after_adoption = (
        [
            _(
                "The council has already adopted version %(adopted)s of this programme: version "
                "%(number)s will be a new draft beside it (for an amendment), not the adopted "
                "programme, which stays as it was."
            )
            % {"adopted": adopted.number, "number": number}
        ]
        if adopted is not None
        else []
    )
    return confirm_page(
        request,
        title=_("Publish version %(number)s?") % {"number": number},
        subject=draft.title,
        consequences=[
            *after_adoption,
            _("The working copy becomes version %(number)s, dated today, public to everyone.")
            % {"number": number},
            _(
                "Its text and annexes are frozen as they are now: a correction is a new version "
                "or a dated erratum, never a change to this one."
            ),
            _("Its PDF is made once and kept, with its SHA-256 shown on the version's page."),
        ],
        audience=None,
        action_url=reverse("drafts:draft-publish", args=[draft.pk]),
        cancel_url=reverse("drafts:draft-edit", args=[draft.pk]),
        submit_label=_("Yes, publish version %(number)s") % {"number": number},
        form=form,
        status=status,
    )


@require_POST
def draft_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the working copy, only from its confirmation page (a POST without the
    confirmation goes there and publishes nothing)."""
    draft = get_draft_to_edit(request.user, pk)
    form = PublishForm(request.POST)
    if not is_confirmed(request):
        messages.warning(request, _("Please confirm this step first; nothing has changed yet."))
        return redirect("drafts:draft-publish-confirm", pk=draft.pk)
    if not form.is_valid():
        number = draft_services.draft_version_next_number(draft)
        return _publish_confirm_page(request, draft, number, form, status=400)
    try:
        version = draft_services.draft_version_publish(
            actor=editor(request),
            draft=draft,
            note=form.cleaned_data["note"],
            number=form.cleaned_data["number"],
        )
    except Refused as error:
        messages.error(request, str(error))
        return redirect("drafts:draft-edit", pk=draft.pk)
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
            "adopted_elsewhere": version.draft.versions.filter(adopted=True).exists(),
            "can_edit": can_edit_draft(request.user),
        },
    )


def version_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinating team records the council's resolution adopting this version."""
    if not can_edit_draft(request.user):
        raise Http404("No such version.")
    version = get_version(pk)
    adopted = version.draft.versions.filter(adopted=True).first()
    if adopted is not None and request.method != "POST":
        # Adopted once (draft_version_adopt refuses a second time): said, with no form to
        # fill in only to be told so.
        return render(
            request,
            "consultations/draft_version_adopt.html",
            {"version": version, "draft": version.draft, "adopted": adopted},
        )
    form = AdoptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft_services.draft_version_adopt(
                actor=editor(request),
                version=version,
                number=data["resolution_number"],
                date=data["resolution_date"],
                url=data["resolution_url"],
                opinion=data["krdpp_opinion"],
            )
        except Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Version %(number)s is adopted.") % {"number": version.number}
            )
            return redirect(version)
    return render(
        request,
        "consultations/draft_version_adopt.html",
        {
            "form": form,
            "version": version,
            "draft": version.draft,
            "unfinished": answers.source().unfinished(version.draft.programme),
            "not_written": answers.not_written(version),
        },
        status=400 if form.errors else 200,
    )


@require_safe
def version_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two published versions of the draft, compared paragraph by paragraph: by default only
    the changed paragraphs under their chapters (``changes=all`` for the whole text)."""
    draft = ProgrammeDraft.objects.select_related("programme").filter(pk=pk).first()
    if draft is None or not draft.versions.exists():
        raise Http404("No such draft.")
    versions = {v.pk: v for v in draft.versions.all()}
    choices = [(v.pk, _("Version %(number)s") % {"number": v.number}) for v in versions.values()]
    ordered = sorted(versions.values(), key=lambda v: v.number)
    initial = {"old": ordered[max(len(ordered) - 2, 0)].pk, "new": ordered[-1].pk}
    form = CompareForm(request.GET or None, choices=choices, initial=initial)
    old, new, layout = versions[initial["old"]], versions[initial["new"]], "side"
    only = True
    fell_back = False  # the versions asked for are not this draft's: said, not silently swapped
    if form.is_bound:
        if form.is_valid():
            old = versions[form.cleaned_data["old"]]
            new = versions[form.cleaned_data["new"]]
            layout = form.cleaned_data["layout"] or "side"
            only = form.cleaned_data["changes"] != "all"
        else:
            # Said only when it is the versions that were not this draft's (a wrong layout
            # alone falls back to the defaults without a word about versions).
            fell_back = any(
                name in form.errors and request.GET.get(name) for name in ("old", "new")
            )
            form = CompareForm(initial=initial, choices=choices)
    sections = draft_diff.compare(old.snapshot, new.snapshot)
    changes = sum(section.changed for section in sections)
    if only:
        sections = draft_diff.changes_only(sections)
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
            "changes": changes,
            "only": only,
            "fell_back": fell_back,
        },
    )
