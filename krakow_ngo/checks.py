"""System checks of the production settings, run by ``manage.py check --deploy``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

# Backends that deliver nothing to anyone: what EMAIL_BACKEND is when EMAIL_URL is empty
# (core.mail.ConsoleAndFileBackend), and Django's own development and test backends.
NOT_DELIVERING = {
    "core.mail.ConsoleAndFileBackend",
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@register(Tags.security, deploy=True)
def check_mail_is_delivered(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Sign-up needs the verification e-mail (ACCOUNT_EMAIL_VERIFICATION is mandatory), and
    every notification is an e-mail: without a mail server nobody can join."""
    if settings.EMAIL_BACKEND not in NOT_DELIVERING:
        return []
    return [
        Warning(
            f"E-mail is not delivered: EMAIL_BACKEND is {settings.EMAIL_BACKEND}.",
            hint=(
                "Set EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.org:587); without "
                "it no one receives the sign-up confirmation or any notification."
            ),
            id="krakow_ngo.W001",
        )
    ]
