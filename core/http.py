"""Request types for views, so that mypy knows what the middleware puts on a request:
``request.htmx`` (django-htmx) everywhere. (teams.http adds the portal's ``User`` behind
``@login_required``.)"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails
