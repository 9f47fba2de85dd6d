"""allauth hooks: where a person lands after logging in; a log-in lockout answers 429; an
account e-mail the mail server refuses answers 503; an account e-mail is in the language of the
account it goes to; the "e-mail sent" page knows when allauth held a confirmation e-mail back."""

from __future__ import annotations

import datetime as dt
import logging
import math
import smtplib
import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email, user_email
from allauth.core.exceptions import ImmediateHttpResponse

# What allauth reads ACCOUNT_RATE_LIMITS with and keeps its counts by, so that waits are the
# configured windows and the counts are allauth's own.
from allauth.core.internal.ratelimit import apply_rate, get_cache_key, get_rates, parse_rates
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import translation

from core.retry_later import mail_unavailable, too_many_requests

logger = logging.getLogger(__name__)


def lockout_seconds() -> int:
    """How long a locked-out log-in waits at most: the longest window of ``login_failed``."""
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS.get("login_failed"))
    return int(max((rate.duration for rate in rates), default=60))


# allauth adds this message when, and only when, it sends a confirmation e-mail (or, to an
# address that already has an account, the look-alike "account already exists" e-mail).
CONFIRMATION_SENT_MESSAGE = "account/messages/email_confirmation_sent.txt"
_CONFIRMATION_SENT = "_krakow_ngo_confirmation_sent"  # set on the request by add_message
# In the session: when the person may ask for a new confirmation e-mail (Unix time), after
# allauth's "confirm_email" limit held one back; the "e-mail sent" page says so until then.
CONFIRMATION_AGAIN_AT = "account_confirmation_again_at"


def confirmation_again_at(request: HttpRequest, email: str) -> float:
    """When allauth's ``confirm_email`` limit lets the next confirmation e-mail to ``email``
    go, read from allauth's own counts, rounded up to the minute (a time shown as "14:33" must
    not be early). If the counts are gone, the longest window from now: later, never early."""
    action = {"app": "allauth.account", "action": "confirm_email"}
    now = time.time()
    moments = [now]
    for rate in get_rates(**action):
        history = cache.get(get_cache_key(request, rate=rate, key=email.lower(), **action), [])
        allowed, history = apply_rate(history, now, rate, dry_run=True)  # newest first
        moments.append(now + rate.duration if allowed else history[rate.amount - 1] + rate.duration)
    return math.ceil(max(moments) / 60) * 60


def account_language(email: str, context: dict[str, Any]) -> str | None:
    """The e-mail language of the account an account e-mail goes to: the account in the
    e-mail's context (confirmation, password reset), else the one that has the address (the
    "account already exists" e-mail); None for an address nobody has."""
    user = context.get("user")
    if user is None:
        user = next(iter(filter_users_by_email(email, prefer_verified=True)), None)
    return getattr(user, "language", "") or None


def held_confirmation_again_at(request: HttpRequest) -> dt.datetime | None:
    """When the person may ask again, if allauth held back the confirmation e-mail they last
    asked for and they cannot ask yet; None otherwise."""
    moment = request.session.get(CONFIRMATION_AGAIN_AT)
    if moment is None or moment <= time.time():
        return None
    return dt.datetime.fromtimestamp(moment, tz=dt.UTC)


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # Everyone lands on their account page, which says what each of their roles lets them
        # do now (or the next step: organisation, approval), with links. A ``next`` still wins.
        return reverse("teams:my-account")

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # allauth shows a lockout as a form error with 200; a client (and a password-guessing
        # script) should be told 429 with Retry-After. Nothing is authenticated either way.
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code != "too_many_login_attempts":
                raise
            raise ImmediateHttpResponse(
                too_many_requests(request, retry_after=lockout_seconds())
            ) from error

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # allauth sends account e-mails (confirmation, password reset) during the request,
        # not through the outbox: a mail server that is down must not make that a 500.
        # Anyone can set one off for any address, from a page in either language: an account
        # gets it in the language it chose, as it gets the outbox's e-mails; only an address
        # nobody has gets the page's. Subject and every part are rendered inside the override.
        language = account_language(email, context) or translation.get_language()
        try:
            with translation.override(language):
                super().send_mail(template_prefix, email, context)
        except (smtplib.SMTPException, OSError) as error:
            logger.error("could not send the account e-mail %s: %s", template_prefix, error)
            raise ImmediateHttpResponse(mail_unavailable()) from error

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        if message_template == CONFIRMATION_SENT_MESSAGE:
            setattr(request, _CONFIRMATION_SENT, True)
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def respond_email_verification_sent(
        self, request: HttpRequest, user: AbstractBaseUser | None
    ) -> HttpResponseBase:
        # allauth sends at most one confirmation e-mail to an address per window
        # (ACCOUNT_RATE_LIMITS "confirm_email", 3 minutes), on sign-up as on a log-in that asks
        # for one again, and then comes here all the same: the page must not say a new one
        # went. The address is the account's, or, for a sign-up with an address that already
        # has one (allauth answers it like a new one), the address typed.
        if getattr(request, _CONFIRMATION_SENT, False):
            request.session.pop(CONFIRMATION_AGAIN_AT, None)
        else:
            email = user_email(user) if user else request.POST.get("email", "")
            request.session[CONFIRMATION_AGAIN_AT] = confirmation_again_at(
                request, (email or "").strip()
            )
        return super().respond_email_verification_sent(request, user)
