"""Publications that never change.

Publishing a version of the programme, its adoption, a consultation report or a meeting's
results freezes the document as it reads at that moment, annexes included: the builder that
prints it (documents.programme, documents.meeting_annex) is run once and its HTML — the
complete input of the PDF, with every meeting, report, name and number it shows — is stored
(``Publication.html``). The PDF is rendered from that HTML once, in the worker
(``render_publication``), stored with its SHA-256, and served from the stored bytes ever after:
neither later data nor a new deployment (templates, fonts, WeasyPrint) renders it again. A
correction is a new version or a dated erratum in the change register.

Why the rendered HTML and not the builder's context as JSON: the HTML is exactly what the PDF
is made from (no dates or numbers to turn back into objects, no template of a later
deployment in between), and a person can read it.

The domain apps do not know about this: documents listens to the signals they send after
their commits (documents/warming.py). A document published before this existed is frozen
on its first request instead.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, Max, OuterRef, Q
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.http import FileResponse, HttpRequest, HttpResponseNotModified, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.audit import ConsultationsAudit
from consultations.models import Round
from consultations.phases import Feature, phase_opens
from core import spreadsheets
from core.audit import audit_record
from core.errors import Refused
from core.http import HtmxRequest, etag_matches
from core.models import AuditEntry
from core.storage import REDIRECT_SECONDS, presigned_url, redirects_to_store
from drafts.models import DraftVersion
from implementation.models import ReportPublication
from pdf import cache as pdf_cache
from pdf import render as pdf_render
from teams.audit import TeamsAudit
from teams.models import Meeting, User

from . import comment_table, consultation_report, implementation_report
from .audit import DocumentsAudit
from .meeting_annex import meeting_actions_document
from .models import Publication, PublicationChange, PublicationFile
from .pages import comment_table_page, meeting_annex_page, report_page
from .programme import programme_version_document, round_report_document

logger = logging.getLogger(__name__)

ERRATUM_LIMIT = 4000
#: A publication's bytes never change: browsers and proxies may keep them for a year.
IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Record:
    """What the publication record says besides the document: who published it, when."""

    created_at: dt.datetime
    published_at: dt.datetime
    responsible: str
    publishing_body: str


def _name(user: User | None) -> str:
    return str(user) if user is not None else ""


def _published_by(action: str, target: Round | Meeting, actor: User | None) -> str:
    """Who took the step that published ``target``: the actor of its audit entry, whoever
    triggers the freeze later (an anonymous reader of the report, a worker); ``actor`` only
    where no entry was kept (data loaded without the services)."""
    entry = (
        AuditEntry.objects.filter(
            action=action,
            target_type=ContentType.objects.get_for_model(target),
            target_id=str(target.pk),
        )
        .select_related("actor")
        .order_by("-pk")
        .first()
    )
    return _name(entry.actor if entry is not None and entry.actor is not None else actor)


def _body(office: str = "") -> str:
    return office or settings.DOCUMENTS_PUBLISHING_BODY


def _version_record(object_id: str, actor: User | None) -> Record | None:
    pk = int(object_id.partition(":")[0])
    version = DraftVersion.objects.select_related("published_by").filter(pk=pk).first()
    if version is None:
        return None
    return Record(
        created_at=version.published_at,
        published_at=version.published_at,
        responsible=_name(version.published_by),
        publishing_body=_body(),
    )


def _adoption_record(object_id: str, actor: User | None) -> Record | None:
    version = DraftVersion.objects.select_related("adopted_by").filter(pk=int(object_id)).first()
    if version is None or not version.adopted or version.adopted_at is None:
        return None
    return Record(
        created_at=version.published_at,
        published_at=version.adopted_at,
        responsible=_name(version.adopted_by),
        publishing_body=_body(),
    )


def _report_record(object_id: str, actor: User | None) -> Record | None:
    round_ = Round.objects.filter(pk=int(object_id)).first()
    if round_ is None or not phase_opens(round_, Feature.REPORT):
        return None
    published = round_.report_published_at or round_.closes_at
    return Record(
        created_at=round_.settled_at or published,
        published_at=published,
        responsible=_published_by(ConsultationsAudit.ROUND_PUBLISH_REPORT, round_, actor),
        publishing_body=_body(round_.responsible_office),
    )


def _meeting_record(object_id: str, actor: User | None) -> Record | None:
    meeting = Meeting.objects.filter(pk=int(object_id)).first()
    if meeting is None or meeting.status != Meeting.Status.PUBLISHED:
        return None
    published = meeting.published_at or timezone.now()
    return Record(
        created_at=published,
        published_at=published,
        responsible=_published_by(TeamsAudit.MEETING_PUBLISHED, meeting, actor),
        publishing_body=_body(),
    )


def _implementation_record(object_id: str, actor: User | None) -> Record | None:
    programme_id, year = implementation_report.split(object_id)
    published = (
        ReportPublication.objects.select_related("published_by")
        .filter(programme_id=programme_id, year=year)
        .first()
    )
    if published is None:
        return None
    return Record(
        created_at=published.published_at,
        published_at=published.published_at,
        responsible=_name(published.published_by),
        publishing_body=_body(),
    )


@dataclass(frozen=True)
class Kind:
    builder: pdf_cache.Builder
    #: The record of a published object, or None while it is not published (nothing frozen).
    record: Callable[[str, User | None], Record | None]
    #: The page that shows the publication (where an erratum is added).
    page: Callable[[str], str]
    #: The document part of that page, frozen with the PDF (documents/pages.py), if the
    #: page is not built from a frozen snapshot of its own (the version page is).
    snapshot: Callable[[str], dict[str, Any]] | None = None
    #: The publication's other files, by name (``PublicationFile.name``), frozen with it.
    files: Callable[[str], dict[str, Callable[[], comment_table.Download]]] | None = None


def _report_files(object_id: str) -> dict[str, Callable[[], comment_table.Download]]:
    """A report's ODT and DOCX and its comment table's files (not its PDF: a publication of
    its own, kind ``comment-table``), each made when asked for."""
    round_ = Round.objects.select_related("programme", "meeting__team", "draft_version").get(
        pk=int(object_id)
    )
    files: dict[str, Callable[[], comment_table.Download]] = {}
    for ext in consultation_report.FORMATS:
        files[f"report.{ext}"] = functools.partial(consultation_report.report_file, round_, ext)
    for ext in comment_table.FORMATS:
        for dialect in spreadsheets.CSV_DIALECTS if ext == "csv" else [""]:
            files[comment_table.frozen_name(ext, dialect)] = functools.partial(
                comment_table.table_file, round_, ext, dialect
            )
    return files


def _comment_table_page(object_id: str) -> str:
    return reverse("documents:comment-table", args=[int(object_id)])


def _version_page(object_id: str) -> str:
    return reverse("drafts:version-detail", args=[int(object_id.partition(":")[0])])


KINDS: dict[str, Kind] = {
    "version": Kind(programme_version_document, _version_record, _version_page),
    "adopted": Kind(programme_version_document, _adoption_record, _version_page),
    "report": Kind(
        round_report_document,
        _report_record,
        lambda pk: reverse("consultations:round-report", args=[int(pk)]),
        report_page,
        _report_files,
    ),
    "comment-table": Kind(
        comment_table.comment_table_document,
        _report_record,
        _comment_table_page,
        comment_table_page,
    ),
    "meeting-actions": Kind(
        meeting_actions_document,
        _meeting_record,
        lambda pk: reverse("teams:meeting-detail", args=[int(pk)]),
        meeting_annex_page,
    ),
    implementation_report.KIND: Kind(
        implementation_report.implementation_report_document,
        _implementation_record,
        lambda key: reverse("implementation:report", args=implementation_report.split(key)),
        implementation_report.frozen_page,
    ),
}


def _frozen(kind: str, object_id: str) -> Publication | None:
    """The publication, with the last entry of its change register (``publication_stamp``)
    and whether its page is frozen (``has_page``). Its HTML and page, which can be megabytes
    for a large report, are loaded only when used: a cached page does not need them."""
    return (
        Publication.objects.filter(kind=kind, object_id=object_id)
        .defer("html", "page")
        .annotate(
            last_change=Max("changes__pk"),
            has_page=ExpressionWrapper(Q(page__isnull=False), output_field=BooleanField()),
            has_files=Exists(PublicationFile.objects.filter(publication=OuterRef("pk"))),
        )
        .first()
    )


def has_page(publication: Publication) -> bool:
    """Whether the publication's page is frozen, without loading it."""
    if hasattr(publication, "has_page"):
        return bool(publication.has_page)
    return publication.page is not None


