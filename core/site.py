"""The portal's own address (``SITE_URL``), for what leaves the portal: e-mails, calendar
events, PDFs. Whoever asks, the same address, so that links and calendar UIDs are stable."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def development_url(port: str) -> str:
    """The address when ``DJANGO_SITE_URL`` is not set: the development server on this machine,
    on the port it runs on (``DJANGO_PORT``, which ``make run PORT=…`` passes along), so that the
    links in e-mails reach the server that sent them."""
    return f"http://127.0.0.1:{port}"


def absolute(path: str) -> str:
    """An absolute URL of a path on the portal."""
    return settings.SITE_URL.rstrip("/") + path


def host() -> str:
    """The portal's host name (no port), e.g. for calendar UIDs."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"
