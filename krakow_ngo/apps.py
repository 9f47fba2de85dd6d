"""The project app: after every ``migrate``, the Site that django.contrib.sites and allauth
use for e-mails follows ``SITE_URL``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig, apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, router
from django.db.models.signals import post_migrate

SITE_NAME = "Kraków NGO"


def site_domain() -> str:
    """The host (and port, if any) of ``SITE_URL``: what allauth's e-mails name the portal by."""
    return urlsplit(settings.SITE_URL).netloc or "localhost"


def site_follow_settings(*, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Make Site(pk=SITE_ID) say the portal's host and name rather than django.contrib.sites'
    "example.com". Runs after every migrate (each deployment runs one), so a changed
    ``DJANGO_SITE_URL`` reaches the e-mails with the next deployment."""
    from django.contrib.sites.models import Site

    if not router.allow_migrate_model(using, Site):
        return
    site, _created = Site.objects.using(using).get_or_create(
        pk=settings.SITE_ID, defaults={"domain": site_domain(), "name": SITE_NAME}
    )
    if (site.domain, site.name) != (site_domain(), SITE_NAME):
        site.domain, site.name = site_domain(), SITE_NAME
        site.save(using=using)  # through save(): the sites framework clears its cache on it


class KrakowNgoConfig(AppConfig):
    name = "krakow_ngo"

    def ready(self) -> None:
        from teams import cycle

        from . import accessibility, checks  # noqa: F401 - checks registers the deployment checks

        cycle.register_fulfilled(accessibility.accessibility_reviewed)

        # Sent for django.contrib.sites (this app has no models, so none is sent for it), after
        # the sites app's own receiver (connected earlier) created its default site.
        post_migrate.connect(site_follow_settings, sender=apps.get_app_config("sites"))
