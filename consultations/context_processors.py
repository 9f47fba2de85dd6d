"""The header's moderation badge: how many flagged comments wait for the user to review."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import selectors

_CACHE = "_consultations_moderation_count"


def moderation(request: HttpRequest) -> dict[str, object]:
    """``moderation_count``: the number of flagged comments not yet reviewed in the rounds the
    user moderates (0 for everyone else; anonymous visitors cost no query). One COUNT, asked
    only when a template reads it and at most once per request (fragments rendered with the
    request run the context processors again)."""

    def count() -> int:
        if not hasattr(request, _CACHE):
            user = getattr(request, "user", None)
            authenticated = user is not None and user.is_authenticated
            setattr(request, _CACHE, selectors.moderation_count(user) if authenticated else 0)
        return getattr(request, _CACHE)

    return {"moderation_count": SimpleLazyObject(count)}
