"""Project-wide tasks."""

from celery import shared_task
from django.db import connection

from . import heartbeat


@shared_task
def ping() -> dict[str, object]:
    """Round-trip check used by /healthz consumers and the integration tests.

    Answers with the worker's view of the database, so a caller can tell that the worker
    runs against the same database as the web process.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"pong": True, "database": connection.vendor, "db_ok": one == 1}


@shared_task(name=heartbeat.TASK)
def heartbeat_task() -> None:
    """Sent by beat every HEARTBEAT_SECONDS; a worker that runs it is alive."""
    heartbeat.record("worker")
