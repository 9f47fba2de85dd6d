"""Renderings stored by the hash of their inputs, rendered now or in a Celery task.

``rendering_ensure(builder=, object_id=)`` stores a rendering (``PdfRendering``) keyed by the
hash of its inputs and renders it now or in a Celery task (``pdf.tasks.render_pdf``).

A *builder* is a function decorated with ``@pdf_document`` that takes an object id (a string)
and returns the ``PdfDocument`` for it; renderings remember the builder's dotted path, so a task
can rebuild the document from ids alone. A builder may declare a cheap *stamp* (a few small
queries that change whenever its inputs do), so that a stored rendering is found without
building the document, and may be *large* (its first rendering goes to the Celery task).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any, overload

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from core.languages import record_language

from .models import PdfRendering
from .render import (
    PdfDocument,
    PdfError,
    PdfRenderTimeout,
    code_version,
    render_document,
    setting,
)

logger = logging.getLogger(__name__)


Builder = Callable[[str], PdfDocument]
#: A builder's stamp: takes the same object id, returns small plain data (JSON-able).
Stamp = Callable[[str], Any]


@overload
def pdf_document(function: Builder) -> Builder: ...


@overload
def pdf_document(
    *, stamp: Stamp | None = None, large: bool = False
) -> Callable[[Builder], Builder]: ...


def pdf_document(
    function: Builder | None = None, *, stamp: Stamp | None = None, large: bool = False
) -> Builder | Callable[[Builder], Builder]:
    """Marks a function as a document builder that renderings (and tasks) may call by name.

    ``stamp(object_id)``, optional, returns small plain data read with a few small queries
    that changes whenever anything the builder reads changes (versions, change timestamps, or
    the small values themselves). A stored rendering made under the same stamp is served
    without building the document; a different stamp falls back to building it and comparing
    the full hash (``PdfDocument.key()``), which stays the source of truth. A stamp that can
    miss a change serves a stale PDF: give none rather than an unreliable one.

    ``large``: the document's first rendering (there is no earlier one to time) is made in the
    Celery task while the reader sees the progress page, never in the request.
    """

    def mark(builder: Builder) -> Builder:
        builder.is_pdf_document = True  # type: ignore[attr-defined]
        builder.pdf_stamp = stamp  # type: ignore[attr-defined]
        builder.pdf_large = large  # type: ignore[attr-defined]
        return builder

    return mark if function is None else mark(function)


def builder_path(builder: Builder) -> str:
    return f"{builder.__module__}.{builder.__qualname__}"


def _builder(path: str) -> Builder:
    builder = import_string(path)
    if not getattr(builder, "is_pdf_document", False):
        raise PdfError(f"{path} is not a PDF document builder.")
    return builder


def document_stamp(builder: Builder, object_id: str) -> str:
    """The digest of the builder's stamp for this object (empty if the builder has none),
    with what every key holds besides the context: the code version (templates, fonts,
    translations), the language and time zone the builders use. Raises what the stamp
    raises for a missing object."""
    stamp = getattr(builder, "pdf_stamp", None)
    if stamp is None:
        return ""
    payload = {
        "builder": builder_path(builder),
        "object_id": object_id,
        "stamp": stamp(object_id),
        "code": code_version(),
        "language": record_language(),
        "time_zone": settings.TIME_ZONE,
    }
    encoded = json.dumps(payload, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


#: The render_pdf task's time limits (see its docstring), which the lease must outlast.
RENDER_TASK_SOFT_LIMIT = 90
RENDER_TASK_TIME_LIMIT = 120


def lease_seconds() -> float:
    """How long a claim on a rendering holds: twice the longest a render may run (the render
    child's PDF_RENDER_TIMEOUT, or the render_pdf task's hard time limit in a prefork pool
    process; a render inside a request stops sooner, at PDF_REQUEST_SECONDS)."""
    return 2 * max(float(setting("PDF_RENDER_TIMEOUT")), RENDER_TASK_TIME_LIMIT)


def _lost_before(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=lease_seconds())


def _lost(now: dt.datetime) -> Q:
    """Renderings nobody will finish: pending since before the lease (the task died or was
    never delivered) or running since before it (the web worker or pool process rendering it
    was killed: gunicorn's timeout, Celery's hard time limit, a deploy). The one rule for
    serving by stamp, restarting and claiming."""
    lost_before = _lost_before(now)
    return Q(status=PdfRendering.Status.PENDING, requested_at__lt=lost_before) | Q(
        status=PdfRendering.Status.RUNNING, started_at__lt=lost_before
    )


def _rendering_by_stamp(path: str, object_id: str, stamp: str) -> PdfRendering | None:
    """The rendering made under this stamp, if it is ready or still being made (pending or
    running, and not lost); otherwise None and the caller takes the full path, which restarts
    what needs restarting."""
    rendering = (
        PdfRendering.objects.filter(builder=path, object_id=object_id, stamp=stamp)
        .annotate(lost=ExpressionWrapper(_lost(timezone.now()), output_field=BooleanField()))
        .order_by("-requested_at", "-pk")
        .first()
    )
    if rendering is None:
        return None
    in_progress = rendering.status in {PdfRendering.Status.PENDING, PdfRendering.Status.RUNNING}
    if rendering.is_ready or (in_progress and not rendering.lost):
        return rendering
    return None


def rendering_ensure(
    *, builder: Builder, object_id: str | int, render_here: bool = False
) -> PdfRendering:
    """The rendering of the document's current inputs: served from storage if it exists,
    rendered now if it is quick, queued as a Celery task if it took more than
    PDF_SYNC_SECONDS last time, or if the builder is ``large`` and it was never rendered.
    ``render_here`` renders in this process whatever the timing (the warm-up task does).
    The caller serves ``rendering.file`` when ``is_ready``.

    With a stamp, a rendering made under the current stamp is returned without building the
    document (one small lookup after the stamp's queries). Otherwise the document is built and
    its key decides, and the rendering records the stamp read *before* the build — and only
    if the stamp read after it is the same, so that it never vouches for other inputs.

    Raises whatever the builder raises for a missing object (e.g. DoesNotExist).
    """
    object_id = str(object_id)
    path = builder_path(builder)
    stamp = document_stamp(builder, object_id)
    if stamp:
        found = _rendering_by_stamp(path, object_id, stamp)
        if found is not None:
            return found
    document = builder(object_id)
    if stamp and document_stamp(builder, object_id) != stamp:
        stamp = ""  # changed while we read it: this document is not that stamp's
    key = document.key()
    try:
        with transaction.atomic():
            rendering, created = PdfRendering.objects.get_or_create(
                key=key,
                defaults={
                    "builder": path,
                    "object_id": object_id,
                    "stamp": stamp,
                    "template_name": document.template_name,
                    "title": document.title[:300],
                    "filename": document.filename,
                },
            )
    except IntegrityError:  # created by a concurrent request
        rendering, created = PdfRendering.objects.get(key=key), False
    if stamp and rendering.stamp != stamp:
        # Same inputs under a new stamp (e.g. a marker moved by a change the PDF does not
        # show): the next request takes the short way.
        PdfRendering.objects.filter(pk=rendering.pk).update(stamp=stamp)
        rendering.stamp = stamp

    if rendering.is_ready:
        return rendering
    if not (created or _restart(rendering)):
        return rendering  # being made (or failed a moment ago): the caller shows progress

    previous = (
        PdfRendering.objects.filter(
            builder=path, object_id=object_id, status=PdfRendering.Status.DONE
        )
        .order_by("-finished_at")
        .values_list("render_seconds", flat=True)
        .first()
    )
    if previous is None:
        in_task = bool(getattr(builder, "pdf_large", False))
    else:
        in_task = previous > setting("PDF_SYNC_SECONDS")
    if in_task and not render_here:
        _queue(rendering.pk)
    else:
        rendering_render(rendering_id=rendering.pk, document=document, in_request=not render_here)
    rendering.refresh_from_db()
    return rendering


def rendering_warm(*, builder_path: str, object_id: str) -> PdfRendering:
    """Make the document's current rendering before anyone asks for it, in this process (the
    ``warm_pdf`` task calls it after a programme version is published). Nothing happens if it
    exists already or is being made."""
    return rendering_ensure(builder=_builder(builder_path), object_id=object_id, render_here=True)


def _queue(rendering_id: int) -> None:
    transaction.on_commit(lambda: render_pdf.delay(rendering_id))


def _restart(rendering: PdfRendering) -> bool:
    """Put an existing rendering back in the queue when nobody else will finish it: it failed
    more than PDF_RETRY_FAILED_AFTER ago, its file is gone, or it is lost (see ``_lost``).
    True if this caller restarted it and must start the render; the conditional UPDATE makes
    sure only one caller does."""
    now = timezone.now()
    failed_before = now - dt.timedelta(seconds=float(setting("PDF_RETRY_FAILED_AFTER")))
    restartable = (
        Q(status=PdfRendering.Status.FAILED, finished_at__lt=failed_before)
        | _lost(now)
        | Q(status=PdfRendering.Status.DONE)  # here only when its file is missing
    )
    return bool(
        PdfRendering.objects.filter(restartable, pk=rendering.pk, status=rendering.status).update(
            status=PdfRendering.Status.PENDING, error="", requested_at=now, started_at=None
        )
    )


def rendering_render(
    *, rendering_id: int, document: PdfDocument | None = None, in_request: bool = False
) -> None:
    """Render a pending rendering once: claimed with a conditional UPDATE, so that two
    workers (or a worker and a web request) never render the same one twice. A lost one (its
    claim is older than the lease: a killed worker) may be claimed again. Inputs that changed
    since it was queued leave it FAILED ("superseded"); the next request makes a new one.

    ``in_request``: the render runs inside a web request, so it is stopped after
    PDF_REQUEST_SECONDS (well under the web worker's timeout, see gunicorn.conf.py); a render
    that takes longer goes back to pending and to the Celery task (whose limit is
    PDF_RENDER_TIMEOUT), and the reader sees the progress page."""
    now = timezone.now()
    claimed = (
        PdfRendering.objects.filter(pk=rendering_id)
        .filter(Q(status=PdfRendering.Status.PENDING) | _lost(now))
        .update(status=PdfRendering.Status.RUNNING, started_at=now, error="")
    )
    if not claimed:
        return
    rendering = PdfRendering.objects.get(pk=rendering_id)
    render_limit = float(setting("PDF_RENDER_TIMEOUT"))
    timeout = render_limit
    if in_request:
        timeout = min(float(setting("PDF_REQUEST_SECONDS")), render_limit)
    hand_over = timeout < render_limit  # the Celery task may take longer than this request
    try:
        if document is None:
            document = _builder(rendering.builder)(rendering.object_id)
        if document.key() != rendering.key:
            raise PdfError("superseded: the document changed before it was rendered")
        result = render_document(document, timeout=timeout)
    except Exception as error:  # noqa: BLE001 - recorded on the row, shown to the reader
        if hand_over and isinstance(error, PdfRenderTimeout):
            _hand_over(rendering_id, claimed_at=now)
        else:
            logger.exception("PDF rendering %s failed", rendering_id)
            PdfRendering.objects.filter(pk=rendering_id).update(
                status=PdfRendering.Status.FAILED,
                error=str(error)[:2000],
                finished_at=timezone.now(),
            )
        return
    rendering.file.save(f"{rendering.key}.pdf", ContentFile(result.pdf), save=False)
    PdfRendering.objects.filter(pk=rendering_id).update(
        status=PdfRendering.Status.DONE,
        file=rendering.file.name,
        page_count=result.pages,
        byte_size=len(result.pdf),
        render_seconds=result.seconds,
        finished_at=timezone.now(),
    )
    _prune_superseded(rendering)


def _hand_over(rendering_id: int, *, claimed_at: dt.datetime) -> None:
    """A render stopped at the request's limit: back to pending, for the Celery task (whose
    limit is PDF_RENDER_TIMEOUT). Only the claim this request made is handed over."""
    logger.warning(
        "PDF rendering %s took longer than PDF_REQUEST_SECONDS: handed to the worker",
        rendering_id,
    )
    handed = PdfRendering.objects.filter(
        pk=rendering_id, status=PdfRendering.Status.RUNNING, started_at=claimed_at
    ).update(status=PdfRendering.Status.PENDING, started_at=None, requested_at=timezone.now())
    if handed:
        _queue(rendering_id)


def _prune_superseded(rendering: PdfRendering) -> None:
    """Older finished renderings of the same document are derived data nobody can ask for
    again (their inputs are gone): delete their rows and files."""
    older = PdfRendering.objects.filter(
        builder=rendering.builder,
        object_id=rendering.object_id,
        requested_at__lt=rendering.requested_at,
    ).exclude(status__in=[PdfRendering.Status.RUNNING, PdfRendering.Status.PENDING])
    for stale in older:
        if stale.file:
            stale.file.delete(save=False)
        stale.delete()


# --- Tasks (their names are those they had before the pdf app existed, so queued tasks of a
# running deployment are still understood) ------------------------------------------------


@shared_task(
    name="krakow_ngo.tasks.render_pdf",
    soft_time_limit=RENDER_TASK_SOFT_LIMIT,
    time_limit=RENDER_TASK_TIME_LIMIT,
)
def render_pdf(rendering_id: int) -> None:
    """Render one queued PDF (see pdf.cache.rendering_render).

    In a prefork pool process (daemonic: it may not start the render child process) the render
    runs in the task itself, and these limits are its time limit: the soft one interrupts the
    render (the rendering is marked failed), the hard one kills the pool process (the rendering
    is claimed again once its lease is over, see ``lease_seconds``). With the solo pool the
    render's own PDF_RENDER_TIMEOUT applies."""
    rendering_render(rendering_id=rendering_id)


@shared_task(
    name="krakow_ngo.tasks.warm_pdf",
    soft_time_limit=RENDER_TASK_SOFT_LIMIT,
    time_limit=RENDER_TASK_TIME_LIMIT,
)
def warm_pdf(builder: str, object_id: str) -> None:
    """Render a document's current inputs before anyone asks for them, so that the first reader
    of a large document is not the one who waits (see pdf.cache.rendering_warm). Takes the
    builder's dotted path (it must carry the ``@pdf_document`` mark) and the object id; the
    time limits are render_pdf's."""
    rendering_warm(builder_path=builder, object_id=object_id)