def publication_freeze(
    *, kind: str, object_id: str | int, actor: User | None = None
) -> Publication | None:
    """The publication of this object: the one frozen before, or frozen now if the object is
    published; None if it is not (yet). The PDF is rendered in the worker after the commit."""
    object_id = str(object_id)
    spec = KINDS[kind]
    existing = _frozen(kind, object_id)
    if existing is not None:
        if not has_page(existing) and spec.snapshot is not None:
            # Frozen before pages were: its page is frozen now, once.
            Publication.objects.filter(pk=existing.pk, page__isnull=True).update(
                page=spec.snapshot(object_id)
            )
            existing = _frozen(kind, object_id)
            assert existing is not None
        if spec.files is not None and not getattr(existing, "has_files", True):
            # Frozen before its files were: they are frozen now, once.
            _freeze_files(existing, spec.files)
        return existing
    record = spec.record(object_id, actor)
    if record is None:
        return None
    document = spec.builder(object_id)
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                kind=kind,
                object_id=object_id,
                title=document.title[:300],
                filename=document.filename,
                html=pdf_render.document_html(document),
                page=spec.snapshot(object_id) if spec.snapshot is not None else None,
                publishing_body=record.publishing_body[:300],
                responsible=record.responsible[:300],
                created_at=record.created_at,
                published_at=record.published_at,
            )
    except IntegrityError:  # frozen by a concurrent request: theirs is the record
        return Publication.objects.get(kind=kind, object_id=object_id)
    if spec.files is not None:
        _freeze_files(publication, spec.files)
    _queue(publication.pk)
    return publication


