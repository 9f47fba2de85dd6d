"""The page that applies a comment's proposed wording to the working copy of the programme
draft (consultations.apply_wording), its one-step form on the settling page, and the link an
author follows to what changed because of their comment (consultations.changes).

The form's fields carry the prefix ``wording-<comment id>`` on both pages: the settling page's
one-step controls sit inside that page's own form (forms cannot nest), and its "Apply" button
sends that form here (``formaction``); only the prefixed fields are read.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drafts.services import PARAGRAPH_LIMIT
from teams.http import AuthenticatedRequest
from teams.permissions import is_coordinator

from . import apply_wording, changes, services
from . import permissions as perms
from .access import get_comment_for_user
from .forms import Text
from .models import Comment, Disposition


def wording_prefix(comment: Comment) -> str:
    return f"wording-{comment.pk}"


class ApplyWordingForm(forms.Form):
    """The wording to put into the paragraph, the versions the coordinator saw, and the
    disposition. The rules (which dispositions, conflicts) are the service's."""

    text = Text(
        label=gettext_lazy("Wording to apply"),
        limit=PARAGRAPH_LIMIT,
        help_text=gettext_lazy("The proposed wording; you may edit it before applying."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    paragraph_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    comment_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    disposition = forms.ChoiceField(
        label=gettext_lazy("Disposition"),
        choices=[(d.value, d.label) for d in apply_wording.APPLIED_DISPOSITIONS],
        initial=Disposition.ACCEPTED,
        widget=forms.RadioSelect,
    )
    justification = Text(
        label=gettext_lazy("Justification"),
        initial=gettext_lazy("The proposed wording was introduced into the draft."),
        help_text=gettext_lazy("Required for every disposition, including acceptance."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    resolved = forms.BooleanField(
        label=gettext_lazy(
            "I compared the consulted, the current and the proposed text: save my text as the "
            "paragraph's new wording."
        ),
        required=False,
    )


def _comment_to_apply(request: AuthenticatedRequest, pk: int) -> Comment:
    """A comment with a proposed wording on a paragraph, in a round the user may settle;
    404 for anything else (missing and forbidden alike)."""
    comment, _viewer = get_comment_for_user(request.user, pk)
    if (
        not perms.can_settle(request.user, comment.round)
        or comment.paragraph_uid is None
        or comment.parent_id is not None
    ):
        raise Http404("No such comment.")
    return comment


def _initial(view: apply_wording.WordingView) -> dict[str, Any]:
    return {
        "text": view.proposal,
        "paragraph_version": view.paragraph.version if view.paragraph is not None else 0,
        "comment_version": view.comment.version,
    }


def _page(
    request: AuthenticatedRequest,
    view: apply_wording.WordingView,
    form: ApplyWordingForm,
    status: int = 200,
) -> HttpResponse:
    comment = view.comment
    return render(
        request,
        "consultations/comment_apply_wording.html",
        {
            "view": view,
            "form": form,
            "comment": comment,
            "round": comment.round,
            "own": perms.decides_on_own(request.user, comment),
            "settle_url": reverse("consultations:round-settle", args=[comment.round_id])
            + f"#settle-{comment.pk}",
        },
        status=status,
    )


@login_required
def comment_apply_wording(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment = _comment_to_apply(request, pk)
    prefix = wording_prefix(comment)
    if request.method != "POST":
        view = apply_wording.wording_view(comment)
        return _page(request, view, ApplyWordingForm(prefix=prefix, initial=_initial(view)))
    form = ApplyWordingForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _page(request, apply_wording.wording_view(comment), form, status=400)
    data = form.cleaned_data
    try:
        apply_wording.comment_wording_apply(
            actor=request.user,
            comment=comment,
            text=data["text"],
            paragraph_version=data["paragraph_version"],
            comment_version=data["comment_version"],
            disposition=data["disposition"],
            justification=data["justification"],
            resolved=data["resolved"],
        )
    except services.OwnComment as refusal:
        services.own_decision_denied(
            actor=request.user, comments=refusal.comments, attempted="settle"
        )
        return render(
            request,
            "consultations/refused.html",
            {"round": comment.round, "message": str(refusal), "comment": comment},
            status=403,
        )
    except services.ConflictError as error:
        # The page again with the texts as they are now and the coordinator's own text in the
        # editor: saving it once more is a deliberate decision, made with the current version.
        comment.refresh_from_db()
        view = apply_wording.wording_view(comment, proposal=data["text"])
        fresh = request.POST.copy()
        fresh.setlist(f"{prefix}-paragraph_version", [str(_initial(view)["paragraph_version"])])
        fresh.setlist(f"{prefix}-comment_version", [str(comment.version)])
        fresh.setlist(f"{prefix}-text", [data["text"]])
        fresh.pop(f"{prefix}-resolved", None)
        form = ApplyWordingForm(fresh, prefix=prefix)
        form.is_valid()
        form.add_error(None, str(error))
        return _page(request, view, form, status=409)
    except services.Refused as error:
        form.add_error(None, str(error))
        return _page(request, apply_wording.wording_view(comment), form, status=400)
    messages.success(
        request,
        _(
            "The wording was applied to the working copy's paragraph and comment #%(pk)s "
            "settled; publish the next version to make it public."
        )
        % {"pk": comment.pk},
    )
    return redirect(
        reverse("consultations:round-settle", args=[comment.round_id]) + f"#settle-{comment.pk}"
    )


def comment_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The stable link (in the e-mail sent when a comment is settled) to what changed because of
    the comment: the comparison once a version carries the change; until then a page saying
    which version will. 404 to whoever may not see the comment (its placeholder, for a hidden
    one, is enough: this page shows what it is on, never its text)."""
    comment, _viewer = get_comment_for_user(request.user, pk)
    change = changes.comment_changes([comment]).get(comment.pk)
    if change is not None and change.url is not None:
        return redirect(change.url)
    if change is not None and not (
        comment.author_id == request.user.pk or is_coordinator(request.user)
    ):
        change = None  # the working copy is the coordinating team's and the author's news
    return render(
        request,
        "consultations/comment_change.html",
        {"comment": comment, "round": comment.round, "change": change},
    )
