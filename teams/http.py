"""The request type of views behind ``@login_required``: a ``User`` (not AnonymousUser), and
``request.htmx`` (core.http)."""

from __future__ import annotations

from core.http import HtmxRequest

from .models import User


class AuthenticatedRequest(HtmxRequest):
    """For views behind ``@login_required`` (the decorator is what makes this true)."""

    user: User
