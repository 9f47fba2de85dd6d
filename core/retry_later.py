"""The two answers that tell a client to come back later, with ``Retry-After``, on the
portal's error page (core/error_pages.py, which needs no database, cache or static files).

- 429 Too Many Requests: a rate limit was hit (allauth's limits through ``handler429`` in
  krakow_ngo/urls.py, the log-in lockout through teams.adapter).
- 503 Service Unavailable: the database cannot be reached (krakow_ngo.middleware turns
  OperationalError and InterfaceError into it, and so does the 500 handler), or the mail
  server refused an account e-mail that allauth sends during the request (teams.adapter).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, ngettext

from .error_pages import error_page
from .kept_text import KeptText

# allauth's limits (ACCOUNT_RATE_LIMITS) are per minute, except the log-in lockout, which
# says its own wait (teams.adapter).
RATE_LIMIT_RETRY_SECONDS = 60
DATABASE_RETRY_SECONDS = 30
MAIL_RETRY_SECONDS = 300


def wait_minutes(seconds: int) -> int:
    """A wait in whole minutes, rounded up, at least one: what a person is told to wait."""
    return max(1, -(-seconds // 60))


def too_many_requests(request: HttpRequest, *, retry_after: int) -> HttpResponse:
    minutes = wait_minutes(retry_after)
    message = ngettext(
        "You tried this too many times in a short while. Please wait %(minutes)s minute and "
        "try again.",
        "You tried this too many times in a short while. Please wait %(minutes)s minutes and "
        "try again.",
        minutes,
    ) % {"minutes": minutes}
    return error_page(429, message=message, retry_after=retry_after)


def rate_limited(request: HttpRequest) -> HttpResponse:
    """allauth's ``handler429``: one of its rate limits was hit."""
    return too_many_requests(request, retry_after=RATE_LIMIT_RETRY_SECONDS)


def is_database_outage(error: BaseException | None) -> bool:
    """Whether ``error`` means the database cannot be reached now (PostgreSQL restarting, a
    dropped connection): an outage to wait out, answered with ``database_unavailable``."""
    return isinstance(error, OperationalError | InterfaceError)


def database_unavailable(kept: Sequence[KeptText] = ()) -> HttpResponse:
    """503 with when to try again; ``kept``: the texts of the form that was not taken."""
    seconds = DATABASE_RETRY_SECONDS
    message = ngettext(
        "The portal cannot reach its database at the moment. "
        "Please try again in %(seconds)s second.",
        "The portal cannot reach its database at the moment. "
        "Please try again in %(seconds)s seconds.",
        seconds,
    ) % {"seconds": seconds}
    return error_page(503, message=message, retry_after=seconds, kept=kept)


def mail_unavailable() -> HttpResponse:
    message = gettext(
        "The portal could not send the e-mail just now. Please try again in a few minutes. "
        "If you were signing up, your account has been created: log in later and a new "
        "confirmation link will be sent to you."
    )
    return error_page(503, message=message, retry_after=MAIL_RETRY_SECONDS)
