from functools import partial

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from teams.permissions import is_coordinator


def portal(request: HttpRequest) -> dict[str, object]:
    return {
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
