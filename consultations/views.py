"""Views of consultation rounds: the list, the round page with its comments, the settle page,
the report (HTML, CSV, XLSX), the audit log and "my comments".

Every view asks the predicates in ``consultations.permissions`` (via the access helpers, which
answer 404 for missing and forbidden alike). Comment actions answer an htmx request with the
comment's fragment and a normal POST with a redirect back to the comment (POST-redirect-GET).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import limits, spreadsheets
from core.confirm import confirm_page, is_confirmed
from core.dates import prose_date, prose_datetime
from core.http import HtmxRequest
from core.models import AuditEntry
from core.page_cache import anonymous_page, shared_html
from core.retry_later import wait_minutes
from teams.http import AuthenticatedRequest
from teams.models import Organisation

from . import carried, changes, fragments, notices, rules, selectors, services
from . import permissions as perms
from .access import (
    get_comment_for_user,
    get_round_for_user,
    round_row,
    round_state,
    visible_stamp,
)
from .audit import ConsultationsAudit
from .context_processors import remember_viewer
from .forms import (
    AnnounceForm,
    AttendanceForm,
    CloseForm,
    CommentEditForm,
    CommentForm,
    FlagForm,
    ModerationForm,
    QueueDecisionForm,
    ReplyForm,
    RoundEventForm,
    RoundForm,
    SupportForm,
)
from .models import Comment, Disposition, Round, RoundEvent
from .phases import Feature, Phase, phase_of, phase_opens

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

COMMENTS_PER_PAGE = 20
REPORT_PER_PAGE = 50


@dataclass(frozen=True)
class Allowed:
    """What the viewer may do with one comment or reply (the comment actions partial)."""

    can_edit: bool
    can_flag: bool
    can_moderate: bool
    # The viewer already flagged it (one flag per person): said instead of offering the form.
    flagged: bool = False


@dataclass(frozen=True)
class CommentView:
    """A comment as the list shows it to one viewer: the comment, what the viewer may do with
    it, and its replies (each with what the viewer may do with it)."""

    comment: Comment
    allowed: Allowed
    # A hidden comment or reply the viewer may not read: its place, the moderators' reason, no
    # control (permissions.sees_placeholder).
    placeholder: bool = False
    can_reply: bool = False
    # The reply form's submission token (forms.SubmissionTokenMixin), fresh for each page.
    reply_token: str = ""
    support_orgs: dict[int, str] = field(default_factory=dict)
    # The viewer's organisations that support the comment and may take it back.
    withdraw_orgs: dict[int, str] = field(default_factory=dict)
    replies: list[CommentView] = field(default_factory=list)


def _views(
    viewer: perms.Viewer,
    round_: Round,
    comments: list[Comment],
    flagged: frozenset[int] = frozenset(),
) -> list[CommentView]:
    """What the viewer may do with each comment of the list, as view models for the templates.
    ``flagged``: the ids of those the viewer has flagged (selectors.own_flags)."""

    def allowed(comment: Comment) -> Allowed:
        may_flag = perms.can_flag(viewer, comment)
        flagged_now = may_flag and comment.pk in flagged
        return Allowed(
            can_edit=perms.can_edit_comment(viewer, comment),
            can_flag=may_flag and not flagged_now,
            can_moderate=perms.can_moderate_comment(viewer, comment),
            flagged=flagged_now,
        )

    views = []
    for comment in comments:
        comment.round = round_
        replies = []
        for reply in comment.replies.all():
            reply.round = round_
            replies.append(
                CommentView(
                    comment=reply,
                    allowed=allowed(reply),
                    placeholder=perms.sees_placeholder(viewer, reply),
                )
            )
        can_reply = perms.can_reply(viewer, comment)
        views.append(
            CommentView(
                comment=comment,
                allowed=allowed(comment),
                placeholder=perms.sees_placeholder(viewer, comment),
                can_reply=can_reply,
                reply_token=str(uuid.uuid4()) if can_reply else "",
                support_orgs=(
                    perms.supporting_organisations(viewer, comment)
                    if perms.can_support(viewer, comment)
                    else {}
                ),
                withdraw_orgs=perms.withdrawable_supports(viewer, comment),
                replies=replies,
            )
        )
    return views


# The comment list writes its small reply, flag and moderation forms by hand (one per comment);
# their labels, limits and help come from the fields of the forms that check what is sent.
FORM_FIELDS = {
    "reply_text": ReplyForm.base_fields["text"],
    "flag_reason": FlagForm.base_fields["reason"],
    "moderation_reason": ModerationForm.base_fields["reason"],
}


def _comment_context(viewer: perms.Viewer, round_: Round) -> dict[str, Any]:
    return {"round": round_, "viewer": viewer, **FORM_FIELDS}


def round_list(request: HttpRequest) -> HttpResponse:
    rounds = list(selectors.rounds_for_list(include_drafts=perms.can_manage_rounds(request.user)))
    return render(
        request,
        "consultations/round_list.html",
        {"rounds": rounds, "can_create": perms.can_manage_rounds(request.user)},
    )


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The round page. Anonymous visitors all see the same page, so it is cached whole
    (core.page_cache), keyed on the round's stamp read afresh on every request: a
    cached page costs one small query, and any change shows at once. Logged-in viewers get
    the page's parts from caches keyed the same way and on what they may do (_round_page)."""
    stamp = visible_stamp(request.user, pk)
    state = round_state(stamp)
    return anonymous_page(request, state, lambda: _round_detail(request, stamp, state))


def _round_detail(request: HttpRequest, stamp: Round, state: tuple[Any, ...]) -> HttpResponse:
    """The page for whoever is not served the cached anonymous one (the round row from the
    cache too: access.round_row)."""
    round_ = round_row(request.user, stamp)
    viewer = perms.viewer_for(request.user, round_)
    remember_viewer(request, viewer)
    return _round_page(request, round_, viewer, state=state)


