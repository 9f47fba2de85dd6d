"""Settling a round: the settle page (find, group and settle comments), similar comments
settled as a group, answer templates, and assigned comments whose answers are drafted and then
approved. consultations/settling.py reads; services.comments_settle and
consultations/settle_services.py write."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.page_cache import shared_html
from teams.http import AuthenticatedRequest
from teams.models import User
from teams.permissions import is_coordinator

from . import permissions as perms
from . import register_views, services, settle_services, settling, similarity
from .access import get_stamped_round_for_user
from .forms import AnswerForm, AnswerTemplateForm, SettleForm, error_items, whole_number
from .fragments import slot, slot_pattern
from .models import AnswerDraft, AnswerTemplate, Comment, Round

SETTLE_PER_PAGE = 50
SIMILAR_PER_PAGE = 20


@dataclass
class Decision:
    """The settle form after a request: a redirect once comments were settled, or the form to
    show again (with its errors, the ticked comments, the status and any template message)."""

    form: SettleForm
    chosen: dict[int, int]
    status: int = 200
    template_error: str = ""
    assign_error: str = ""
    summary: str = ""  # a refused decision sent from this group's form, summed up on it
    done: HttpResponse | None = None


def _decision(request: AuthenticatedRequest, round_: Round) -> Decision:
    """Handle the settle form (the settle page and the similar comments page post it): apply
    an answer template (without JavaScript: the form comes back with its text, nothing is
    saved), or settle the ticked comments with services.comments_settle."""
    form = SettleForm(request.POST or None)
    decision = Decision(form=form, chosen=form.chosen_versions())
    if request.method != "POST":
        return decision
    if not perms.can_settle(request.user, round_):
        raise PermissionDenied
    if "assign" in request.POST:
        return _assign(request, round_, decision)
    if "apply" in request.POST:
        chosen = request.POST.get("template", "")
        template = _chosen_template(chosen)
        justification = template.text if template else request.POST.get("justification", "")
        if template is None:
            decision.template_error = (
                _(
                    "The chosen answer template no longer exists (someone deleted it). Your "
                    "justification was kept; nothing was saved."
                )
                if chosen.strip()
                else _(
                    "Choose an answer template to apply. Your justification was kept; nothing "
                    "was saved."
                )
            )
            decision.status = 400
        decision.form = SettleForm(
            initial={"disposition": request.POST.get("disposition"), "justification": justification}
        )
        return decision
    decision.status = 400
    if not form.is_valid():
        return decision
    try:
        settled = services.comments_settle(
            actor=request.user,
            round_=round_,
            versions=form.cleaned_data["versions"],
            disposition=form.cleaned_data["disposition"],
            justification=form.cleaned_data["justification"],
        )
    except services.ConflictError as error:
        form.add_error(None, str(error))
        decision.status = 409
    except services.OwnComment as refusal:
        services.own_decision_denied(
            actor=request.user, comments=refusal.comments, attempted="settle"
        )
        form.add_error(None, str(refusal))
        decision.status = 403
    except services.Refused as error:
        form.add_error(None, str(error))
    else:
        messages.success(request, _("%(count)s comment(s) settled.") % {"count": len(settled)})
        decision.done = redirect(request.get_full_path())
    return decision


def _assign(request: AuthenticatedRequest, round_: Round, decision: Decision) -> Decision:
    """Assign the ticked comments to the chosen person (settle_services.comments_assign)."""
    decision.form = SettleForm()
    assignee_pk = whole_number(request.POST.get("assignee"))
    assignee = None if assignee_pk is None else User.objects.filter(pk=assignee_pk).first()
    try:
        if assignee is None:
            raise services.Refused(_("Choose the person to assign the comments to."))
        drafts = settle_services.comments_assign(
            actor=request.user, round_=round_, versions=decision.chosen, assignee=assignee
        )
    except services.Refused as error:
        decision.assign_error = str(error)
        decision.status = 400
        return decision
    messages.success(
        request,
        _("%(count)s comment(s) assigned to %(name)s.")
        % {"count": len(drafts), "name": assignee.get_full_name() or assignee.email},
    )
    decision.done = redirect(request.get_full_path())
    return decision


def _settle_page_round(request: AuthenticatedRequest, pk: int) -> tuple[Round, tuple[Any, ...]]:
    """The round and its ``access.round_state``; 403 for someone who may not read the page."""
    round_, state = get_stamped_round_for_user(request.user, pk)
    if not (perms.can_settle(request.user, round_) or perms.can_view_audit(request.user, round_)):
        raise PermissionDenied
    return round_, state


@login_required
def round_settle(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The settle page. Its content depends on the round and its comments (with their
    supports, replies and assignments), the day, the filters and the viewer's rights and
    comments, so a page asked for again with nothing changed is served from the cache
    (core.page_cache.shared_html, keyed on the round's ``version`` and
    ``comments_changed_at`` read afresh: ``_body_state``); the decision form (with the answer
    templates and the people to assign to) and each comment's wording tools, which depend on
    the working copy, are rendered for each request. A page sent back with a form's errors is
    rendered afresh."""
    round_, state = _settle_page_round(request, pk)
    rights = {
        "can_settle": perms.can_settle(request.user, round_),
        "can_mark_settled": perms.can_mark_settled(request.user, round_),
        # The synthesis form ({% synthesis_form %}) asks documents.can_edit_synthesis: the
        # coordinating team (this), in a phase (in _body_state).
        "is_coordinator": is_coordinator(request.user),
        **register_views.settle_rights(request.user, round_),
    }
    decision = _decision(request, round_)
    if decision.done:
        return decision.done
    status = decision.status
    filters = settling.SettleFilterForm(request.GET or None, round_=round_)
    if filters.is_bound and not filters.is_valid() and status == 200:
        status = 400

    def render_body() -> str:
        return render_to_string(
            "consultations/partials/settle_body.html",
            {**_body_context(request, round_, filters, decision), **rights},
            request=request,
        )

    if request.method == "GET" and status == 200:
        body = shared_html(request, _body_state(request, round_, state, rights), render_body)
    else:
        body = render_body()
    body = body.replace(
        str(slot("decision")), _decision_html(request, decision, rights["can_settle"]), 1
    )
    body = _with_refusal(request, decision, body)
    if rights["can_settle"]:
        body = _with_wording_tools(request, round_, body)
    return render(
        request,
        "consultations/round_settle.html",
        {"round": round_, "body_html": mark_safe(body)},  # noqa: S308 - rendered by us
        status=status,
    )


