"""One-click unsubscribe from one kind of e-mail (RFC 8058), or from the weekly digest.

The signed token in the link is the credential, so the view needs no login. GET shows a
confirmation button (link checkers in mail systems fetch links; they must not unsubscribe
anyone); POST records the opt-out, from that button or from a mail client's one-click
``List-Unsubscribe-Post``, which carries no CSRF token.

The digest's link opts out of every kind the digest gathers (``DIGEST_KINDS``): whoever
clicks "unsubscribe" in a digest wants fewer e-mails, so turning the digest off (back to
single e-mails) would send them more. Invitations and reminders with a deadline never wait for
the digest; they keep coming, each with its own link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from teams.http import AuthenticatedRequest
from teams.permissions import is_coordinator

from .emails import DIGEST, unsubscribe_read
from .models import DigestChoice, NotificationOptOut, Outbox
from .notifications import notification_settings_save
from .outbox import IMMEDIATE_KINDS, outbox_retry

if TYPE_CHECKING:
    from teams.models import User

app_name = "notifications"

KINDS = {
    "round_announced": _("announcements of consultation rounds"),
    "round_opened": _("notices that a consultation round is open"),
    "round_reminder": _("reminders before a consultation round closes"),
    "round_closed": _("notices that a round you commented in has closed"),
    "report_published": _("consultation reports of rounds you commented in"),
    "comment_hidden": _("notices that your comment was hidden"),
    "comment_shown": _("notices that your hidden comment is shown again"),
    "comment_settled": _("dispositions of your comments"),
    "comment_reply": _("replies to your comments"),
    "meeting_invitation": _("meeting invitations"),
    "meeting_reminder": _("meeting reminders the day before"),
    "minutes_published": _("published minutes of meetings"),
}
# What the weekly digest gathers: everything that can wait.
DIGEST_KINDS = [kind for kind in KINDS if kind not in IMMEDIATE_KINDS]


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    from teams.models import User

    try:
        user_id, kind = unsubscribe_read(token)
    except signing.BadSignature:
        raise Http404 from None
    user = User.objects.filter(pk=user_id).first()
    if user is not None and kind == DIGEST:
        return _unsubscribe_digest(request, user)
    if user is None or kind not in KINDS:
        raise Http404
    done = False
    if request.method == "POST":
        NotificationOptOut.objects.get_or_create(user=user, kind=kind)
        done = True
    context = {"kind": kind, "kind_label": KINDS[kind], "done": done}
    return render(request, "emails/unsubscribe.html", context)


def _unsubscribe_digest(request: HttpRequest, user: User) -> HttpResponse:
    done = False
    if request.method == "POST":
        # One statement, so a second click (or a retried POST) changes nothing.
        NotificationOptOut.objects.bulk_create(
            [NotificationOptOut(user=user, kind=kind) for kind in DIGEST_KINDS],
            ignore_conflicts=True,
        )
        done = True
    context = {
        "kind_labels": [KINDS[kind] for kind in DIGEST_KINDS],
        "immediate_labels": [KINDS[kind] for kind in KINDS if kind in IMMEDIATE_KINDS],
        "done": done,
    }
    return render(request, "emails/digest_unsubscribe.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def outbox_failed(request: AuthenticatedRequest) -> HttpResponse:
    """Messages that failed for good, for the coordinating team; each may be sent again."""
    if not is_coordinator(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            row_id = int(request.POST.get("row", ""))
        except ValueError:
            row_id = 0
        if outbox_retry(actor=request.user, row_id=row_id):
            messages.success(request, _("The e-mail will be sent again."))
        else:
            messages.error(request, _("That e-mail is not waiting for a retry; nothing changed."))
        return redirect("notifications:outbox-failed")
    failed = Outbox.objects.filter(failed_at__isnull=False, sent_at=None).order_by("-failed_at")
    rows = [(row, KINDS.get(row.kind, row.kind)) for row in failed[:500]]
    return render(request, "emails/outbox_failed.html", {"rows": rows, "count": failed.count()})


class NotificationSettingsForm(forms.Form):
    receive = forms.MultipleChoiceField(
        label=_("Send me e-mails about"),
        choices=list(KINDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    digest = forms.BooleanField(
        label=_("One weekly digest (Mondays, 8:00) instead of single e-mails"),
        help_text=_("Invitations and reminders with a deadline still come at once."),
        required=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    opted_out = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
    initial = {
        "receive": [kind for kind in KINDS if kind not in opted_out],
        "digest": DigestChoice.objects.filter(user=user).exists(),
    }
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notification_settings_save(
            user=user,
            digest=form.cleaned_data["digest"],
            receive=set(form.cleaned_data["receive"]),
            kinds=set(KINDS),
        )
        messages.success(request, _("Your e-mail settings have been saved."))
        return redirect("notifications:settings")
    return render(request, "emails/notification_settings.html", {"form": form})


urlpatterns = [
    path("notifications/settings/", notification_settings, name="settings"),
    path("notifications/unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
    path("notifications/failed/", outbox_failed, name="outbox-failed"),
]