def _round_page(
    request: HttpRequest,
    round_: Round,
    viewer: perms.Viewer,
    *,
    form: CommentForm | None = None,
    status: int = 200,
    state: tuple[Any, ...] | None = None,
) -> HttpResponse:
    """The page: its content is the same for every viewer who may do the same (``rights``),
    so with the round's ``state`` (round_detail) it is cached for them all
    (core.page_cache.shared_html); the comments (consultations.fragments), the CSRF token and
    each form's submission token are put in for this request. A page with a form sent back
    with errors is rendered afresh."""
    user = request.user
    can_comment = perms.can_comment(viewer, round_)
    rights: dict[str, Any] = {
        "can_comment": can_comment,
        "can_announce": perms.can_announce_round(user, round_),
        "can_edit_round": perms.can_edit_round(user, round_),
        "can_open": perms.can_open_round_now(user, round_),
        "can_close": perms.can_close_round(user, round_),
        "can_settle": perms.can_settle(user, round_),
        "can_publish": perms.can_publish_report(user, round_),
        "can_view_report": perms.can_view_report(user, round_),
        "can_view_audit": perms.can_view_audit(user, round_),
        "show_deadline_warning": viewer.is_coordinator and round_.leaves_too_little_time,
        **_events_rights(user, round_),
    }

    def render_body() -> str:
        items = selectors.round_items(round_) if can_comment else None
        page_form = form
        if page_form is None and items is not None:
            page_form = _blank_comment_form(viewer, items)
        earlier = carried.earlier_comments(round_)
        context = {
            **_comment_context(viewer, round_),
            **rights,
            "draft_chapters": _draft_chapters(round_, viewer, items, earlier),
            "earlier_removed": [
                e for found in earlier.values() for e in found if e.status == "removed"
            ],
            "phase": phase_of(round_),
            "form": page_form,
            "events": list(round_.events.all()),
        }
        return render_to_string("consultations/partials/round_body.html", context, request=request)

    if form is None and state is not None:
        signature = (user.is_authenticated, viewer.on_behalf_key(), rights)
        body = shared_html(request, ("round", round_.pk, *state, repr(signature)), render_body)
    else:
        body = render_body()
    body = _fresh_tokens(body).replace(
        str(fragments.slot("comments")), _comments_html(request, round_, viewer, state), 1
    )
    return render(
        request,
        "consultations/round_detail.html",
        {"round": round_, "body_html": mark_safe(body)},  # noqa: S308 - rendered by us
        status=status,
    )


_UID = "00000000-0000-4000-8000-00000000cafe"  # stands for each paragraph's uid below
_TOKEN = "00000000-0000-4000-8000-0000000070ce"  # noqa: S105 - each form's submission token
_TOKENS = re.compile(re.escape(_TOKEN))


def _blank_comment_form(viewer: perms.Viewer, items: selectors.RoundItems) -> CommentForm:
    """The empty comment form, its submission token a placeholder (``_fresh_tokens``)."""
    return CommentForm(viewer=viewer, items=items, prefix="comment", initial={"token": _TOKEN})


def _fresh_tokens(html: str) -> str:
    """Each form's placeholder token replaced by a fresh one (forms.SubmissionTokenMixin)."""
    return _TOKENS.sub(lambda _match: str(uuid.uuid4()), html)


def _draft_chapters(
    round_: Round,
    viewer: perms.Viewer,
    items: selectors.RoundItems | None,
    earlier: dict[str, list[carried.Earlier]],
) -> list[dict[str, Any]]:
    """The consulted draft version's chapters, each paragraph with its own comment form
    (when the viewer may comment; the item is fixed to the paragraph, ids are unique) and the
    earlier rounds' comments on it (``earlier``, consultations.carried).

    The forms differ only in the paragraph's uid and their submission token, so one is
    rendered and copied with each uid and a fresh token put in (a draft has a hundred
    paragraphs; rendering each form took most of the page)."""
    chapters = items.chapters if items is not None else selectors.round_chapters(round_)
    form_html = ""
    if items is not None:
        paragraph_form = CommentForm(
            viewer=viewer,
            items=items,
            prefix="comment",
            initial={"item": f"paragraph:{_UID}", "token": _TOKEN},
            auto_id=f"p-{_UID}-%s",
        )
        paragraph_form.fields["item"].widget = forms.HiddenInput()
        form_html = as_crispy_form(paragraph_form)
    out = []
    for chapter in chapters:
        rows = []
        for paragraph in chapter.paragraphs:
            # The token stays a placeholder: _round_page puts in a fresh one per request.
            html = mark_safe(  # noqa: S308 - uuids in our own HTML
                form_html.replace(_UID, str(uuid.UUID(paragraph.uid)))
            )
            rows.append(
                {
                    "paragraph": paragraph,
                    "form_html": html if form_html else "",
                    "earlier": earlier.get(paragraph.uid, []),
                }
            )
        out.append({"chapter": chapter, "rows": rows})
    return out


def _comments_html(
    request: HttpRequest, round_: Round, viewer: perms.Viewer, state: tuple[Any, ...] | None
) -> str:
    """The comment list of one page (anonymous visitors get it inside the cached page): the
    page and its comments as the controls need them (fragments.comment_page, cached under the
    round's ``state``), each thread's HTML from the cache (fragments.threads_html) and only
    the threads missing there read whole."""
    page, comments, flagged = fragments.comment_page(
        round_, viewer, request.GET.get("page"), state, COMMENTS_PER_PAGE
    )
    context = _comment_context(viewer, round_)

    def whole(missing: list[int]) -> list[CommentView]:
        found = selectors.round_comments(round_, viewer).filter(pk__in=missing)
        return _views(viewer, round_, list(found), flagged)

    return render_to_string(
        "consultations/partials/comment_section.html",
        {
            **context,
            "page": page,
            "threads": fragments.threads_html(
                request,
                context,
                _views(viewer, round_, comments, flagged),
                whole=whole,
                notices=_thread_messages(request, (comment.pk for comment in comments)),
            ),
        },
        request=request,
    )


# --- Managing rounds (the coordinating team) -------------------------------------------------


def _round_form_page(
    request: HttpRequest, form: RoundForm, heading: str, status: int = 200
) -> HttpResponse:
    context = {"form": form, "heading": heading, "min_days": rules.min_round_days()}
    return render(request, "consultations/round_form.html", context, status=status)


def _warn_deadline(request: HttpRequest, round_: Round) -> None:
    if round_.days_before_legal_deadline < 0:
        messages.warning(
            request,
            _("The round closes after the legal deadline (%(deadline)s).")
            % {"deadline": prose_date(round_.programme.legal_deadline)},
        )
    elif round_.leaves_too_little_time:
        messages.warning(
            request,
            _(
                "The round closes %(days)s days before the legal deadline (%(deadline)s): "
                "little time is left to settle the comments and adopt the programme."
            )
            % {
                "days": round_.days_before_legal_deadline,
                "deadline": prose_date(round_.programme.legal_deadline),
            },
        )


@login_required
def round_create(request: AuthenticatedRequest) -> HttpResponse:
    if not perms.can_manage_rounds(request.user):
        raise PermissionDenied
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_create(actor=request.user, **form.cleaned_data)
        except services.Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The round has been created as a draft."))
            _warn_deadline(request, round_)
            _warn_rules(request, round_)
            return redirect(round_)
    status = 400 if request.method == "POST" else 200
    return _round_form_page(request, form, _("New consultation round"), status)


