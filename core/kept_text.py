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
back to the browser that sent them, escaped; nothing is stored. And only to a form sent from
the portal's own page (its ``Origin``, else its ``Referer``, as Django's CSRF check reads
them): another site could otherwise post its own text to the portal (the CSRF check refuses
it, and the refusal would show it) and have the portal display it under the portal's name.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.http import url_has_allowed_host_and_scheme

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
    """One text as typed; ``field`` is the form field's name; ``label`` the field's own label
    when a form of the portal registered it (``register_form``), else empty."""

    field: str
    text: str
    label: str = ""


#: Field name (with the form's prefix) -> its label, from the forms people write long texts
#: in (``register_form``, called by the apps in their AppConfig.ready()).
_LABELS: dict[str, Any] = {}


def register_form(form_class: type[forms.Form], prefix: str = "") -> None:
    """Name the texts of ``form_class`` (posted with ``prefix``) by their fields' labels."""
    for name, field in form_class.base_fields.items():
        if field.label:
            _LABELS[f"{prefix}-{name}" if prefix else name] = field.label


def from_this_site(request: HttpRequest) -> bool:
    """Whether the request was sent from one of the portal's pages: its ``Origin`` is the
    portal's, or, without one, its ``Referer`` is on the portal's host."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return False
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == f"{'https' if request.is_secure() else 'http'}://{host}"
    referer = request.headers.get("Referer", "")
    return bool(referer) and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    )


def typed_texts(request: HttpRequest) -> list[KeptText]:
    """The texts a POST ``request`` from the portal's own page carried that a person typed,
    in the form's order; none for other methods, another site's form (``from_this_site``) or
    a body that cannot be read."""
    if request.method != "POST" or not from_this_site(request):
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
                kept.append(KeptText(field=name, text=value, label=str(_LABELS.get(name, ""))))
    return kept
