from functools import cache, partial

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse

from core.site import absolute
from teams.permissions import is_coordinator


@cache
def _declaration_url(site_url: str) -> str:
    """Per SITE_URL (which ``absolute`` reads), so that tests overriding it are not stale."""
    return absolute(reverse("accessibility"))


def portal(request: HttpRequest) -> dict[str, object]:
    return {
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
