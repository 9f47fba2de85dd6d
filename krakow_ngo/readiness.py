"""Readiness: may this instance serve the portal fully? Each dependency is checked and named.

/livez (liveness) only asks whether this process answers, so that an orchestrator restarts a
process that hangs; /healthz asks whether it and its database answer (``check_database``, one
query), for uptime monitoring. /readyz asks every dependency and is what monitoring and a
deployment wait on: the database, Redis as the cache, the Celery broker, the
worker's and beat's heartbeats (krakow_ngo/heartbeat.py), that the storage of PDFs and
attachments (``default_storage``: local ``var/`` or the object store) takes a small file back,
and, when the static files are
served from a manifest, that ``collectstatic`` wrote it. A dependency the configuration does
not use (no REDIS_URL: local-memory cache, eager Celery) passes as "not configured".
See docs/operations.md.
"""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection

from core.cache import REDIS_ERRORS, SOCKET_TIMEOUT_SECONDS, FallbackRedisCache

from . import heartbeat
from .celery import app as celery_app

NOT_CONFIGURED = "not configured"
Result = tuple[bool, str]


def run_select_1() -> Result:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, "ok"


def check_database() -> Result:
    try:
        return run_select_1()
    except DatabaseError:
        return False, "unreachable"


def check_cache() -> Result:
    backend = caches["default"]
    if not isinstance(backend, FallbackRedisCache):
        return True, NOT_CONFIGURED
    try:
        backend.redis_ping()
    except REDIS_ERRORS:
        return False, "Redis unreachable (pages, rate limits and throttling use process memory)"
    return True, "ok"


def _celery_runs_eagerly() -> bool:
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


def check_broker() -> Result:
    if _celery_runs_eagerly():
        return True, NOT_CONFIGURED
    try:
        with celery_app.connection_for_write(
            settings.CELERY_BROKER_URL, connect_timeout=SOCKET_TIMEOUT_SECONDS
        ) as broker:
            broker.ensure_connection(max_retries=0, timeout=SOCKET_TIMEOUT_SECONDS)
    except Exception as error:  # kombu raises the transport's own errors; all mean "down"
        return False, f"unreachable ({type(error).__name__})"
    return True, "ok"


def _check_heartbeat(kind: str) -> Result:
    if _celery_runs_eagerly():
        return True, NOT_CONFIGURED
    age = heartbeat.age(kind)
    if age is None:
        return False, "never seen (or Redis lost it)"
    if age > heartbeat.stale_after():
        return False, f"last seen {age:.0f} s ago"
    return True, f"seen {age:.0f} s ago"


def check_worker() -> Result:
    return _check_heartbeat("worker")


def check_beat() -> Result:
    return _check_heartbeat("beat")


def check_static() -> Result:
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return True, NOT_CONFIGURED
    if not staticfiles_storage.exists(staticfiles_storage.manifest_name):
        return False, "manifest missing: run collectstatic"
    return True, "ok"


def check_storage() -> Result:
    """Write a small probe file, find it and delete it (under ``readiness/``)."""
    name = f"readiness/probe-{uuid4().hex}.txt"
    try:
        saved = default_storage.save(name, ContentFile(b"ok"))
        try:
            found = default_storage.exists(saved)
        finally:
            default_storage.delete(saved)
    except Exception as error:  # each backend its own errors (OSError, botocore's); all "down"
        return False, f"cannot write ({type(error).__name__})"
    if not found:
        return False, "cannot find the probe it wrote"
    return True, "ok"


def readiness() -> tuple[bool, dict[str, dict[str, object]]]:
    """(all passed, each check's {"ok", "detail"})."""
    results = {
        "database": check_database(),
        "cache": check_cache(),
        "broker": check_broker(),
        "worker": check_worker(),
        "beat": check_beat(),
        "static": check_static(),
        "storage": check_storage(),
    }
    return (
        all(ok for ok, _detail in results.values()),
        {name: {"ok": ok, "detail": detail} for name, (ok, detail) in results.items()},
    )
