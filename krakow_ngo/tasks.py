"""Project-wide tasks."""

from celery import shared_task
from django.db import connection


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


@shared_task(soft_time_limit=180, time_limit=240)
def render_pdf(rendering_id: int) -> None:
    """Render one queued PDF (see krakow_ngo.pdf.rendering_render). The render itself has its
    own time limit (PDF_RENDER_TIMEOUT); these limits only catch a stuck task."""
    from . import pdf

    pdf.rendering_render(rendering_id=rendering_id)
