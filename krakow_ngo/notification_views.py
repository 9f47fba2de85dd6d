"""One-click unsubscribe from one kind of e-mail (RFC 8058).

The signed token in the link is the credential, so the view needs no login. GET shows a
confirmation button (link checkers in mail systems fetch links; they must not unsubscribe
anyone); POST records the opt-out, from that button or from a mail client's one-click
``List-Unsubscribe-Post``, which carries no CSRF token.
"""

from __future__ import annotations

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .emails import unsubscribe_read
from .models import NotificationOptOut

app_name = "notifications"

KINDS = {
    "round_announced": _("announcements of consultation rounds"),
    "round_opened": _("notices that a consultation round is open"),
    "round_reminder": _("reminders before a consultation round closes"),
    "round_closed": _("notices that a round you commented in has closed"),
    "report_published": _("consultation reports of rounds you commented in"),
    "comment_hidden": _("notices that your comment was hidden"),
    "comment_settled": _("dispositions of your comments"),
    "comment_reply": _("replies to your comments"),
    "meeting_invitation": _("meeting invitations"),
    "meeting_reminder": _("meeting reminders the day before"),
    "minutes_published": _("published minutes of meetings"),
}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    from teams.models import User

    try:
        user_id, kind = unsubscribe_read(token)
    except signing.BadSignature:
        raise Http404 from None
    user = User.objects.filter(pk=user_id).first()
    if user is None or kind not in KINDS:
        raise Http404
    done = False
    if request.method == "POST":
        NotificationOptOut.objects.get_or_create(user=user, kind=kind)
        done = True
    context = {"kind": kind, "kind_label": KINDS[kind], "done": done}
    return render(request, "emails/unsubscribe.html", context)


urlpatterns = [
    path("notifications/unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
]
