"""The header's moderation badge: how many flagged comments wait for the user to review."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from teams.permissions import person

from . import selectors
from .permissions import Viewer

_CACHE = "_consultations_moderation_count"
_VIEWER = "_consultations_viewer"


def remember_viewer(request: HttpRequest, viewer: Viewer) -> None:
    """The page has read the viewer's roles (permissions.viewer_for): the badge reuses the
    teams they moderate instead of asking the database again."""
    setattr(request, _VIEWER, viewer)


def moderation(request: HttpRequest) -> dict[str, object]:
    """``moderation_count``: the number of flagged comments not yet reviewed in the rounds the
    user moderates (0 for everyone else; anonymous visitors cost no query). One COUNT, asked
    only when a template reads it and at most once per request (fragments rendered with the
    request run the context processors again)."""

    def count() -> int:
        if not hasattr(request, _CACHE):
            user = getattr(request, "user", None)
            authenticated = user is not None and user.is_authenticated
            viewer = getattr(request, _VIEWER, None)
            known = None  # the teams the page's viewer moderates, if the page read them
            if viewer is not None and viewer.user is person(user):
                known = viewer.moderated_teams
            count = selectors.moderation_count(user, moderated_teams=known) if authenticated else 0
            setattr(request, _CACHE, count)
        return getattr(request, _CACHE)

    return {"moderation_count": SimpleLazyObject(count)}
