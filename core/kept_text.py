"""What a person typed into a form the portal could not take, shown back to copy.

A comment written for an hour must not be lost because the session ended meanwhile (the
sign-in page would take its place), the form's CSRF token expired, the database was
restarting, or the server failed: each of those answers shows the texts the request carried,
in read-only boxes, with the reason (krakow_ngo.middleware.SessionEndedMiddleware,
krakow_ngo.views.csrf_failure and server_error, DatabaseUnavailableMiddleware). The views'
own refusals (a late comment, a reply refused) already show their fields back by name
(consultations.views._not_saved).

Here the form is not known, so a field counts as typed text by its shape: not a token, a
password, a log-in name or a form's bookkeeping, and not a value a form fills in by itself
(an id, a UUID, a date, a choice such as "org:12" or "expert"). The texts are only ever shown
back to the browser that sent them, escaped; nothing is stored.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, UnreadablePostError
from django.http.multipartparser import MultiPartParserError

logger = logging.getLogger(__name__)

# Bookkeeping fields of the portal's forms, and the log-in's, by their name (after any prefix).
_NOT_TYPED_NAMES = re.compile(
    r"(^|[-_])(csrfmiddlewaretoken|token|version|next|page|action|step|username|login|e-?mail)$"
    r"|password",
    re.I,
)
# Values forms fill in by themselves: numbers, dates and times, UUIDs, choices and ids.
_NOT_TYPED_VALUES = re.compile(
    r"^(?:[\d\s:.,/+-]*|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|[a-z_]+(?::[\w-]+)?|on|true|false)$"
)


@dataclass(frozen=True)
class KeptText:
    """One text as typed; ``field`` is the form field's name, for the box's id."""

    field: str
    text: str


def typed_texts(request: HttpRequest) -> list[KeptText]:
    """The texts a POST ``request`` carried that a person typed, in the form's order; none
    for other methods or a body that cannot be read."""
    if request.method != "POST":
        return []
    try:
        pairs = list(request.POST.lists())
    except (UnreadablePostError, RequestDataTooBig, TooManyFieldsSent, MultiPartParserError):
        logger.info("The texts of a refused form could not be read back", exc_info=True)
        return []
    kept = []
    for name, values in pairs:
        if _NOT_TYPED_NAMES.search(name):
            continue
        for value in values:
            text = value.strip()
            if text and not _NOT_TYPED_VALUES.fullmatch(text):
                kept.append(KeptText(field=name, text=value))
    return kept
