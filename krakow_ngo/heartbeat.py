"""Heartbeats of the Celery worker and beat, which /readyz reads.

Beat schedules the ``heartbeat`` task every ``HEARTBEAT_SECONDS``. Publishing it records
"beat seen" (a ``before_task_publish`` receiver, so it runs in the beat process); a worker
running it records "worker seen". Both are timestamps in the shared cache (Redis), read by
every web process; either older than ``stale_after()`` (three missed beats) makes the portal
not ready. Without REDIS_URL Celery runs eagerly in the web process and there is neither
worker nor beat to watch: readiness says "not configured".
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache

TASK = "krakow_ngo.tasks.heartbeat"
KINDS = ("worker", "beat")


def _key(kind: str) -> str:
    return f"heartbeat:{kind}"


def interval() -> int:
    return int(settings.HEARTBEAT_SECONDS)


def stale_after() -> int:
    return 3 * interval()


def record(kind: str) -> None:
    # Kept well past staleness, so that readiness can say how long ago it was seen.
    cache.set(_key(kind), time.time(), timeout=100 * stale_after())


def age(kind: str) -> float | None:
    """Seconds since ``kind`` was last seen, or None if never (or since Redis lost it)."""
    seen = cache.get(_key(kind))
    return None if seen is None else max(time.time() - float(seen), 0.0)


def beat_published(sender: str | None = None, **kwargs: Any) -> None:
    """``before_task_publish`` receiver: beat is alive when it sends the heartbeat."""
    if sender == TASK:
        record("beat")
