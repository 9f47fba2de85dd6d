"""How often one person may do a thing: a count per fixed window, kept in the cache.

For what costs others work when it is done in bulk: each comment sent on the portal takes a
registration number and must be settled by the coordinating team, whoever hides it. So one
account sending comments and replies faster than anyone types is stopped for a while
(``consultations.views``), with what they wrote shown back, as a late comment is.

A fixed window (the count starts again every ``seconds``) rather than a sliding one: one cache
key and one increment per use. At a window's edge a person may send up to twice the limit in a
short while; the limit is set so that this is still far from what a flood needs. The cache is
Redis in production (shared by every web process) and falls back to each process's memory
while Redis is away (core/cache.py), where the count is per process.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def spend(key: str, *, limit: int, seconds: int) -> int | None:
    """Count one use of ``key``: None while at most ``limit`` uses fell in this window of
    ``seconds``, else the seconds until the window ends (the wait to say)."""
    now = time.time()
    window = int(now // seconds)
    cache_key = f"limit:{key}:{window}"
    if cache.add(cache_key, 1, timeout=seconds):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr: a new window
            cache.add(cache_key, 1, timeout=seconds)
            count = 1
    if count <= limit:
        return None
    return max(1, int(seconds - now % seconds))