def _freeze_files(
    publication: Publication,
    files: Callable[[str], dict[str, Callable[[], comment_table.Download]]],
) -> None:
    """Make and store the publication's files it does not have yet, once each: a concurrent
    request that stored one first keeps its bytes."""
    have = set(publication.files.values_list("name", flat=True))
    for name, make in files(publication.object_id).items():
        if name in have:
            continue
        download = make()
        stored = PublicationFile(
            publication=publication,
            name=name,
            filename=download.filename,
            content_type=download.content_type,
            sha256=hashlib.sha256(download.content).hexdigest(),
        )
        stored.file.save(f"{publication.pk}-{name}", ContentFile(download.content), save=False)
        try:
            with transaction.atomic():
                stored.save()
        except IntegrityError:
            stored.file.delete(save=False)


def publication_file(publication: Publication, name: str) -> PublicationFile | None:
    """A frozen file of a publication (frozen now if the publication has none of that name
    yet, as a publication frozen before its files were); None if its kind has no such
    file."""
    stored = publication.files.filter(name=name).first()
    files = KINDS[publication.kind].files
    if stored is None and files is not None:
        _freeze_files(publication, files)
        stored = publication.files.filter(name=name).first()
    return stored


def _queue(publication_id: int) -> None:
    transaction.on_commit(lambda: render_publication.delay(publication_id), robust=True)


def _lost(now: dt.datetime) -> Q:
    """A render nobody will finish (failed, or claimed or queued longer ago than the lease)."""
    before = now - dt.timedelta(seconds=pdf_cache.lease_seconds())
    return (
        Q(status=Publication.Status.FAILED)
        | Q(status=Publication.Status.PENDING, frozen_at__lt=before)
        | Q(status=Publication.Status.RUNNING, started_at__lt=before)
    )