@login_required
def round_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, pk)
    if not perms.can_edit_round(request.user, round_):
        raise PermissionDenied
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(actor=request.user, round_=round_, **form.cleaned_data)
        except services.Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The round has been saved."))
            _warn_deadline(request, round_)
            _warn_rules(request, round_)
            return redirect(round_)
    status = 400 if request.method == "POST" else 200
    return _round_form_page(request, form, _("Edit the consultation round"), status)


# Each step: who may take it, the service, and what the page says when it is done.
TRANSITIONS: dict[str, tuple[Callable[..., bool], Callable[..., Round], Any]] = {
    "announce": (
        perms.can_announce_round,
        services.round_announce,
        gettext_lazy("The round is announced."),
    ),
    "open": (
        perms.can_open_round_now,
        services.round_open,
        gettext_lazy("The round is open for comments."),
    ),
    "close": (perms.can_close_round, services.round_close, gettext_lazy("The round is closed.")),
    "settled": (
        perms.can_mark_settled,
        services.round_mark_settled,
        gettext_lazy("Every comment is settled."),
    ),
    "publish": (
        perms.can_publish_report,
        services.round_publish_report,
        gettext_lazy("The consultation report is published."),
    ),
}


def _local(moment: Any) -> str:
    return prose_datetime(moment)


@dataclass(frozen=True)
class Confirmation:
    """What an irreversible step's confirmation page says; who is e-mailed comes from
    ``notices.transition_audience``, the rule the step itself follows."""

    action: ConsultationsAudit
    title: StrOrPromise
    submit_label: StrOrPromise
    consequences: Callable[[Round], list[StrOrPromise]]


CONFIRMATIONS = {
    "announce": Confirmation(
        ConsultationsAudit.ROUND_ANNOUNCE,
        gettext_lazy("Announce the round?"),
        gettext_lazy("Yes, announce the round"),
        lambda round_: [
            _("The round becomes public with its dates and the consulted document."),
            _("It opens for comments on %(opens)s and closes on %(closes)s.")
            % {"opens": _local(round_.opens_at), "closes": _local(round_.closes_at)},
        ],
    ),
    "open": Confirmation(
        ConsultationsAudit.ROUND_OPEN,
        gettext_lazy("Open the round now?"),
        gettext_lazy("Yes, open the round now"),
        lambda round_: [
            _("The round opens for comments now instead of on %(opens)s.")
            % {"opens": _local(round_.opens_at)},
        ],
    ),
    "close": Confirmation(
        ConsultationsAudit.ROUND_CLOSE,
        gettext_lazy("Close the round now?"),
        gettext_lazy("Yes, close the round now"),
        lambda round_: [
            _("The round closes now instead of on %(closes)s: no more comments can be posted.")
            % {"closes": _local(round_.closes_at)},
            _("The coordinating team then settles every comment."),
        ],
    ),
    "settled": Confirmation(
        ConsultationsAudit.ROUND_SETTLE,
        gettext_lazy("Mark the round as settled?"),
        gettext_lazy("Yes, mark the round as settled"),
        lambda round_: [
            _("No disposition can be changed any more: every comment's is final."),
            _("The report can then be published."),
        ],
    ),
    "publish": Confirmation(
        ConsultationsAudit.ROUND_PUBLISH_REPORT,
        gettext_lazy("Publish the report?"),
        gettext_lazy("Yes, publish the report"),
        lambda round_: [
            _("The consultation report becomes public, with every comment and its disposition."),
        ],
    ),
}


def _allowed_step(request: AuthenticatedRequest, pk: int, step: str) -> tuple[Round, bool]:
    """The round and whether ``step`` is open to this person now: 403 for those who may never
    take it; False for the coordinating team when the round has moved on (another coordinator
    took the step first), whom the view tells so."""
    round_ = get_round_for_user(request.user, pk)
    if step not in TRANSITIONS:
        raise Http404
    if TRANSITIONS[step][0](request.user, round_):
        return round_, True
    if perms.can_manage_rounds(request.user):
        messages.error(request, _("The round is not in the right phase for this step any more."))
        return round_, False
    raise PermissionDenied


