"""The API's answer to a refused request: DRF's own, but a throttled client is told how long
to wait in the request's language.

DRF fills the number of seconds into its "Expected available in N seconds." before looking
it up in the catalogue, so no catalogue entry can match it: a Polish client read a Polish
first sentence and an English second one. Here the whole message is the portal's own.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def throttled_message(wait: int | None) -> str:
    """What a client over the API's rate limit reads (``wait``: seconds, None if unknown)."""
    message = gettext("Too many requests from this address.")
    if wait is None:
        return message
    retry = ngettext("Try again in %(wait)d second.", "Try again in %(wait)d seconds.", wait) % {
        "wait": wait
    }
    return f"{message} {retry}"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, exceptions.Throttled):
        wait = getattr(exc, "wait", None)  # not in DRF's type stubs
        exc = exceptions.Throttled(detail=throttled_message(wait))
        exc.wait = wait  # type: ignore[attr-defined]  # DRF's handler sends it as Retry-After
    return drf_exception_handler(exc, context)
