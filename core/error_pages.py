"""The portal's page for every error status: 400, 403, 404, 429, 500 and 503.

It must render when the rest of the portal cannot (database down, cache down, static files
not collected), so the template (templates/error.html) stands alone and gets a plain context:
no request, hence no context processors (user, session, messages), and no URL reversing.
Should even that fail, a fixed page in the same words is served. The project's error handlers
(krakow_ngo/views.py), its middleware and the answers that ask a client to come back later
(core/retry_later.py) all answer with it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.urls import get_script_prefix
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.kept_text import KeptText

logger = logging.getLogger(__name__)

# What each status says; a refusal may bring its own message (a 403 from core.errors.Refused,
# a 400 from the request text middleware, a 429 or 503 saying how long to wait).
ERRORS = {
    400: (
        gettext_lazy("Bad request"),
        gettext_lazy("The portal could not understand what your browser sent. Nothing was saved."),
    ),
    403: (
        gettext_lazy("Access denied"),
        gettext_lazy(
            "You may not open this page or do this. If you think you should, log in or ask "
            "the coordinating team."
        ),
    ),
    404: (
        gettext_lazy("Page not found"),
        gettext_lazy(
            "There is no page at this address. It may have been removed, or the address "
            "may be mistyped."
        ),
    ),
    429: (gettext_lazy("Too many attempts"), ""),
    500: (
        gettext_lazy("Server error"),
        gettext_lazy(
            "Something went wrong on our side, and it has been logged. Please try again in a "
            "moment."
        ),
    ),
    503: (gettext_lazy("The portal is briefly unavailable"), ""),
}


def error_page(
    status: int,
    *,
    message: str = "",
    retry_after: int | None = None,
    kept: Sequence[KeptText] = (),
) -> HttpResponse:
    """The page for ``status`` in the active language. With ``retry_after`` (seconds) the
    answer says when to come back (``Retry-After``) and is never cached. ``kept``: what the
    person typed into the form that was not taken (core.kept_text), shown back to copy."""
    title, default = ERRORS[status]
    context = {
        "status": status,
        "title": title,
        "message": message or default,
        "language_code": get_language() or settings.LANGUAGE_CODE,
        "home_url": get_script_prefix(),
        "static_url": settings.STATIC_URL,
        "kept": kept,
    }
    try:
        html = loader.render_to_string("error.html", context)
    except Exception:  # the last resort: whatever broke the template, answer with the status
        logger.exception("The error page for %s could not be rendered", status)
        html = format_html(
            '<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><title>{}</title>'
            '</head><body><main><h1>{}</h1><p>{}</p><p><a href="{}">{}</a></p></main></body>'
            "</html>",
            context["language_code"],
            title,
            title,
            context["message"],
            context["home_url"],
            _("Go to the home page"),
        )
    response = HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
    if kept:  # a person's own text: for their browser only, never a shared cache
        add_never_cache_headers(response)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
        add_never_cache_headers(response)
    return response
