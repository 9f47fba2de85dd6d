"""The register's pages (the coordinating team only): a comment received outside the portal,
its correction, and its original, served as a download nobody may store."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import ConflictError, Refused
from teams.http import AuthenticatedRequest
from teams.permissions import AnyUser

from . import permissions as perms
from . import register_services, selectors
from .access import get_round_for_user
from .models import Comment, Disposition, Round
from .register_forms import CONTENT_TYPES, RegisterForm


def _page(
    request: AuthenticatedRequest, round_: Round, form: RegisterForm, comment: Comment | None
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context = {"round": round_, "form": form, "comment": comment}
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
    items = selectors.round_items(round_)
    form = RegisterForm(
        request.POST or None, request.FILES or None, round_=round_, items=items, comment=comment
    )
    if request.method == "POST" and form.is_valid():
        try:
            register_services.comment_register_edit(
                actor=request.user,
                comment=comment,
                version=form.cleaned_data.get("version") or 0,
                **form.service_arguments(),
            )
        except (ConflictError, Refused) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The registered comment has been saved."))
            return redirect("consultations:round-settle", pk=round_.pk)
    return _page(request, round_, form, comment)


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
    }
