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
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .emails import unsubscribe_read
from .models import NotificationOptOut

app_name = "notifications"

KINDS = {
    "round_announced",
    "round_opened",
    "round_reminder",
    "round_closed",
    "report_published",
    "comment_hidden",
    "comment_settled",
    "comment_reply",
    "meeting_invitation",
    "meeting_reminder",
    "minutes_published",
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
    return render(request, "emails/unsubscribe.html", {"kind": kind, "done": done, "token": token})


urlpatterns = [
    path("notifications/unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
]
