"""Request types for views, so that mypy knows what the middleware puts on a request:
``request.htmx`` (django-htmx) everywhere. (teams.http adds the portal's ``User`` behind
``@login_required``.) And ``etag_matches``, for the files served with an ETag."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import parse_etags
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


def etag_matches(etag: str, if_none_match: str) -> bool:
    """Whether an If-None-Match header names ``etag``: "*", or any tag of its list compared
    weakly (RFC 9110, 13.1.2: for GET and HEAD a cache may revalidate with ``W/"…"``, the tag
    it was given or one a proxy weakened when it compressed the body)."""
    tags = parse_etags(if_none_match)
    return tags == ["*"] or etag.removeprefix("W/") in {t.removeprefix("W/") for t in tags}
