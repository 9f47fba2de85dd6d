"""The register's pages (the coordinating team only): a comment received outside the portal,
its correction and withdrawal, and its original, served as a download nobody may store."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.confirm import confirm_page, is_confirmed
from core.errors import ConflictError, Refused
from core.models import AuditEntry
from teams.http import AuthenticatedRequest
from teams.permissions import AnyUser, is_coordinator

from . import permissions as perms
from . import register_services, selectors
from .access import get_comment_for_user, get_round_for_user
from .audit import ConsultationsAudit
from .forms import error_items
from .models import Channel, Comment, Disposition, Round
from .phases import Feature, phase_opens
from .register_forms import CONTENT_TYPES, RegisterForm, WithdrawRegisteredForm


def _page(
    request: AuthenticatedRequest,
    round_: Round,
    form: RegisterForm,
    comment: Comment | None,
    *,
    current: Comment | None = None,
    status: int | None = None,
) -> HttpResponse:
    if request.method == "POST":
        form.note_file_not_kept()
    if status is None:
        status = 400 if request.method == "POST" else 200
    context = {
        "round": round_,
        "form": form,
        "comment": comment,
        "current": current,
        "refusal": error_items(form) if form.errors else [],
    }
    return render(request, "consultations/comment_register.html", context, status=status)


@login_required
def comment_register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, pk)
    if not perms.can_register_comments(request.user, round_):
        raise PermissionDenied
    items = selectors.round_items(round_)
    form = RegisterForm(request.POST or None, request.FILES or None, round_=round_, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            comment = register_services.comment_register(
                actor=request.user, round_=round_, **form.service_arguments()
            )
        except Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The comment is registered as %(number)s.")
                % {"number": comment.registration_number},
            )
            return redirect("consultations:round-settle", pk=round_.pk)
    return _page(request, round_, form, None)


def _registered(request: AuthenticatedRequest, pk: int) -> Comment:
    """A registered comment, for the coordinating team; 404 for anyone else and for any
    other comment."""
    comment = (
        Comment.objects.select_related("round__meeting__team", "round__programme")
        .filter(pk=pk)
        .exclude(registered_by=None)
        .first()
    )
    if comment is None or not perms.can_view_originals(request.user, comment.round):
        raise Http404("No such comment.")
    return comment


@login_required
def comment_register_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment = _registered(request, pk)
    round_ = comment.round
    if not perms.can_register_comments(request.user, round_):
        raise PermissionDenied
    if refusal := register_services.correction_refusal(comment):
        # Said before anything is typed, not after.
        context = {
            "round": round_,
            "message": refusal,
            "comment": comment,
            # A withdrawn letter has no address on the round page; the settle page lists it.
            "back_url": reverse("consultations:round-settle", args=[round_.pk]),
        }
        return render(request, "consultations/refused.html", context, status=409)
    items = selectors.round_items(round_)
    form = RegisterForm(
        request.POST or None, request.FILES or None, round_=round_, items=items, comment=comment
    )
    if request.method == "POST" and form.is_valid():
        try:
            register_services.comment_register_edit(
                actor=request.user,
                comment=comment,
                version=form.shown_version(),
                **form.service_arguments(),
            )
        except ConflictError as conflict:
            # The typed values stay; the stored ones are shown beside them, and the form
            # carries the stored version, so a deliberate resubmit saves.
            form.add_error(None, str(conflict))
            current = conflict.current
            if current is not None:
                form.rearm(current.version)
            return _page(request, round_, form, comment, current=current, status=409)
        except Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The registered comment has been saved."))
            return redirect("consultations:round-settle", pk=round_.pk)
    return _page(request, round_, form, comment)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_register_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Withdraw a registered comment, only from its confirmation page, with a reason: it
    cannot be undone. A POST without the confirmation shows the page and changes nothing."""
    if is_coordinator(request.user):
        # A withdrawn comment is not found by get_comment_for_user; a second coordinator
        # confirming the same withdrawal is told it is done, and nothing happens twice.
        done = (
            Comment.objects.filter(pk=pk).exclude(withdrawn_at=None).exclude(channel=Channel.ONLINE)
        )
        if (earlier := done.first()) is not None:
            messages.info(request, _("This comment has already been withdrawn."))
            return redirect("consultations:round-settle", pk=earlier.round_id)
    comment, _viewer = get_comment_for_user(request.user, pk)
    settle_url = reverse("consultations:round-settle", args=[comment.round_id])
    if not perms.can_withdraw_registered(request.user, comment):
        raise PermissionDenied
    confirmed = request.method == "POST" and is_confirmed(request)
    form = WithdrawRegisteredForm(request.POST if confirmed else None, comment=comment)
    stored_now = ""
    status = 400 if confirmed else 200
    if confirmed and form.is_valid():
        try:
            register_services.comment_register_withdraw(
                actor=request.user, comment=comment, **form.service_arguments()
            )
        except ConflictError as conflict:
            current = conflict.current
            if current is None:  # withdrawn by someone else first
                messages.info(request, str(conflict))
                return redirect(settle_url)
            # Changed since the page was shown: nothing is withdrawn; the page comes back
            # with the comment as stored now, the reason as typed, and the stored version,
            # so confirming again withdraws what was read (as the correction's conflict).
            form.rearm(current.version)
            comment, status = current, 409
            stored_now = render_to_string(
                "consultations/partials/register_stored_now.html",
                {"current": current, "intro": str(conflict)},
                request=request,
            )
        except Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Comment %(number)s has been withdrawn; its number stays in the register.")
                % {"number": comment.registration_number},
            )
            return redirect(settle_url)
    number = comment.registration_number or f"#{comment.pk}"
    return confirm_page(
        request,
        title=_("Withdraw registered comment %(number)s?") % {"number": number},
        subject=f"{comment.author_label}: {comment.text[:200]}",
        consequences=[
            _(
                "It will no longer be counted, settled or listed in the report, like a "
                "comment its author withdrew on the portal; a disposition it has no longer "
                "counts."
            ),
            _(
                "Its registration number %(number)s stays with it and is never given again: "
                "the register shows it as withdrawn, with the reason."
            )
            % {"number": number},
            _("The reason is recorded in the round's audit log."),
        ],
        audience=None,
        action_url=reverse("consultations:comment-register-withdraw", args=[comment.pk]),
        cancel_url=settle_url,
        submit_label=_("Yes, withdraw the comment"),
        form=form,
        warning=stored_now,
        status=status,
    )


