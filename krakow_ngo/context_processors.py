from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, object]:
    return {
        "PORTAL_CONTACT": {
            "name": settings.PORTAL_CONTACT_NAME,
            "email": settings.PORTAL_CONTACT_EMAIL,
            "phone": settings.PORTAL_CONTACT_PHONE,
            "dpo_email": settings.DATA_PROTECTION_OFFICER_EMAIL,
        },
    }