def publication_render(*, publication_id: int) -> None:
    """Render the frozen HTML into the PDF, once: claimed with a conditional UPDATE, and a
    publication that has its bytes is never claimed again."""
    now = timezone.now()
    claimed = (
        Publication.objects.filter(pk=publication_id, sha256="")
        .filter(Q(status=Publication.Status.PENDING) | _lost(now))
        .update(status=Publication.Status.RUNNING, started_at=now, error="")
    )
    if not claimed:
        return
    publication = Publication.objects.get(pk=publication_id)
    try:
        result = pdf_render.render_html(publication.html)
    except Exception as error:  # noqa: BLE001 - recorded on the row; the next request retries
        logger.exception("Publication %s failed to render", publication_id)
        Publication.objects.filter(pk=publication_id, started_at=now).update(
            status=Publication.Status.FAILED, error=str(error)[:2000]
        )
        return
    sha256 = hashlib.sha256(result.pdf).hexdigest()
    publication.file.save(
        f"{publication.pk}-{sha256[:16]}.pdf", ContentFile(result.pdf), save=False
    )
    Publication.objects.filter(pk=publication_id, started_at=now, sha256="").update(
        status=Publication.Status.DONE,
        file=publication.file.name,
        sha256=sha256,
        byte_size=len(result.pdf),
        page_count=result.pages,
        rendered_at=timezone.now(),
    )


@shared_task(
    name="documents.render_publication",
    soft_time_limit=pdf_cache.RENDER_TASK_SOFT_LIMIT,
    time_limit=pdf_cache.RENDER_TASK_TIME_LIMIT,
)
def render_publication(publication_id: int) -> None:
    """Render one frozen publication (see ``publication_render``)."""
    publication_render(publication_id=publication_id)


#: The made publication of (kind, object id), by the unique index on them. Raw SQL: building
#: the same query with the ORM costs more than a static file's whole response
#: (benchmarks/published_pdf.py).
MADE_PUBLICATION_SQL = (
    "SELECT id, title, filename, file, sha256 FROM documents_publication"  # noqa: S608
    " WHERE kind = %s AND object_id = %s AND status = %s AND file <> ''"
)
#: How many made publications a process keeps in memory (a few hundred bytes each).
MADE_REMEMBERED = 1024
_made: dict[tuple[str, str], Publication] = {}


def made_publication(kind: str, object_id: str) -> Publication | None:
    """The made publication of (kind, object id) — its title, filename, file and SHA-256 —
    or None while there is none. Each process asks the database once per publication: a made
    publication never changes (``publication_render`` claims only one without bytes) and
    nothing deletes or withdraws one. What is not made yet is asked for each time, and so is
    what is read inside a transaction (it may be the transaction's own, as in a test, and be
    rolled back): only a committed publication is remembered."""
    key = (kind, object_id)
    made = _made.get(key)
    if made is None:
        found = list(
            Publication.objects.raw(
                MADE_PUBLICATION_SQL, [kind, object_id, Publication.Status.DONE]
            )
        )
        if not found:
            return None
        made = found[0]
        if not transaction.get_connection().in_atomic_block:
            if len(_made) >= MADE_REMEMBERED:
                _made.clear()
            _made[key] = made
    return made


@receiver(post_save, sender=Publication)
@receiver(post_delete, sender=Publication)
@receiver(post_migrate)
def _forget_made(**kwargs: object) -> None:
    """A publication saved as a model (frozen) or deleted (by a test or by hand), or the
    database migrated or flushed (a test's): the process asks the database again. Cheap: a
    publication is frozen once per published object."""
    _made.clear()


def serve_published(
    request: HtmxRequest, *, kind: str, object_id: str | int
) -> HttpResponseBase | None:
    """The download of a published document, served like a static file: its made
    publication (``made_publication``: one indexed lookup, once per process) and its stored
    bytes (``serve_publication_file``). Before that it is frozen now if the object is
    published, and its progress page is served; None if the object is not published. The
    programme's published PDFs are answered before the view (documents/downloads.py)."""
    if not request.htmx:
        made = made_publication(kind, str(object_id))
        if made is not None:
            return serve_publication_file(request, made)
    publication = publication_freeze(kind=kind, object_id=object_id)
    return None if publication is None else serve_publication(request, publication)


