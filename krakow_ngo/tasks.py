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


@shared_task(soft_time_limit=90, time_limit=120)
def render_pdf(rendering_id: int) -> None:
    """Render one queued PDF (see krakow_ngo.pdf.rendering_render).

    In a prefork pool process (daemonic: it may not start the render child process) the render
    runs in the task itself, and these limits are its time limit: the soft one interrupts the
    render (the rendering is marked failed), the hard one kills the pool process (the rendering
    is claimed again later). With the solo pool the render's own PDF_RENDER_TIMEOUT applies."""
    from . import pdf

    pdf.rendering_render(rendering_id=rendering_id)


@shared_task(soft_time_limit=90, time_limit=120)
def warm_pdf(builder: str, object_id: str) -> None:
    """Render a document's current inputs before anyone asks for them, so that the first reader
    of a large document is not the one who waits (see krakow_ngo.pdf.rendering_warm). Takes the
    builder's dotted path (it must carry the ``@pdf_document`` mark) and the object id; the
    time limits are render_pdf's."""
    from . import pdf

    pdf.rendering_warm(builder_path=builder, object_id=object_id)


@shared_task(ignore_result=True)
def outbox_sweep_task() -> int:
    """Send the due outbox rows (beat runs this every minute). Returns how many were sent."""
    from .outbox import outbox_sweep

    return len(outbox_sweep().sent)