def _body_state(
    request: AuthenticatedRequest,
    round_: Round,
    state: tuple[Any, ...],
    rights: dict[str, Any],
) -> tuple[Any, ...]:
    """Everything the settle page's cached content depends on, read for this request: the
    round's ``state`` (access.round_state: ``version`` for its own fields,
    ``comments_changed_at`` for its comments, their supports, replies and assignments and the
    names shown with them, consultations.signals; the phase), the day (the days left until the
    report), the viewer (their own comments are not theirs to tick) and their rights, and the
    filters and page (the full path). What it does not cover (a renamed organisation or
    assignee) shows within PAGE_CACHE_SECONDS."""
    return (
        "settle",
        round_.pk,
        *state,
        timezone.localdate(),
        request.user.pk,
        tuple(sorted(rights.items())),
        request.get_full_path(),
    )


def _body_context(
    request: AuthenticatedRequest,
    round_: Round,
    filters: settling.SettleFilterForm,
    decision: Decision,
) -> dict[str, Any]:
    comments = settling.settle_page_comments(round_, filters)
    # The page's ids first, sorted narrow; then only those comments whole (in the same order):
    # sorting every comment of a big round whole with its joins took most of the page's time.
    page = Paginator(comments.values_list("pk", flat=True), SETTLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows: list[Any] = list(comments.filter(pk__in=list(page.object_list)))
    first_with_text: dict[str, int] = {}
    for comment in rows:
        key = similarity.normalise(comment.text)
        comment.same_as = first_with_text.setdefault(key, comment.pk)
    counted = round_.comments.counted()
    return {
        "round": round_,
        "page": page,
        "groups": settling.page_groups(round_, rows, by_item=not filters.value("order")),
        "filters": filters,
        "filter_query": settling.filter_query(request.GET),
        "total": counted.count(),
        "unsettled": counted.filter(disposition="").count(),
        "found": page.paginator.count,
        "chosen": set(decision.chosen),
        "progress": settling.round_progress(round_),
        "own": {c.pk for c in rows if perms.decides_on_own(request.user, c)},
        **register_views.settle_late(round_),
    }


def _decision_html(request: AuthenticatedRequest, decision: Decision, can_settle: bool) -> str:
    """The assign and decision parts of the settle page, for this request."""
    if not can_settle:
        return ""
    form = decision.form
    form_html = None
    if not (form.is_bound or form.initial):  # blank: the same for everyone, rendered once
        form_html = mark_safe(  # noqa: S308 - rendered by us
            shared_html(request, ("settle-form",), lambda: as_crispy_form(form))
        )
    return render_to_string(
        "consultations/partials/settle_decision_block.html",
        {
            "form": form,
            "form_html": form_html,
            "answer_templates": AnswerTemplate.objects.all(),
            "can_manage_templates": perms.can_manage_answer_templates(request.user),
            "template_error": decision.template_error,
            "assign_error": decision.assign_error,
            "assignees": settling.assignable(),
        },
        request=request,
    )


def _with_refusal(request: AuthenticatedRequest, decision: Decision, body: str) -> str:
    """``body`` with the summary of a refused form (partials/refused_summary.html) at the top
    of the form that was sent, the late comments' or the page's: the errors are marked at the
    fields, far down a long page. Both slots are emptied otherwise."""
    late = "late" in request.POST
    summary = ""
    if decision.status != 200:
        # The late comments' form has its own justification; the rest of its errors are
        # about it as a whole, said in the summary on it.
        items = _decision_errors(
            decision,
            prefix="page",
            non_field="" if late else "decision",
            targets={"justification": "late-justification"} if late else None,
        )
        summary = _refusal_summary(request, items)
    body = body.replace(str(slot("refused-late")), summary if late else "", 1)
    return body.replace(str(slot("refused")), "" if late else summary, 1)


def _decision_errors(
    decision: Decision, *, prefix: str, non_field: str, targets: dict[str, str] | None = None
) -> list[dict[str, str]]:
    """The errors of a refused decision for its summary (partials/refused_summary.html): the
    assignee's and the answer template's (their inputs are ``assignee-<prefix>`` and
    ``answer-template-<prefix>``, partials/settle_assign.html and settle_decision.html), then
    the form's (``forms.error_items``)."""
    items = []
    if decision.assign_error:
        items.append({"target": f"assignee-{prefix}", "label": "", "error": decision.assign_error})
    if decision.template_error:
        items.append(
            {"target": f"answer-template-{prefix}", "label": "", "error": decision.template_error}
        )
    if decision.form.is_bound:
        items += error_items(decision.form, non_field=non_field, targets=targets)
    return items


def _refusal_summary(request: AuthenticatedRequest, items: list[dict[str, str]]) -> SafeString:
    return render_to_string(
        "consultations/partials/refused_summary.html",
        {
            "intro": _(
                "Nothing was saved: correct what is listed here and marked further down, then "
                "send again."
            ),
            "items": items,
        },
        request=request,
    )


def _with_wording_tools(request: AuthenticatedRequest, round_: Round, body: str) -> str:
    """``body`` with each comment's wording tools (settle_comment_tools.html) put in its slot:
    they follow the draft's working copy, which the page's cache key does not cover."""
    pks = [int(pk) for pk in slot_pattern("wording").findall(body)]
    if not pks:
        return body
    comments = settling.comments_by_pk(round_, pks)

    def tools(match: re.Match[str]) -> str:
        comment = comments.get(int(match.group(1)))
        if comment is None:
            return ""
        return render_to_string(
            "consultations/partials/settle_comment_tools.html",
            {"comment": comment, "round": round_, "can_settle": True},
            request=request,
        )

    return slot_pattern("wording").sub(tools, body)


@dataclass
class SimilarGroup:
    """A group of similar comments on the similar comments page, with its own settle form."""

    number: int
    comments: list[Comment]
    form: SettleForm
    chosen: set[int]
    own: set[int]
    template_error: str = ""
    assign_error: str = ""
    summary: str = ""  # a refused decision sent from this group's form, summed up on it


@login_required
def round_settle_similar(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Comments with the same or nearly the same text, each group offered to settle at once
    (every comment keeps its own submitter; services.comments_settle settles each)."""
    round_, _state = _settle_page_round(request, pk)
    can_settle = perms.can_settle(request.user, round_)
    decision = _decision(request, round_)
    if decision.done:
        return decision.done
    page = Paginator(settling.similar_comment_groups(round_), SIMILAR_PER_PAGE).get_page(
        request.GET.get("page")
    )
    members = settling.comments_by_pk(round_, [pk for group in page.object_list for pk in group])
    groups = []
    for number, pks in enumerate(page.object_list, start=page.start_index()):
        comments = [members[pk] for pk in pks if pk in members]
        posted = bool(decision.chosen.keys() & set(pks))
        form = decision.form if posted else SettleForm()
        form.auto_id = f"group-{number}-%s"
        own = {c.pk for c in comments if perms.decides_on_own(request.user, c)}
        chosen = set(decision.chosen) if posted else {c.pk for c in comments} - own
        summary = ""
        if posted and decision.status != 200:
            refused_on = f"similar-{number}"  # the group's legend: its whole-form errors
            items = _decision_errors(decision, prefix=str(number), non_field=refused_on)
            summary = _refusal_summary(request, items)
        groups.append(
            SimilarGroup(
                number=number,
                comments=comments,
                form=form,
                chosen=chosen,
                own=own,
                template_error=decision.template_error if posted else "",
                assign_error=decision.assign_error if posted else "",
                summary=summary,
            )
        )
    summed_up = any(group.summary for group in groups)
    return render(
        request,
        "consultations/round_settle_similar.html",
        {
            "round": round_,
            "page": page,
            "groups": groups,
            "can_settle": can_settle,
            "answer_templates": AnswerTemplate.objects.all() if can_settle else [],
            "can_manage_templates": perms.can_manage_answer_templates(request.user),
            "assignees": settling.assignable() if can_settle else [],
            # Said on the group's form when one was sent; else (no comment ticked) on top.
            "errors": decision.form.non_field_errors()
            if decision.form.is_bound and not summed_up
            else [],
        },
        status=decision.status,
    )


def _chosen_template(raw: str | None) -> AnswerTemplate | None:
    pk = whole_number(raw)
    return None if pk is None else AnswerTemplate.objects.filter(pk=pk).first()


# --- Answer templates ----------------------------------------------------------------------


def _template_manager(request: AuthenticatedRequest) -> None:
    if not perms.can_manage_answer_templates(request.user):
        raise PermissionDenied


@login_required
def answer_templates(request: AuthenticatedRequest) -> HttpResponse:
    """The list of answer templates, with the form for a new one."""
    _template_manager(request)
    form = AnswerTemplateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                settle_services.answer_template_create(actor=request.user, **form.cleaned_data)
            except services.Refused as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The answer template has been saved."))
                return redirect("consultations:answer-templates")
        status = 400
    return render(
        request,
        "consultations/answer_templates.html",
        {"templates": AnswerTemplate.objects.all(), "form": form},
        status=status,
    )


@login_required
def answer_template_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _template_manager(request)
    template = get_object_or_404(AnswerTemplate, pk=pk)
    form = AnswerTemplateForm(
        request.POST or None, initial={"title": template.title, "text": template.text}
    )
    version = template.version
    status = 200
    current = None
    if request.method == "POST":
        version = whole_number(request.POST.get("version")) or 0
        if form.is_valid():
            try:
                settle_services.answer_template_update(
                    actor=request.user, template=template, version=version, **form.cleaned_data
                )
            except services.ConflictError as conflict:
                form.add_error(None, str(conflict))
                current = conflict.current
                version = current.version if current else version
                status = 409
            except services.Refused as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, _("The answer template has been saved."))
                return redirect("consultations:answer-templates")
        else:
            status = 400
    return render(
        request,
        "consultations/answer_template_edit.html",
        {"template": template, "form": form, "version": version, "current": current},
        status=status,
    )


@login_required
@require_POST
def answer_template_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _template_manager(request)
    template = get_object_or_404(AnswerTemplate, pk=pk)
    settle_services.answer_template_delete(actor=request.user, template=template)
    messages.success(
        request, _("The answer template has been deleted; answers written with it keep their text.")
    )
    return redirect("consultations:answer-templates")


# --- Assign and draft ----------------------------------------------------------------------


@login_required
def my_answers(request: AuthenticatedRequest) -> HttpResponse:
    """The comments assigned to the person, whose answers they draft."""
    drafts = list(settling.my_queue(request.user))
    rounds = {draft.comment.round_id: draft.comment.round for draft in drafts}
    return render(
        request,
        "consultations/my_answers.html",
        {
            "drafts": drafts,
            # The progress of each round in the queue (a few rounds at a time).
            "progress": [(r, settling.round_progress(r)) for r in rounds.values()],
        },
    )


@login_required
def comment_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An assigned comment's answer: its assignee (or the coordinating team) drafts it, and
    the coordinating team approves the draft as the disposition."""
    draft = get_object_or_404(
        AnswerDraft.objects.select_related(
            "comment__round", "comment__organisation", "comment__author", "assignee"
        ),
        comment_id=pk,
    )
    comment = draft.comment
    may_draft = perms.can_draft_answer(request.user, comment, draft.assignee_id)
    may_approve = perms.can_settle(request.user, comment.round) and not perms.decides_on_own(
        request.user, comment
    )
    if not (may_draft or perms.can_settle(request.user, comment.round)):
        raise PermissionDenied
    form = AnswerForm(
        initial={"disposition": draft.disposition, "justification": draft.justification}
    )
    context: dict[str, object] = {}
    status = 200
    if request.method == "POST":
        version = whole_number(request.POST.get("draft_version")) or 0
        if "approve" in request.POST:
            if not perms.can_settle(request.user, comment.round):
                raise PermissionDenied
            try:
                settle_services.answer_draft_approve(
                    actor=request.user, draft=draft, version=version
                )
            except services.ConflictError as conflict:
                status = 409
                context.update(
                    error=str(conflict),
                    yours=request.POST.get("seen", ""),
                    current=conflict.current,
                )
                if conflict.current is not None:
                    draft = conflict.current
            except services.OwnComment as refusal:
                services.own_decision_denied(
                    actor=request.user, comments=refusal.comments, attempted="settle"
                )
                status = 403
                context["error"] = str(refusal)
            except services.Refused as error:
                status = 400
                context["error"] = str(error)
            else:
                messages.success(request, _("The draft was approved as the disposition."))
                return redirect("consultations:round-settle", comment.round_id)
        else:
            if not may_draft:
                raise PermissionDenied
            form = AnswerForm(request.POST)
            if "apply" in request.POST:
                template = _chosen_template(request.POST.get("template"))
                form = AnswerForm(
                    initial={
                        "disposition": request.POST.get("disposition"),
                        "justification": template.text
                        if template
                        else request.POST.get("justification", ""),
                    }
                )
            elif form.is_valid():
                try:
                    settle_services.answer_draft_save(
                        actor=request.user, draft=draft, version=version, **form.cleaned_data
                    )
                except services.ConflictError as conflict:
                    status = 409
                    context.update(
                        error=str(conflict),
                        yours=form.cleaned_data["justification"],
                        current=conflict.current,
                    )
                    if conflict.current is not None:
                        draft = conflict.current
                except services.Refused as error:
                    status = 400
                    context["error"] = str(error)
                else:
                    messages.success(request, _("Your draft answer has been saved."))
                    return redirect("consultations:my-answers")
            else:
                status = 400
    return render(
        request,
        "consultations/comment_answer.html",
        {
            "comment": comment,
            "draft": draft,
            "form": form,
            "may_draft": may_draft,
            "may_approve": may_approve and draft.is_drafted,
            "answer_templates": AnswerTemplate.objects.all() if may_draft else [],
            "can_manage_templates": perms.can_manage_answer_templates(request.user),
            **context,
        },
        status=status,
    )
