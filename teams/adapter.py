"""allauth hooks: where a person lands after logging in; a log-in lockout answers 429; an
account e-mail the mail server refuses answers 503."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse

# The parser allauth reads ACCOUNT_RATE_LIMITS with, so the wait is the configured window.
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from core.retry_later import mail_unavailable, too_many_requests

logger = logging.getLogger(__name__)


def lockout_seconds() -> int:
    """How long a locked-out log-in waits at most: the longest window of ``login_failed``."""
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS.get("login_failed"))
    return int(max((rate.duration for rate in rates), default=60))


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
        try:
            super().send_mail(template_prefix, email, context)
        except (smtplib.SMTPException, OSError) as error:
            logger.error("could not send the account e-mail %s: %s", template_prefix, error)
            raise ImmediateHttpResponse(mail_unavailable()) from error
