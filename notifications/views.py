"""One-click unsubscribe from one kind of e-mail (RFC 8058), or from the weekly digest.

The signed token in the link is the credential, so the view needs no login. GET shows a
confirmation button (link checkers in mail systems fetch links; they must not unsubscribe
anyone); POST records the opt-out, from that button or from a mail client's one-click
``List-Unsubscribe-Post``, which carries no CSRF token.

The digest's link opts out of every kind the digest gathers (``registry.digest_kinds()``): whoever
clicks "unsubscribe" in a digest wants fewer e-mails, so turning the digest off (back to
single e-mails) would send them more. Invitations and reminders with a deadline never wait for
the digest; they keep coming, each with its own link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.http import HtmxRequest

from . import registry
from .emails import DIGEST, unsubscribe_read
from .models import DigestChoice, NotificationOptOut
from .services import notification_settings_save

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _labels() -> dict[str, StrOrPromise]:
    """Each declared kind's label, in the order the apps declared them."""
    return {kind.name: kind.label for kind in registry.kinds()}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user_id, kind = unsubscribe_read(token)
    except signing.BadSignature:
        raise Http404 from None
    user = get_user_model().objects.filter(pk=user_id).first()
    # The page of a link from an e-mail speaks the e-mail's language, the person's, unless
    # this browser chose a language for the portal (its cookie): opened from a mail program,
    # the link carries none, and someone who reads only English would confirm a Polish page.
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return _unsubscribe(request, user, kind)
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        response = _unsubscribe(request, user, kind)
    response["Content-Language"] = language  # as the page is written (not the middleware's)
    return response


def _unsubscribe(request: HttpRequest, user: Any, kind: str) -> HttpResponse:
    if user is not None and kind == DIGEST:
        return _unsubscribe_digest(request, user)
    declared = registry.kind(kind)
    if user is None or declared is None:
        raise Http404
    done = False
    if request.method == "POST":
        NotificationOptOut.objects.get_or_create(user=user, kind=kind)
        done = True
    context = {"kind": kind, "kind_label": declared.label, "done": done}
    return render(request, "emails/unsubscribe.html", context)


def _unsubscribe_digest(request: HttpRequest, user: Any) -> HttpResponse:
    done = False
    if request.method == "POST":
        # One statement, so a second click (or a retried POST) changes nothing.
        NotificationOptOut.objects.bulk_create(
            [NotificationOptOut(user=user, kind=kind.name) for kind in registry.digest_kinds()],
            ignore_conflicts=True,
        )
        done = True
    context = {
        "kind_labels": [kind.label for kind in registry.digest_kinds()],
        "immediate_labels": [kind.label for kind in registry.kinds() if kind.immediate],
        "done": done,
    }
    return render(request, "emails/digest_unsubscribe.html", context)


class NotificationSettingsForm(forms.Form):
    receive = forms.MultipleChoiceField(
        label=_("Send me e-mails about"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    digest = forms.BooleanField(
        label=_("One weekly digest (Mondays, 8:00) instead of single e-mails"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        receive = cast(forms.MultipleChoiceField, self.fields["receive"])
        receive.choices = list(_labels().items())
        # Which kinds never wait for the digest: the registry's, named (it said "invitations
        # and reminders", and a decision on one's organisation comes at once too).
        self.fields["digest"].help_text = _("These still come at once: %(kinds)s.") % {
            "kinds": "; ".join(str(kind.label) for kind in registry.kinds() if kind.immediate)
        }


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HtmxRequest) -> HttpResponse:
    # The project's user model (settings.AUTH_USER_MODEL); this app does not import it.
    user: Any = request.user
    opted_out = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
    initial = {
        "receive": [kind for kind in _labels() if kind not in opted_out],
        "digest": DigestChoice.objects.filter(user=user).exists(),
    }
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notification_settings_save(
            user=user,
            digest=form.cleaned_data["digest"],
            receive=set(form.cleaned_data["receive"]),
            kinds=set(_labels()),
        )
        messages.success(request, _("Your e-mail settings have been saved."))
        return redirect("notifications:settings")
    status = 400 if request.method == "POST" else 200  # a refused form says so (and why)
    return render(request, "emails/notification_settings.html", {"form": form}, status=status)


urlpatterns = [
    path("notifications/settings/", notification_settings, name="settings"),
    path("notifications/unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
]
