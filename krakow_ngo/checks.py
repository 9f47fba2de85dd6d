"""System checks of the production settings, run by ``manage.py check --deploy``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register
from django.utils import timezone

from . import accessibility

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


@register("accessibility", deploy=True)
def check_accessibility_review(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The accessibility declaration must be reviewed every year by 31 March (Europe/Warsaw):
    after that day, one last prepared or reviewed in an earlier year is out of date."""
    last = accessibility.last_review()
    if not accessibility.review_overdue(last, timezone.localdate()):
        return []
    return [
        Warning(
            f"The accessibility declaration was last prepared or reviewed on {last:%Y-%m-%d}; "
            "it must be reviewed every year by 31 March.",
            hint=(
                "Review /accessibility/ and set ACCESSIBILITY_REVIEWED to the date of the review "
                "(and ACCESSIBILITY_UPDATED if the portal changed significantly)."
            ),
            id="krakow_ngo.W002",
        )
    ]


@register("services", deploy=True)
def check_database_is_postgresql(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Production runs on PostgreSQL. SQLite is allowed (the benchmarks run on it with DEBUG
    off), but it holds one writer at a time, on one machine's disk, outside the documented
    backups (docs/operations.md): said, not refused."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return []
    return [
        Warning(
            "The portal runs on SQLite: DATABASE_URL is empty.",
            hint=(
                "Set DATABASE_URL (e.g. postgres://user:password@db:5432/krakow_ngo); on "
                "SQLite one writer waits for another, and web processes on other machines "
                "cannot share the database."
            ),
            id="krakow_ngo.W003",
        )
    ]


@register("services", deploy=True)
def check_redis_is_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Without REDIS_URL there is no broker: allowed (the benchmarks run so), but the
    portal's background work changes, which a deployment should know."""
    if settings.REDIS_URL:
        return []
    return [
        Warning(
            "The portal runs without Redis: REDIS_URL is empty.",
            hint=(
                "Set REDIS_URL (e.g. redis://redis:6379/0). Without it Celery tasks (PDF "
                "renderings, e-mail sending) run in-process, inside the request that queued "
                "them; beat has no broker, so dated notices and reminders go out only when "
                "something else triggers a sweep and failed e-mails wait for one; the cache "
                "and rate limits are each process's own."
            ),
            id="krakow_ngo.W004",
        )
    ]