@login_required
def round_transition_confirm(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    """The confirmation page of announce, open now, close now or publish the report (GET; it
    posts to ``round_transition``)."""
    if step not in CONFIRMATIONS:
        raise Http404
    round_, allowed = _allowed_step(request, pk, step)
    if not allowed:
        return redirect(round_)
    return _confirm_step(request, round_, step)


def _confirm_step(
    request: AuthenticatedRequest,
    round_: Round,
    step: str,
    form: AnnounceForm | CloseForm | None = None,
) -> HttpResponse:
    """The confirmation page of ``step``. Announcing a round that falls short of Kraków's
    rules lists the shortfalls and asks for the reason (``AnnounceForm``; the reason already
    typed in the round's form is its initial value); closing one before its deadline asks
    why (``CloseForm``)."""
    confirmation = CONFIRMATIONS[step]
    # A step the service will refuse whatever is sent is said instead, with no button.
    warning: Any = ""
    refused: Any = ""
    if step == "settled":
        refused = services.still_unsettled(round_)
    elif step == "announce":
        now = timezone.now()
        if over := rules.already_over(round_, now):
            refused = over
        elif shortfalls := rules.round_shortfalls(round_, now=now):
            warning = " ".join(str(shortfall) for shortfall in shortfalls)
            if form is None:
                form = AnnounceForm(initial={"override_reason": round_.rules_override_reason})
    elif step == "close" and form is None:
        form = CloseForm()  # an open round closes before its deadline: always why
    return confirm_page(
        request,
        title=confirmation.title,
        subject=round_.title,
        consequences=confirmation.consequences(round_),
        audience=notices.transition_audience(round_, confirmation.action),
        action_url=reverse("consultations:round-step", kwargs={"pk": round_.pk, "step": step}),
        cancel_url=round_.get_absolute_url(),
        submit_label=confirmation.submit_label,
        warning=warning,
        refused=refused,
        form=form,
        status=200 if form is None or not form.is_bound else 400,
    )


@login_required
@require_POST
def round_transition(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    """One step of the round; the steps in ``CONFIRMATIONS`` only from their confirmation page
    (a POST without its field goes there and changes nothing)."""
    round_, allowed = _allowed_step(request, pk, step)
    if not allowed:
        return redirect(round_)
    _predicate, service, done = TRANSITIONS[step]
    if step in CONFIRMATIONS and not is_confirmed(request):
        messages.warning(request, _("Please confirm this step first; nothing has changed yet."))
        return redirect("consultations:round-step-confirm", pk=round_.pk, step=step)
    extra: dict[str, Any] = {}
    if step == "announce":
        announce = AnnounceForm(request.POST)
        if not announce.is_valid():
            return _confirm_step(request, round_, step, form=announce)
        # Left empty: the reason typed in the round's form, if any (services.round_announce).
        extra["override_reason"] = announce.cleaned_data["override_reason"] or None
    elif step == "close":
        close = CloseForm(request.POST)
        if not close.is_valid():
            return _confirm_step(request, round_, step, form=close)
        extra["reason"] = close.cleaned_data["reason"]
    try:
        service(actor=request.user, round_=round_, **extra)
    except services.CloseReasonRequired as refusal:
        close = CloseForm(request.POST)
        close.is_valid()
        close.add_error("reason", str(refusal))
        return _confirm_step(request, round_, step, form=close)
    except services.ShortOfRules as refusal:
        # Back to the confirmation page, which lists the shortfalls, with the reason asked for.
        announce = AnnounceForm(request.POST)
        announce.is_valid()
        announce.add_error("override_reason", str(refusal))
        return _confirm_step(request, round_, step, form=announce)
    except services.Refused as error:
        messages.error(request, str(error))
        target = "consultations:round-settle" if step == "settled" else "consultations:round-detail"
        return redirect(target, pk=round_.pk)
    messages.success(request, str(done))
    if step == "announce":
        _warn_rules(request, round_)
    if step == "publish":
        return redirect("consultations:round-report", pk=round_.pk)
    return redirect(round_)


# --- Comments ----------------------------------------------------------------------------


def _comment_fragment(
    request: HttpRequest,
    comment: Comment,
    viewer: perms.Viewer,
    error: str = "",
    notice: str = "",
    kept: str = "",
) -> HttpResponse:
    thread = selectors.comment_thread(comment, viewer)
    (html,) = fragments.threads_html(
        request,
        _comment_context(viewer, comment.round),
        _views(viewer, comment.round, [thread], selectors.own_flags(comment.round, viewer)),
        error=error,
        notice=notice,
        kept=kept,
    )
    return HttpResponse(html)


def _on_its_page(comment: Comment, viewer: perms.Viewer, anchor: int | str) -> str:
    """The address of the viewer's round page that lists the comment's thread, at element
    ``comment-<anchor>``: in a big round most threads are not on page 1."""
    thread = comment.parent_id or comment.pk
    page = selectors.page_of_thread(comment.round, viewer, thread, COMMENTS_PER_PAGE)
    query = f"?page={page}" if page > 1 else ""
    return f"{comment.round.get_absolute_url()}{query}#comment-{anchor}"


@require_safe
def comment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment's own address (``Comment.get_absolute_url``: in e-mails, My comments, the
    moderation queue, search): to the round page that lists it, at the comment or reply, for
    whoever may see it there. Someone not logged in, who may not see it, is asked to log in
    (it may be their own withdrawn comment, linked from an e-mail), whether or not it exists."""
    try:
        comment, viewer = get_comment_for_user(request.user, pk)
    except Http404:
        if request.user.is_authenticated:
            raise
        return redirect_to_login(request.get_full_path())
    return redirect(_on_its_page(comment, viewer, comment.pk))


def _thread_url(comment: Comment, viewer: perms.Viewer) -> str:
    """The comment's thread on its page of the round (after a comment action without
    JavaScript, or its cancelling)."""
    return _on_its_page(comment, viewer, comment.parent_id or comment.pk)


_THREAD_TAG = "thread-"


def _to_thread(
    request: HttpRequest, comment: Comment, viewer: perms.Viewer, level: int, text: str
) -> HttpResponse:
    """A comment action done or refused without JavaScript: back to the comment's thread on
    its page, and the message at the top of that thread (``_thread_messages``), where the page
    opens, as htmx puts it there; not at the top of the page, thousands of pixels above."""
    thread = comment.parent_id or comment.pk
    messages.add_message(request, level, text, extra_tags=f"{_THREAD_TAG}{thread}")
    # At the message itself (comment_notice.html): a browser focuses the focusable element an
    # address's fragment names, but skips ``autofocus`` on a page opened at a fragment, so
    # the message at the thread's top was shown, not focused, and not read out.
    return redirect(_on_its_page(comment, viewer, f"{thread}-message"))


def _thread_messages(request: HttpRequest, threads: Iterable[int]) -> dict[int, fragments.Message]:
    """The messages of ``_to_thread`` for the threads on this page, by thread: each is shown
    at the top of its thread, and marked for base.html to leave out at the top of the page
    (one addressed to a thread not on this page stays there). Only the thread of the latest
    is focused (the one the address leads to): a page has one ``autofocus``."""
    errors: dict[int, list[str]] = {}
    notices: dict[int, list[str]] = {}
    on_page = set(threads)
    latest = None
    for message in messages.get_messages(request):
        tag = message.extra_tags or ""
        if (
            tag.startswith(_THREAD_TAG)
            and (thread := int(tag.removeprefix(_THREAD_TAG))) in on_page
        ):
            message.in_thread = True  # type: ignore[union-attr]
            found = errors if message.level >= messages.ERROR else notices
            found.setdefault(thread, []).append(str(message))
            latest = thread
    return {
        thread: fragments.Message(
            error=" ".join(errors.get(thread, [])),
            notice=" ".join(notices.get(thread, [])),
            focus=thread == latest,
        )
        for thread in errors.keys() | notices.keys()
    }


def _refused(
    request: HtmxRequest, comment: Comment, viewer: perms.Viewer, message: str
) -> HttpResponse:
    """A refused comment action: in place for htmx (200, so htmx swaps it in), else a
    message and the comment."""
    if request.htmx:
        return _comment_fragment(request, comment, viewer, error=message)
    return _to_thread(request, comment, viewer, messages.ERROR, message)


def _reply_refused(
    request: HtmxRequest,
    parent: Comment,
    viewer: perms.Viewer,
    message: str,
    *,
    status: int = 400,
) -> HttpResponse:
    """A reply not saved (refused for what it holds; ``status`` 409 once replies closed, 429
    after too many): the reason, and the text as typed, so that nothing the person wrote is
    lost. In place of the thread for htmx (200), else the page of what was not saved, as for
    a late comment (``_not_saved``)."""
    if request.htmx:
        typed = request.POST.get("reply-text", "").strip()
        return _comment_fragment(request, parent, viewer, error=message, kept=typed)
    return _not_saved(request, parent.round, message, prefix="reply-", status=status)


def _done(
    request: HtmxRequest, comment: Comment, viewer: perms.Viewer, message: str
) -> HttpResponse:
    """A comment action done: the thread again with the message at its top (htmx; focused,
    so that a keyboard or screen-reader user hears it where they are), else the message and
    the comment."""
    if request.htmx:
        return _comment_fragment(request, comment, viewer, notice=message)
    return _to_thread(request, comment, viewer, messages.SUCCESS, message)


def _not_saved(
    request: HtmxRequest, round_: Round, message: str, prefix: str = "", status: int = 409
) -> HttpResponse:
    """A comment or an edit that the round no longer takes (sent just after the deadline):
    the reason, and the texts as typed, so that nothing the person wrote is lost. In place of
    the comment form for htmx (200, so htmx swaps it in); else a page, 409 (or ``status``:
    400 for a reply refused for what it holds)."""
    fields = CommentForm.base_fields
    texts = [
        (fields[name].label, typed)
        for name in ("text", "proposed_wording", "submitter_justification")
        if (typed := request.POST.get(prefix + name, "").strip())
    ]
    context = {"round": round_, "message": message, "texts": texts}
    if request.htmx:
        return render(request, "consultations/partials/comment_not_saved.html", context)
    return render(request, "consultations/comment_not_saved.html", context, status=status)


def _too_many(request: AuthenticatedRequest) -> str:
    """Why a comment or reply is not taken now, if its sender has sent more than
    ``CONSULTATIONS_POSTS_PER_WINDOW`` of them in the window (core/limits.py); "" else."""
    wait = limits.spend(
        f"post:{request.user.pk}",
        limit=settings.CONSULTATIONS_POSTS_PER_WINDOW,
        seconds=settings.CONSULTATIONS_POST_WINDOW_SECONDS,
    )
    if wait is None:
        return ""
    return _(
        "You have sent many comments and replies in a short while; nothing was saved. Please "
        "wait %(minutes)s min and send it again."
    ) % {"minutes": wait_minutes(wait)}


def _sent_before(request: AuthenticatedRequest, field: str) -> services.AlreadySaved | None:
    """AlreadySaved for a form whose comment was saved before and that is sent again once the
    round no longer takes comments (a request retried just after the deadline): the person is
    told their comment is there, not that nothing was saved. None otherwise."""
    try:
        token = uuid.UUID(request.POST.get(field, ""))
    except ValueError:
        return None
    try:
        services.refuse_if_sent(request.user, token)
    except services.AlreadySaved as sent:
        return sent
    except services.Refused:  # another person's token: the closed round's message stands
        return None
    return None


@login_required
@require_POST
def comment_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # The row from the cache (posts in the last hours of a round come fast, and each bumps
    # the round's comments_changed_at, not its version), its phase read afresh.
    round_ = round_row(request.user, visible_stamp(request.user, pk))
    viewer = perms.viewer_for(request.user, round_)
    if not perms.can_comment(viewer, round_):
        if viewer.is_commenter and round_.status != Phase.DRAFT:
            if (sent := _sent_before(request, "comment-token")) is not None:
                return _to_thread(request, sent.current, viewer, messages.INFO, str(sent))
            return _not_saved(
                request,
                round_,
                _("The round is not open for comments; nothing was saved."),
                prefix="comment-",
            )
        raise PermissionDenied
    if too_many := _too_many(request):
        return _not_saved(request, round_, too_many, prefix="comment-", status=429)
    items = selectors.cached_round_items(round_)
    form = CommentForm(request.POST, viewer=viewer, items=items, prefix="comment")
    comment = saved = None
    saved_notice = ""
    if form.is_valid():
        role, organisation = form.cleaned_data["on_behalf"]
        try:
            comment = services.comment_post(
                actor=request.user,
                round_=round_,
                text=form.cleaned_data["text"],
                proposed_wording=form.cleaned_data["proposed_wording"],
                submitter_justification=form.cleaned_data["submitter_justification"],
                author_role=role,
                organisation=organisation,
                item=form.cleaned_data["item"],
                paragraph_unit=form.cleaned_data.get("unit", ""),
                token=form.cleaned_data["token"],
            )
        except services.AlreadySaved as sent:
            saved, saved_notice = sent.current, str(sent)
            if not request.htmx:
                return _to_thread(request, saved, viewer, messages.INFO, str(sent))
        except services.Refused as error:
            form.add_error(None, str(error))
    if request.htmx:
        context: dict[str, Any] = {
            "round": round_,
            "form": form,
            "new_comment": None,
            "already_saved": saved,
            "already_saved_notice": saved_notice,
        }
        if comment is not None or saved is not None:
            # A blank form again: the same for everyone with the same choices, so rendered
            # once (core.page_cache.shared_html) and given a fresh token.
            context["form_html"] = mark_safe(  # noqa: S308 - rendered by us
                _fresh_tokens(
                    shared_html(
                        request,
                        ("comment-form", round_.pk, round_.version, viewer.on_behalf_key()),
                        lambda: as_crispy_form(_blank_comment_form(viewer, items)),
                    )
                )
            )
        if comment is not None:
            thread = selectors.new_thread(comment)
            context["new_comment"] = comment
            (context["new_comment_html"],) = fragments.threads_html(
                request, _comment_context(viewer, round_), _views(viewer, round_, [thread])
            )
        return render(request, "consultations/partials/comment_form.html", context)
    if comment is None:
        return _round_page(request, round_, viewer, form=form, status=400)
    return _to_thread(request, comment, viewer, messages.SUCCESS, _("Your comment has been added."))


def _reply_already_saved(
    request: AuthenticatedRequest,
    parent: Comment,
    viewer: perms.Viewer,
    sent: services.AlreadySaved,
) -> HttpResponse:
    if request.htmx:
        return _comment_fragment(request, parent, viewer, notice=str(sent))
    return _to_thread(request, parent, viewer, messages.INFO, str(sent))


@login_required
@require_POST
def comment_reply(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    parent, viewer = get_comment_for_user(request.user, pk)
    if not perms.can_reply(viewer, parent):
        if not viewer.is_commenter:
            raise PermissionDenied
        if (sent := _sent_before(request, "reply-token")) is not None:
            return _reply_already_saved(request, parent, viewer, sent)
        closed = perms.closed_to_responses(parent) or _("Replies are closed; nothing was saved.")
        return _reply_refused(request, parent, viewer, closed, status=409)
    if too_many := _too_many(request):
        return _reply_refused(request, parent, viewer, too_many, status=429)
    form = ReplyForm(request.POST, viewer=viewer, prefix="reply")
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        return _reply_refused(request, parent, viewer, errors)
    role, organisation = form.cleaned_data["on_behalf"]
    try:
        services.comment_post(
            actor=request.user,
            round_=parent.round,
            text=form.cleaned_data["text"],
            author_role=role,
            organisation=organisation,
            parent=parent,
            token=form.cleaned_data["token"],
        )
    except services.AlreadySaved as sent:
        return _reply_already_saved(request, parent, viewer, sent)
    except services.Refused as error:
        return _reply_refused(request, parent, viewer, str(error))
    return _done(request, parent, viewer, _("Your reply has been added."))


@login_required
def comment_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment, viewer = get_comment_for_user(request.user, pk)
    if not perms.can_edit_comment(viewer, comment):
        if comment.author_id != request.user.pk or comment.is_withdrawn:
            raise PermissionDenied
        # The author, after the round stopped taking edits: said so, and an edit sent from a
        # page opened before the deadline is shown back, not lost.
        message = _("The round is closed: comments can no longer be edited.")
        if request.method != "POST":
            context = {"round": comment.round, "message": message, "comment": comment}
            return render(request, "consultations/refused.html", context, status=403)
        return _not_saved(request, comment.round, message + " " + _("Your edit was not saved."))
    initial = {
        "text": comment.text,
        "proposed_wording": comment.proposed_wording,
        "submitter_justification": comment.submitter_justification,
        "version": comment.version,
    }
    form = CommentEditForm(request.POST or None, initial=initial)
    if comment.parent_id:
        del form.fields["proposed_wording"]
        del form.fields["submitter_justification"]
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                actor=request.user,
                comment=comment,
                text=form.cleaned_data["text"],
                proposed_wording=form.cleaned_data.get("proposed_wording", ""),
                submitter_justification=form.cleaned_data.get("submitter_justification"),
                version=form.cleaned_data["version"],
            )
        except services.Refused as error:
            form.add_error(None, str(error))
        else:
            saved_text = _("Your comment has been saved; the earlier text is kept.")
            return _to_thread(request, comment, viewer, messages.SUCCESS, saved_text)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "consultations/comment_edit.html",
        {"form": form, "comment": comment, "round": comment.round},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Withdraw one's comment, only from its confirmation page (the Withdraw button leads
    there; a POST without the confirmation shows it and changes nothing): it cannot be undone."""
    comment, viewer = get_comment_for_user(request.user, pk)
    if not perms.can_edit_comment(viewer, comment):
        raise PermissionDenied
    if request.method != "POST" or not is_confirmed(request):
        return confirm_page(
            request,
            title=_("Withdraw your comment?"),
            subject=comment.text[:200],
            consequences=[
                _(
                    "Others will no longer see it, and it will not be counted, settled or "
                    "listed in the report."
                ),
                _("It stays on record: you still see it, marked as withdrawn, in My comments."),
                _("To say it again, write a new comment."),
            ],
            audience=None,
            action_url=reverse("consultations:comment-withdraw", args=[comment.pk]),
            cancel_url=_thread_url(comment, viewer),
            submit_label=_("Yes, withdraw my comment"),
        )
    services.comment_withdraw(actor=request.user, comment=comment)
    # Back to it: its author still finds it in its place, marked withdrawn.
    return _to_thread(
        request, comment, viewer, messages.SUCCESS, _("Your comment has been withdrawn.")
    )


