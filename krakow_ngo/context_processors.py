from functools import cache, partial

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme

from core.page_cache import request_token
from core.site import absolute
from teams.permissions import is_coordinator


@cache
def _declaration_url(site_url: str) -> str:
    """Per SITE_URL (which ``absolute`` reads), so that tests overriding it are not stale."""
    return absolute(reverse("accessibility"))


def language_next(request: HttpRequest) -> str:
    """Where the header's language switch returns to: this page; or, for a page that answers
    a form (a comment refused, its text shown back), the page the form was sent from, which a
    GET can open again, else the home page (opening the form's address would be a 405)."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/"


def portal(request: HttpRequest) -> dict[str, object]:
    return {
        "LANGUAGE_NEXT": partial(language_next, request),
        # Every page's <meta name="deklaracja-dostępności"> (templates/base.html), as the
        # accessibility declaration's template asks of a public body's website.
        "ACCESSIBILITY_DECLARATION_URL": _declaration_url(settings.SITE_URL),
        "PORTAL_CONTACT": {
            "name": settings.PORTAL_CONTACT_NAME,
            "email": settings.PORTAL_CONTACT_EMAIL,
            "phone": settings.PORTAL_CONTACT_PHONE,
            "dpo_email": settings.DATA_PROTECTION_OFFICER_EMAIL,
        },
        # The coordinating team's predicate (teams.permissions), asked only where a template
        # uses it (a template calls a callable): the header's "Coordination" link.
        "is_coordinator": partial(is_coordinator, getattr(request, "user", AnonymousUser())),
    }


def csrf(request: HttpRequest) -> dict[str, object]:
    """``csrf_token`` as Django's own processor (always run first) gives it, but masked once
    per request (core.page_cache.request_token): a response put together from several
    templates (an htmx answer with the new comment and a fresh form) masks it once."""
    return {"csrf_token": SimpleLazyObject(partial(request_token, request))}
