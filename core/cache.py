"""The cache on Redis, and this process's memory while Redis cannot be reached.

Three things read and write the cache: the anonymous page cache (core.page_cache), allauth's
rate limits (log-in, sign-up, password reset) and the API's throttling. With Django's own
RedisCache each of them turned an unreachable Redis into a 500 on every page they serve. Here
every cache call is caught in one place instead: when Redis does not answer, the call goes to
a local-memory cache of this process, and Redis is tried again after ``RETRY_SECONDS``.

What that means for each user of the cache, while Redis is away:

- the page cache keeps working per process (its key is read from the database, so a
  per-process copy is never stale: docs/architecture.md);
- rate limits keep counting, per process: with N web processes a client gets at most N times
  the limit, and a lockout still answers 429. We chose this over failing closed (refusing
  every log-in) because a civic portal should stay usable through a Redis restart, and over
  failing open (no limit) because password guessing must stay slow;
- what was counted in memory is not carried back to Redis when it returns.

A WARNING says that Redis is unreachable, once per ``WARN_EVERY_SECONDS`` per process, and an
INFO line says when it answers again. /readyz asks Redis itself (``redis_ping``), not this
fallback.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
WARN_EVERY_SECONDS = 60.0
# A Redis that does not answer must not hold a request for long.
SOCKET_TIMEOUT_SECONDS = 1.0
# Not only "unreachable": a Redis that is loading its data, out of memory or read-only
# answers with an error, and the page must not fail on that either.
REDIS_ERRORS = (RedisError,)

T = TypeVar("T")


class _State:
    """Per process, shared by the threads' backend instances (Django makes one per thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0  # monotonic time before which Redis is not tried
        self.warned_at: float | None = None
        self.down = False


_state = _State()


def reset_state() -> None:
    """Forget that Redis was down (tests)."""
    global _state
    _state = _State()


def redis_caches(url: str) -> dict[str, Any]:
    """The CACHES setting for a Redis at ``url`` (settings.py, when REDIS_URL is set)."""
    return {
        "default": {
            "BACKEND": "core.cache.FallbackRedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS,
                "socket_timeout": SOCKET_TIMEOUT_SECONDS,
            },
        }
    }


class FallbackRedisCache(RedisCache):
    """Django's RedisCache; every call that cannot reach Redis goes to local memory."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._local = LocMemCache(
            f"redis-fallback:{server}", {"TIMEOUT": params.get("TIMEOUT", 300)}
        )
        self._urls = re.split("[;,]", server) if isinstance(server, str) else list(server)
        # Where Redis is, for the log, without a password the URL may hold.
        self._where = ", ".join(
            f"{address.hostname}:{address.port or 6379}" for address in map(urlsplit, self._urls)
        )

    def _call(self, redis_call: Callable[[], T], local_call: Callable[[], T]) -> T:
        state = _state
        if time.monotonic() < state.down_until:
            return local_call()
        try:
            result = redis_call()
        except REDIS_ERRORS as error:
            self._went_down(state, error)
            return local_call()
        if state.down:
            with state.lock:
                state.down, state.warned_at = False, None
            logger.info("Redis at %s answers again: the cache uses it again", self._where)
        return result

    def _went_down(self, state: _State, error: Exception) -> None:
        now = time.monotonic()
        with state.lock:
            state.down = True
            state.down_until = now + RETRY_SECONDS
            warn = state.warned_at is None or now - state.warned_at >= WARN_EVERY_SECONDS
            if warn:
                state.warned_at = now
        if warn:
            logger.warning(
                "Redis at %s is unreachable or failing (%s): the cache, rate limits and "
                "throttling use this process's memory until it answers",
                self._where,
                error,
            )

    def redis_ping(self) -> None:
        """Raise unless Redis itself answers (readiness: no fallback here)."""
        # A connection of its own, outside the pool that the fallback hides errors of.
        with Redis.from_url(
            self._urls[0],
            socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
            socket_timeout=SOCKET_TIMEOUT_SECONDS,
        ) as client:
            client.ping()

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._call(
            lambda: super(FallbackRedisCache, self).add(key, value, timeout, version),
            lambda: self._local.add(key, value, timeout, version),
        )

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._call(
            lambda: super(FallbackRedisCache, self).get(key, default, version),
            lambda: self._local.get(key, default, version),
        )

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._call(
            lambda: super(FallbackRedisCache, self).set(key, value, timeout, version),
            lambda: self._local.set(key, value, timeout, version),
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._call(
            lambda: super(FallbackRedisCache, self).touch(key, timeout, version),
            lambda: self._local.touch(key, timeout, version),
        )

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._call(
            lambda: super(FallbackRedisCache, self).delete(key, version),
            lambda: self._local.delete(key, version),
        )

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return self._call(
            lambda: super(FallbackRedisCache, self).get_many(keys, version),
            lambda: self._local.get_many(keys, version),
        )

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._call(
            lambda: super(FallbackRedisCache, self).has_key(key, version),
            lambda: self._local.has_key(key, version),
        )

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        return self._call(
            lambda: super(FallbackRedisCache, self).incr(key, delta, version),
            lambda: self._local.incr(key, delta, version),
        )

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        return self._call(
            lambda: super(FallbackRedisCache, self).set_many(data, timeout, version),
            lambda: self._local.set_many(data, timeout, version),
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._call(
            lambda: super(FallbackRedisCache, self).delete_many(keys, version),
            lambda: self._local.delete_many(keys, version),
        )

    def clear(self) -> None:
        self._call(
            lambda: super(FallbackRedisCache, self).clear(),
            lambda: self._local.clear(),
        )