@login_required
@require_POST
def comment_support(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment, viewer = get_comment_for_user(request.user, pk)
    if not perms.can_support(viewer, comment):
        if not viewer.organisations:
            raise PermissionDenied
        closed = perms.closed_to_responses(comment) or _("You cannot support this comment now.")
        return _refused(request, comment, viewer, closed)
    return _for_organisation(
        request,
        comment,
        viewer,
        perms.supporting_organisations(viewer, comment),
        lambda organisation: services.comment_support(
            actor=request.user, comment=comment, organisation=organisation
        ),
        lambda _organisation: _("Your organisation supports this comment."),
    )


@login_required
@require_POST
def comment_support_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment, viewer = get_comment_for_user(request.user, pk)
    organisations = perms.withdrawable_supports(viewer, comment)
    if not organisations:
        if not viewer.organisations:
            raise PermissionDenied
        if not phase_opens(comment.round, Feature.SUPPORT):
            why = _("The round no longer takes supports: a support can no longer be withdrawn.")
        else:
            why = _("None of your organisations supports this comment (any more).")
        return _refused(request, comment, viewer, why)
    return _for_organisation(
        request,
        comment,
        viewer,
        organisations,
        lambda organisation: services.comment_support_withdraw(
            actor=request.user, comment=comment, organisation=organisation
        ),
        lambda organisation: (
            _("The support of %(organisation)s has been withdrawn.")
            % {"organisation": organisation.name}
        ),
    )


def _for_organisation(
    request: AuthenticatedRequest,
    comment: Comment,
    viewer: perms.Viewer,
    organisations: dict[int, str],
    act: Callable[[Organisation], object],
    done: Callable[[Organisation], str],
) -> HttpResponse:
    """``act`` for the organisation the form names, one of ``organisations`` (the viewer's
    that the page may offer); the comment again with ``done(organisation)``, or with why not."""
    form = SupportForm(request.POST, organisations=organisations)
    if not form.is_valid():
        return _refused(request, comment, viewer, _("Choose one of your organisations."))
    organisation = Organisation.objects.get(pk=form.cleaned_data["organisation"])
    try:
        act(organisation)
    except services.Refused as error:
        return _refused(request, comment, viewer, str(error))
    return _done(request, comment, viewer, done(organisation))


@login_required
@require_POST
def comment_flag(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment, viewer = get_comment_for_user(request.user, pk)
    if not perms.can_flag(viewer, comment):
        if not viewer.is_commenter:
            raise PermissionDenied
        closed = perms.closed_to_responses(comment) or _("You cannot flag this comment.")
        return _refused(request, comment, viewer, closed)
    form = FlagForm(request.POST, prefix="flag")
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        return _refused(request, comment, viewer, errors)
    try:
        services.comment_flag(
            actor=request.user, comment=comment, reason=form.cleaned_data["reason"]
        )
    except services.Refused as error:
        return _refused(request, comment, viewer, str(error))
    thanks = _("Thank you: the moderators will look at this comment.")
    if comment.is_hidden and not perms.can_see_comment(viewer, comment):
        # Hidden by this flag: the thread comes back with the comment's (or the reply's)
        # placeholder, and says so.
        thanks = _("Thank you. The comment has been hidden until a moderator reviews it.")
    return _done(request, comment, viewer, thanks)


def _own_comment_denied(
    request: AuthenticatedRequest, refusal: services.OwnComment, attempted: str
) -> None:
    """A moderator or coordinator tried to decide on their own comment: the audit log says so."""
    services.own_decision_denied(actor=request.user, comments=refusal.comments, attempted=attempted)


def _moderate(request: AuthenticatedRequest, pk: int, *, hide: bool) -> HttpResponse:
    comment, viewer = get_comment_for_user(request.user, pk)
    if not perms.can_moderate(viewer, comment.round):
        raise PermissionDenied
    form = ModerationForm(request.POST, prefix="moderation")
    if not form.is_valid():  # too long: the field's own message
        return _refused(request, comment, viewer, " ".join(map(str, form.errors["reason"])))
    service = services.comment_hide if hide else services.comment_unhide
    try:
        service(actor=request.user, comment=comment, reason=form.cleaned_data["reason"])
    except services.OwnComment as refusal:
        _own_comment_denied(request, refusal, "hide" if hide else "unhide")
        if request.htmx:  # htmx swaps no 403; the page did not offer this anyway
            response = _comment_fragment(request, comment, viewer, error=str(refusal))
            response.status_code = 403
            return response
        return render(
            request,
            "consultations/refused.html",
            {"round": comment.round, "message": str(refusal), "comment": comment},
            status=403,
        )
    except services.Refused as error:
        return _refused(request, comment, viewer, str(error))
    done = _("The comment has been hidden.") if hide else _("The comment is shown again.")
    return _done(request, comment, viewer, done)


@login_required
@require_POST
def comment_hide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _moderate(request, pk, hide=True)


@login_required
@require_POST
def comment_unhide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _moderate(request, pk, hide=False)


# --- The report ----------------------------------------------------------------------------


def report_round(request: HttpRequest, pk: int) -> Round:
    """The round whose report ``request`` may see (404 otherwise)."""
    round_ = get_round_for_user(request.user, pk)
    if not perms.can_view_report(request.user, round_):
        raise Http404("No such report.")
    return round_


def round_report_page(
    request: HttpRequest,
    round_: Round,
    *,
    frozen: Callable[[], Mapping[str, Any]] | None = None,
    stamp: tuple[Any, ...] = (),
    sections: Callable[[], Mapping[str, list[Any]]] | None = None,
) -> HttpResponse:
    """The report page, cached for anonymous visitors. Once the report is published the
    documents app (which routes this page) passes what loads its frozen document part,
    ``frozen`` (documents/pages.py; loaded only if the page is rendered), and the
    publication's ``stamp``, so that the cached copy follows
    the rendering and the errata too; before that the page is the live preview, with the
    ``sections`` of the report's builder it shows (documents.consultation_report)."""
    return anonymous_page(
        request,
        (*round_state(round_), *stamp),
        lambda: _round_report_page(request, round_, frozen, sections),
    )


def _round_report_page(
    request: HttpRequest,
    round_: Round,
    frozen: Callable[[], Mapping[str, Any]] | None,
    sections: Callable[[], Mapping[str, list[Any]]] | None = None,
) -> HttpResponse:
    context: dict[str, Any]
    if frozen is not None:
        document = frozen()
        # One page of the paginator is one frozen page of rows, as it was published.
        page = Paginator(document["pages"], 1).get_page(request.GET.get("page"))
        context = {"frozen": document}
    else:
        page = Paginator(selectors.report_comments(round_), REPORT_PER_PAGE).get_page(
            request.GET.get("page")
        )
        context = {
            "stats": selectors.report_statistics(round_),
            "events": list(round_.events.all()),
            "page_sections": sections() if sections is not None else {},
        }
    return render(
        request,
        "consultations/round_report.html",
        {"round": round_, "phase": phase_of(round_), "page": page, **context},
    )


REPORT_COLUMNS = [
    gettext_lazy("No."),
    gettext_lazy("Item"),
    gettext_lazy("Organisation or role"),
    gettext_lazy("Comment"),
    gettext_lazy("Proposed wording"),
    gettext_lazy("Supported by"),
    gettext_lazy("Disposition"),
    gettext_lazy("Justification"),
    gettext_lazy("Registered at"),
    # The register (issue 14): appended, so the earlier columns keep their places.
    gettext_lazy("Registration number"),
    gettext_lazy("Channel"),
    gettext_lazy("Received at"),
    gettext_lazy("Justification of the comment"),
    gettext_lazy("Wording of the paragraph"),
    # Received after the close (a registered comment): the page and the PDF mark it too.
    gettext_lazy("Received late"),
]
# "Registered at" and "Received at": Warsaw times as text in the rows (a published report
# freezes them as JSON), stored as date cells in the XLSX (core.spreadsheets).
CHANNEL_COLUMN, RECEIVED_AT_COLUMN = 10, 11
REPORT_TIME_COLUMNS = (8, RECEIVED_AT_COLUMN)


def report_rows(round_: Round) -> list[list[Any]]:
    """The rows of the report's CSV and XLSX, as they read now. "No." (Lp.) numbers them in
    the report's order, as the comment table does (documents.comment_table), not by id;
    "Registered at" is when the comment entered the register (for a comment by post, after
    it was received)."""
    rows = []
    for number, comment in enumerate(selectors.report_comments(round_), start=1):
        comment.round = round_  # for is_late, without a query per comment
        rows.append(
            [
                number,
                comment.item_label_of_record,
                comment.author_label,
                comment.report_text,
                comment.report_proposed_wording,
                ", ".join(s.organisation.name for s in comment.supports.all()),
                str(comment.get_disposition_display()),
                comment.justification,
                timezone.localtime(comment.created_at).strftime("%Y-%m-%d %H:%M"),
                comment.registration_number or "",
                str(comment.get_channel_display()),
                timezone.localtime(comment.received).strftime("%Y-%m-%d %H:%M"),
                "" if comment.is_hidden else comment.submitter_justification,
                comment.paragraph_wording,
                late_cell(comment.is_late),
            ]
        )
    return rows


def late_cell(late: bool) -> str:
    """The "Received late" cell of a report row."""
    return _("yes") if late else ""


def report_csv(request: HttpRequest, round_: Round, rows: list[list[str]]) -> HttpResponse:
    return spreadsheets.csv_response(
        request, columns=REPORT_COLUMNS, rows=rows, filename=round_.report_filename("csv")
    )


def report_xlsx(round_: Round, rows: list[list[str]]) -> HttpResponse:
    return spreadsheets.xlsx_response(
        columns=REPORT_COLUMNS,
        rows=rows,
        filename=round_.report_filename("xlsx"),
        sheet=_("Comments"),
        dates=REPORT_TIME_COLUMNS,
    )


# --- Audit log and "my comments" -------------------------------------------------------------


@login_required
def round_audit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, pk)
    if not perms.can_view_audit(request.user, round_):
        raise PermissionDenied
    entries = AuditEntry.objects.filter(data__round=round_.pk).select_related("actor")
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    dispositions = dict(Disposition.choices)
    for entry in page.object_list:  # what was decided, beside why
        entry.disposition = dispositions.get(str((entry.data or {}).get("disposition")), "")
    return render(request, "consultations/round_audit.html", {"round": round_, "page": page})


@login_required
def my_comments(request: AuthenticatedRequest) -> HttpResponse:
    comments = (
        Comment.objects.filter(author=request.user)
        .select_related("round", "organisation", "swot_entry", "goal", "action", "parent")
        .order_by("-created_at")
    )
    page = Paginator(comments, 50).get_page(request.GET.get("page"))
    found = changes.comment_changes(page.object_list)
    # Whether the round page lists it (a reply under a comment its author withdrew is on no
    # page but theirs): the roles that matter here do not depend on the round.
    viewer = perms.person_viewer(request.user)
    for comment in page.object_list:
        comment.listed = perms.can_list_comment(viewer, comment)
        comment.show_disposition = comment.round.status in (
            Phase.SETTLED,
            Phase.REPORT_PUBLISHED,
        )
        # What changed in the draft because of it: a published version is public; the
        # working copy's change is told with the disposition.
        change = found.get(comment.pk)
        comment.change = (
            change if change and (change.published or comment.show_disposition) else None
        )
    return render(request, "consultations/my_comments.html", {"page": page})


# --- The moderation queue ------------------------------------------------------------------


def _queue_page(
    request: AuthenticatedRequest,
    *,
    refused: tuple[int, QueueDecisionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The queue; after a refused decision (``refused``: the comment's id and the form sent),
    that comment's form with what was typed, the errors at its reason field and a summary on
    top, focused. A comment no longer on the page has its errors said at the top of it."""
    page = Paginator(selectors.moderation_queue(request.user), 50).get_page(request.GET.get("page"))
    coordinator = perms.is_coordinator(request.user)
    for comment in page.object_list:
        comment.is_own = perms.decides_on_own(request.user, comment)
        comment.may_hide = perms.may_hide(coordinator, comment)
        comment.may_dismiss = perms.may_dismiss_flags(coordinator, comment)
    context: dict[str, Any] = {"page": page, "form": QueueDecisionForm()}
    if refused is not None:
        pk, form = refused
        items = [
            {"target": f"reason-{pk}" if name == "reason" else "", "label": "", "error": str(e)}
            for name, errors in form.errors.items()
            for e in errors
        ]
        if any(comment.pk == pk for comment in page.object_list):
            context["refused"] = {
                "pk": pk,
                "reason": form["reason"].value() or "",
                "reason_errors": form.errors.get("reason", []),
                "items": items,
            }
        else:
            context["error"] = " ".join(item["error"] for item in items)
    return render(request, "consultations/moderation_queue.html", context, status=status)


@login_required
def moderation_queue(request: AuthenticatedRequest) -> HttpResponse:
    """Flagged comments nobody has reviewed yet, in the rounds the user moderates."""
    if not perms.can_use_moderation_queue(request.user):
        raise PermissionDenied
    return _queue_page(request)


@login_required
@require_POST
def moderation_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One step from the queue: hide the comment with a reason, or dismiss its flags."""
    comment, viewer = get_comment_for_user(request.user, pk)
    if not perms.can_moderate(viewer, comment.round):
        raise PermissionDenied
    form = QueueDecisionForm(request.POST)
    if not form.is_valid():
        return _queue_page(request, refused=(comment.pk, form), status=400)
    hide = form.cleaned_data["decision"] == QueueDecisionForm.HIDE
    service = services.comment_hide if hide else services.comment_flags_dismiss
    try:
        service(actor=request.user, comment=comment, reason=form.cleaned_data["reason"])
    except services.OwnComment as refusal:
        _own_comment_denied(request, refusal, "hide" if hide else "dismiss")
        return render(
            request,
            "consultations/refused.html",
            {"round": comment.round, "message": str(refusal), "comment": comment},
            status=403,
        )
    except services.Refused as error:
        messages.error(request, str(error))
        return redirect("consultations:moderation-queue")
    messages.success(
        request,
        _("The comment has been hidden.") if hide else _("The flags have been dismissed."),
    )
    return redirect("consultations:moderation-queue")


# --- A round's events and Kraków's rules -----------------------------------------------------


def _warn_rules(request: HttpRequest, round_: Round) -> None:
    """Each way the round falls short of Kraków's rules, as a warning (consultations.rules)."""
    for shortfall in rules.round_shortfalls(round_):
        messages.warning(request, shortfall)


def _events_rights(user: Any, round_: Round) -> dict[str, Any]:
    """What the user may do with the round's forms of consultation, and for the coordinating
    team before the round is announced its shortfalls (the announce confirmation page asks
    for the reason): computed on every request, so also part of a cached page's key."""
    shortfalls = (
        rules.round_shortfalls(round_)
        if perms.can_manage_rounds(user) and phase_of(round_) in (Phase.DRAFT, Phase.ANNOUNCED)
        else []
    )
    return {
        "can_manage_events": perms.can_manage_events(user, round_),
        "can_record_attendance": perms.can_record_attendance(user, round_),
        "can_manage_report_records": perms.can_manage_report_records(user, round_),
        "shortfalls": [str(shortfall) for shortfall in shortfalls],
    }


def _event_page(
    request: HttpRequest, round_: Round, form: forms.ModelForm, heading: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "consultations/round_event_form.html",
        {"round": round_, "form": form, "heading": heading},
        status=status,
    )


@login_required
def event_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, pk)
    if not perms.can_manage_events(request.user, round_):
        raise PermissionDenied
    form = RoundEventForm(request.POST or None, instance=RoundEvent(round=round_))
    if request.method == "POST" and form.is_valid():
        try:
            services.round_event_save(actor=request.user, event=form.instance)
        except services.Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The form of consultation has been added."))
            return redirect(round_.get_absolute_url() + "#events-heading")
    status = 400 if request.method == "POST" else 200
    return _event_page(request, round_, form, _("Add a form of consultation"), status)


def _event_for_user(user: Any, pk: int) -> RoundEvent:
    event = RoundEvent.objects.filter(pk=pk).first()
    if event is None:
        raise Http404("No such event.")
    event.round = get_round_for_user(user, event.round_id)
    return event


@login_required
def event_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Change an event while the round is not closed; after that, record its attendance."""
    event = _event_for_user(request.user, pk)
    round_ = event.round
    full = perms.can_manage_events(request.user, round_)
    if not (full or perms.can_record_attendance(request.user, round_)):
        raise PermissionDenied
    form_class = RoundEventForm if full else AttendanceForm
    form = form_class(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            if full:
                services.round_event_save(actor=request.user, event=form.instance)
            else:
                services.round_event_attendance(
                    actor=request.user, event=event, attendance=form.cleaned_data["attendance"]
                )
        except services.Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The form of consultation has been saved."))
            return redirect(round_.get_absolute_url() + "#events-heading")
    status = 400 if request.method == "POST" else 200
    heading = _("Edit the form of consultation") if full else _("Record the attendance")
    return _event_page(request, round_, form, heading, status)


@login_required
@require_POST
def event_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = _event_for_user(request.user, pk)
    if not perms.can_manage_events(request.user, event.round):
        raise PermissionDenied
    try:
        services.round_event_delete(actor=request.user, event=event)
    except services.Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The form of consultation has been deleted."))
    return redirect(event.round.get_absolute_url() + "#events-heading")
