"""Request types for views, so that mypy knows what the middleware puts on a request:
``request.htmx`` (django-htmx) everywhere, and a ``User`` (not AnonymousUser) behind
``@login_required``."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    """For views behind ``@login_required`` (the decorator is what makes this true)."""

    user: User