@login_required
def comment_original(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """The original of a registered comment: a download (``attachment``) that no browser or
    proxy may store, for the coordinating team only."""
    comment = _registered(request, pk)
    if not comment.attachment:
        raise Http404("No original.")
    extension = comment.attachment.name.rsplit(".", 1)[-1]
    number = (comment.registration_number or str(comment.pk)).replace("/", "-")
    response = FileResponse(
        comment.attachment.open("rb"),
        as_attachment=True,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        filename=f"{number}.{extension}",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def settle_rights(user: AnyUser, round_: Round) -> dict[str, bool]:
    """What the viewer of the settle page may do for the register: register a comment, see
    the originals of registered ones."""
    return {
        "can_register": perms.can_register_comments(user, round_),
        "can_view_originals": perms.can_view_originals(user, round_),
        # Round-level: each comment's link also asks whether it is registered.
        "can_withdraw_registered": phase_opens(round_, Feature.REGISTER_WITHDRAW)
        and is_coordinator(user),
    }


def settle_late(round_: Round) -> dict[str, object]:
    """What the settle page shows of the register: the late comments still unsettled, offered
    "not considered" with the suggested reason."""
    late = [
        comment
        for comment in selectors.settle_comments(round_)
        .filter(disposition="")
        .exclude(received_at=None)
        if comment.is_late
    ]
    return {
        "late_unsettled": late,
        "late_reason": register_services.late_reason(),
        "not_considered": Disposition.NOT_CONSIDERED,
        "withdrawn_numbers": withdrawn_numbers(round_),
    }


def withdrawn_numbers(round_: Round) -> list[dict[str, Any]]:
    """The register's withdrawn numbers (numbers are never given again): each withdrawn
    top-level comment with when, and for a registered one the reason the coordinating team
    gave (its audit entry, ``comment.register_withdraw``); a portal comment was withdrawn by
    its author. Two queries, whatever their number."""
    comments = list(
        round_.comments.filter(parent=None)
        .exclude(withdrawn_at=None)
        .exclude(registration_number=None)
        .order_by("registration_number")
    )
    reasons = dict(
        AuditEntry.objects.filter(
            action=ConsultationsAudit.COMMENT_REGISTER_WITHDRAW.value,
            target_type=ContentType.objects.get_for_model(Comment),
            target_id__in=[str(comment.pk) for comment in comments],
        ).values_list("target_id", "reason")
    )
    return [{"comment": c, "reason": reasons.get(str(c.pk), "")} for c in comments]
