"""The two answers that tell a client to come back later, with ``Retry-After``.

- 429 Too Many Requests: a rate limit was hit (allauth's limits through ``handler429`` in
  krakow_ngo/urls.py, the log-in lockout through teams.adapter). A normal portal page.
- 503 Service Unavailable: the database cannot be reached (krakow_ngo.middleware turns
  OperationalError and InterfaceError into it), or the mail server refused an account e-mail
  that allauth sends during the request (teams.adapter). A page that needs nothing but the
  template itself: no database, no static files, no context processors, so it cannot fail in
  turn.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, gettext, ngettext

# allauth's limits (ACCOUNT_RATE_LIMITS) are per minute, except the log-in lockout, which
# says its own wait (teams.adapter).
RATE_LIMIT_RETRY_SECONDS = 60
DATABASE_RETRY_SECONDS = 30
MAIL_RETRY_SECONDS = 300


def too_many_requests(request: HttpRequest, *, retry_after: int) -> HttpResponse:
    response = render(
        request, "429.html", {"retry_minutes": max(1, -(-retry_after // 60))}, status=429
    )
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


def rate_limited(request: HttpRequest) -> HttpResponse:
    """allauth's ``handler429``: one of its rate limits was hit."""
    return too_many_requests(request, retry_after=RATE_LIMIT_RETRY_SECONDS)


def service_unavailable(*, message: str, retry_after: int) -> HttpResponse:
    html = render_to_string("503.html", {"LANGUAGE_CODE": get_language(), "message": message})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


def database_unavailable() -> HttpResponse:
    seconds = DATABASE_RETRY_SECONDS
    message = ngettext(
        "The portal cannot reach its database at the moment. "
        "Please try again in %(seconds)s second.",
        "The portal cannot reach its database at the moment. "
        "Please try again in %(seconds)s seconds.",
        seconds,
    ) % {"seconds": seconds}
    return service_unavailable(message=message, retry_after=seconds)


def mail_unavailable() -> HttpResponse:
    message = gettext(
        "The portal could not send the e-mail just now. Please try again in a few minutes. "
        "If you were signing up, your account has been created: log in later and a new "
        "confirmation link will be sent to you."
    )
    return service_unavailable(message=message, retry_after=MAIL_RETRY_SECONDS)