def publication_file_response(
    request: HttpRequest, publication: Publication
) -> HttpResponseBase | None:
    """A made publication's PDF, public and immutable: 304 to its strong ETag (the SHA-256 of
    its bytes), a redirect to a presigned URL of the bucket (``core.storage``), or the bytes
    streamed inline; cached for a year. No stamp, no query, nothing rendered. None if its
    stored file is missing. Opened through the storage each time (a new file object: the
    publication may be shared by requests, ``made_publication``)."""
    etag = f'"{publication.sha256}"'
    response: HttpResponseBase
    if etag_matches(etag, request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    elif redirects_to_store(publication.file.storage):
        # The store answers for the file (a missing one is its 404): no request to it here.
        response = HttpResponseRedirect(
            presigned_url(
                publication.file, filename=publication.filename, content_type="application/pdf"
            )
        )
        response["Cache-Control"] = f"public, max-age={REDIRECT_SECONDS}"
        return response
    else:
        try:
            stored = publication.file.storage.open(publication.file.name, "rb")
        except FileNotFoundError:
            return None
        response = FileResponse(
            stored, content_type="application/pdf", filename=publication.filename
        )
    response["ETag"] = etag
    response["Cache-Control"] = IMMUTABLE
    return response


def serve_publication_file(request: HtmxRequest, publication: Publication) -> HttpResponseBase:
    """A made publication's PDF (``publication_file_response``), or the failure page (503)
    if its stored file is missing."""
    response = publication_file_response(request, publication)
    if response is None:
        # The stored bytes are the record: never rendered again, restored from a backup.
        logger.error("Publication %s: its file %s is missing", publication.pk, publication.file)
        failed = SimpleNamespace(title=publication.title, status=Publication.Status.FAILED)
        context = {"rendering": failed, "Status": Publication.Status}
        return render(request, "pdf/progress.html", context, status=503)
    return response


def serve_publication(request: HtmxRequest, publication: Publication) -> HttpResponseBase:
    """The stored PDF of a publication (``serve_publication_file``), or the progress page
    while it is being made; a render that failed or was lost is queued again."""
    if publication.is_ready and not request.htmx:
        return serve_publication_file(request, publication)
    if not publication.is_ready and (
        Publication.objects.filter(_lost(timezone.now()), pk=publication.pk).exists()
    ):
        _queue(publication.pk)
        publication.refresh_from_db()
    context = {"rendering": publication, "Status": Publication.Status}
    if request.htmx:
        return render(request, "pdf/partials/progress.html", context)
    status = 503 if publication.status == Publication.Status.FAILED else 202
    return render(request, "pdf/progress.html", context, status=status)


def publication_stamp(publication: Publication) -> tuple[Any, ...]:
    """What a cached page showing this publication's record depends on: its PDF (the
    SHA-256 appears once rendered) and its change register (each erratum). No query: the
    publication comes from ``publication_freeze``, with its last change (none when made
    just now)."""
    return (publication.pk, publication.sha256, getattr(publication, "last_change", None))


def page_url(publication: Publication) -> str:
    return KINDS[publication.kind].page(publication.object_id)


@transaction.atomic
def publication_erratum(*, actor: User, publication: Publication, text: str) -> PublicationChange:
    """Append a dated, signed erratum to the change register; the frozen document and its
    bytes stay as they were."""
    text = text.strip()
    if not text:
        raise Refused(_("An erratum needs its text."))
    if len(text) > ERRATUM_LIMIT:
        raise Refused(
            _("An erratum can have at most %(limit)s characters.") % {"limit": ERRATUM_LIMIT}
        )
    change = PublicationChange.objects.create(
        publication=publication, by=actor, by_name=_name(actor)[:300], text=text
    )
    audit_record(
        actor=actor,
        action=DocumentsAudit.PUBLICATION_ERRATUM,
        target=publication,
        data={"kind": publication.kind, "object_id": publication.object_id, "text": text},
    )
    return change
