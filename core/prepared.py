"""Prepared statements made stale by a migration (docs/operations.md, Prepared statements).

PostgreSQL refuses to run a statement it prepared before a change to what the statement
returns, such as a column's type altered by a migration while this process ran: "cached plan
must not change result type", each time, on that connection. ``replan`` has the connection
forget what it prepared (``DEALLOCATE ALL``, which psycopg also reads as "forget yours") and,
outside a transaction, runs the query again: the reader sees nothing of it. Inside a
transaction the error has aborted it, so the error stands (a 500 for that request); the
rollback that follows makes psycopg forget too, and the next request runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

STALE_PLAN_STATE = "0A000"  # feature_not_supported
STALE_PLAN_MESSAGE = "cached plan must not change result type"


def is_stale_plan(error: BaseException) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == STALE_PLAN_STATE and STALE_PLAN_MESSAGE in str(cause)


def replan(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """A database execute wrapper (Django's ``execute_wrappers``)."""
    try:
        return execute(sql, params, many, context)
    except NotSupportedError as error:
        connection = context["connection"]
        if not is_stale_plan(error) or not connection.get_autocommit():
            raise
        logger.warning("prepared statements made stale by a migration: forgotten, query rerun")
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        return execute(sql, params, many, context)


def install(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created``: every PostgreSQL connection runs its queries through
    ``replan`` (once per connection wrapper; it outlives the connections it opens)."""
    if connection.vendor == "postgresql" and replan not in connection.execute_wrappers:
        # First, not last: Django's execute_wrapper() pops the last one when its block ends,
        # which must stay the one that block pushed.
        connection.execute_wrappers.insert(0, replan)
