"""Django templates to PDF with WeasyPrint: safe fetching, a time limit, and a cache.

Three layers, usable separately (docs/pdf.md):

1. ``render_html(html)`` turns an HTML string into PDF bytes in a child process with a time
   limit, with a URL fetcher that reads only ``data:`` URLs and the project's static files.
2. ``render_document(document)`` renders a ``PdfDocument`` (template name + plain context data
   + title/language/draft flag) through ``templates/pdf/base.html``: PDF/UA tagging, metadata,
   embedded DejaVu fonts, "Page X of Y" footer, an optional "DRAFT" watermark.
3. ``rendering_ensure(builder=, object_id=)`` stores a rendering (``PdfRendering``) keyed by the
   hash of its inputs and renders it now or in a Celery task (``krakow_ngo.tasks.render_pdf``).

A *builder* is a function decorated with ``@pdf_document`` that takes an object id (a string)
and returns the ``PdfDocument`` for it; renderings remember the builder's dotted path, so a task
can rebuild the document from ids alone. A builder may declare a cheap *stamp* (a few small
queries that change whenever its inputs do), so that a stored rendering is found without
building the document, and may be *large* (its first rendering goes to the Celery task).

This module imports no models at import time: the render child processes import it (see
``_context()``) and must not need a configured Django.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import json
import logging
import mimetypes
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import nh3
import weasyprint
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from weasyprint.urls import URLFetcher, URLFetcherResponse

if TYPE_CHECKING:
    from .models import PdfRendering

logger = logging.getLogger(__name__)

#: Bump when this module changes what a PDF looks like: it is part of every cache key (templates
#: under templates/pdf/ and the fonts are hashed automatically, see ``code_version()``).
PDF_CODE_VERSION = "1"

#: Defaults; each can be overridden by a setting of the same name.
PDF_RENDER_TIMEOUT = 60.0  # seconds a render may take before its process is killed
PDF_SYNC_SECONDS = 2.0  # a document that took longer last time is rendered in a Celery task
PDF_RETRY_FAILED_AFTER = 300.0  # seconds before a failed rendering is tried again
PDF_RENDER_ISOLATED = True  # False: render in the calling thread, with only a soft guard


def _setting(name: str) -> Any:
    return getattr(settings, name, globals()[name])


class PdfError(Exception):
    """A PDF could not be made."""


class PdfRenderTimeout(PdfError):
    """The render took longer than the time limit and was stopped."""


# --- Sanitising user text -----------------------------------------------------------------

#: What user markup may contain where a template shows it as markup: text structure only. No
#: images, no embedded objects, no styles; links only to the web or e-mail.
ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise(html: str) -> SafeString:
    """User-written markup made safe to show unescaped in a PDF (or HTML) template.

    nh3 drops every tag and attribute not allowed above (so ``<img>``, ``<link>``, ``<object>``,
    ``style=`` and ``rel="attachment"`` are gone) and forces ``rel="noopener noreferrer"`` on
    links. Plain text needs no call: Django's autoescaping already shows it as text.
    """
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 output is the sanitised markup


# --- The URL fetcher ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class StaticFiles:
    """Where the renderer may read files from, as plain (picklable) data.

    ``roots`` are ``(prefix, directory)`` pairs in the staticfiles finders' order:
    STATICFILES_DIRS, then each app's ``static/``, then STATIC_ROOT (collected files).
    """

    base_url: str
    static_path: str
    roots: tuple[tuple[str, str], ...]

    def path_for(self, url: str) -> Path | None:
        """The file a URL names, if it is a static file of the project; otherwise None."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        scheme = parts.scheme.lower()
        if scheme in {"http", "https"}:
            base = urlsplit(self.base_url)
            if (scheme, parts.netloc.lower()) != (base.scheme.lower(), base.netloc.lower()):
                return None
            path = unquote(parts.path)
            if not path.startswith(self.static_path):
                return None
            return self._find(path[len(self.static_path) :])
        if scheme == "file" and parts.netloc in {"", "localhost"}:
            candidate = Path(url2pathname(unquote(parts.path))).resolve()
            for _prefix, root in self.roots:
                if candidate.is_relative_to(Path(root).resolve()) and candidate.is_file():
                    return candidate
        return None

    def _find(self, relative: str) -> Path | None:
        if "\x00" in relative:
            return None
        for prefix, root in self.roots:
            name = relative
            if prefix:
                if not name.startswith(prefix + "/"):
                    continue
                name = name[len(prefix) + 1 :]
            root_path = Path(root).resolve()
            # resolve() follows "..", symlinks and absolute names; the result must stay inside.
            candidate = (root_path / name).resolve()
            if candidate.is_relative_to(root_path) and candidate.is_file():
                return candidate
        return None


def static_files() -> StaticFiles:
    from django.apps import apps

    roots: list[tuple[str, str]] = []
    for entry in settings.STATICFILES_DIRS:
        prefix, directory = entry if isinstance(entry, tuple | list) else ("", entry)
        roots.append((str(prefix).strip("/"), str(directory)))
    for app_config in apps.get_app_configs():
        directory = Path(app_config.path) / "static"
        if directory.is_dir():
            roots.append(("", str(directory)))
    if settings.STATIC_ROOT:
        roots.append(("", str(settings.STATIC_ROOT)))
    return StaticFiles(
        base_url=settings.SITE_URL.rstrip("/") + "/",
        static_path=urlsplit(settings.STATIC_URL).path,
        roots=tuple(roots),
    )


class SafeURLFetcher(URLFetcher):
    """Fetches ``data:`` URLs and the project's static files; refuses everything else.

    WeasyPrint's own fetcher opens any URL, including ``file:///etc/passwd`` from an
    ``<a rel="attachment">`` in user text, which it then embeds in the PDF. Refusals raise,
    which WeasyPrint logs and skips (the resource is left out, the render goes on); they are
    also kept in ``refused`` for the caller.
    """

    def __init__(self, static: StaticFiles) -> None:
        super().__init__(timeout=5, allow_redirects=False, fail_on_errors=False)
        self.static = static
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        path = self.static.path_for(url)
        if path is None:
            self.refused.append(url)
            raise PermissionError(f"The PDF renderer does not fetch {url[:200]!r}.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url=path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )


# --- Rendering HTML to PDF within a time limit --------------------------------------------


@dataclasses.dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    pages: int
    seconds: float
    refused: tuple[str, ...] = ()


#: Options given to WeasyPrint for every document: PDF/UA-1 (which turns on tagging and
#: PDF 1.7) and lossless image optimisation. Fonts are always embedded, as subsets.
WEASYPRINT_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "optimize_images": True}


def _render_here(html: str, static: StaticFiles) -> RenderResult:
    started = time.perf_counter()
    fetcher = SafeURLFetcher(static)
    document = weasyprint.HTML(string=html, base_url=static.base_url, url_fetcher=fetcher).render(
        **WEASYPRINT_OPTIONS
    )
    pdf = document.write_pdf(**WEASYPRINT_OPTIONS)
    return RenderResult(
        pdf=pdf,
        pages=len(document.pages),
        seconds=time.perf_counter() - started,
        refused=tuple(fetcher.refused),
    )


def _child_render(connection: Any, html: str, static: StaticFiles) -> None:
    """Runs in a process forked from the fork server; sends back the result or the error."""
    weasyprint.PROGRESS_LOGGER.setLevel(logging.WARNING)  # "Step 1 …" lines are noise here
    try:
        connection.send(("ok", _render_here(html, static)))
    except BaseException as error:  # noqa: BLE001 - everything must reach the parent
        connection.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


_context_lock = threading.Lock()


@functools.cache
def _context() -> multiprocessing.context.ForkServerContext:
    """A fork server that has imported WeasyPrint and this module and rendered a small page
    once, so that each render forks a warm, single-threaded process (forking a threaded web or
    Celery process is not safe with Pango). multiprocessing does not give the server our
    sys.path, so PYTHONPATH names the project while the server starts."""
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    saved = {name: os.environ.get(name) for name in ("PYTHONPATH", _WARM_UP)}
    project = str(Path(__file__).resolve().parent.parent)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [project, saved["PYTHONPATH"]]))
    os.environ[_WARM_UP] = "1"
    try:
        forkserver.ensure_running()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return context


_WARM_UP = "KRAKOW_NGO_PDF_WARM_UP"


def _warm_up() -> None:
    """Load fontconfig, Pango and the portal's fonts once, in the fork server."""
    fonts = Path(__file__).resolve().parent.parent / "static" / "fonts"
    static = StaticFiles(
        base_url="http://localhost/", static_path="/static/", roots=(("", str(fonts)),)
    )
    html = (
        '<html lang="pl"><style>@font-face { font-family: W; src: url("/static/DejaVuSans.ttf") }'
        "body { font-family: W }</style><p>Zażółć gęślą jaźń</p></html>"
    )
    try:
        _render_here(html, static)
    except Exception:  # noqa: BLE001 - a cold start is slower, not wrong
        logger.warning("PDF fork server warm-up failed", exc_info=True)


def render_html(
    html: str, *, timeout: float | None = None, static: StaticFiles | None = None
) -> RenderResult:
    """PDF bytes of an HTML document, rendered with the safe fetcher within ``timeout``.

    The render runs in a child process that is killed when the time is up (PdfRenderTimeout);
    a render that fails raises PdfError. It runs in the calling thread instead, with the limit
    only checked afterwards, when PDF_RENDER_ISOLATED is False, and in a daemonic process — a
    Celery prefork pool process, which may not start children, and which is itself a
    disposable process under the task's time limits (see krakow_ngo.tasks.render_pdf).
    """
    timeout = float(_setting("PDF_RENDER_TIMEOUT") if timeout is None else timeout)
    static = static or static_files()
    if not _setting("PDF_RENDER_ISOLATED") or multiprocessing.current_process().daemon:
        result = _render_here(html, static)
        if result.seconds > timeout:
            raise PdfRenderTimeout(f"The render took {result.seconds:.1f} s (limit {timeout} s).")
        return result

    with _context_lock:
        context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child_render, args=(sender, html, static), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise PdfRenderTimeout(f"The render took longer than {timeout} s and was stopped.")
        outcome, value = receiver.recv()
    except EOFError as error:
        raise PdfError("The render process ended without an answer.") from error
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if outcome != "ok":
        raise PdfError(value)
    if value.refused:
        logger.warning("PDF render refused to fetch: %s", ", ".join(value.refused)[:1000])
    return value


# --- Documents ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PdfDocument:
    """Everything a PDF is made from. ``context`` holds plain data (str, numbers, dates,
    lists, dicts; no model instances), so that it can be hashed: equal inputs, equal key."""

    template_name: str
    context: Mapping[str, Any]
    title: str
    filename: str
    language: str = "pl"
    author: str = ""
    draft: bool = False

    def key(self) -> str:
        payload = {
            "template": self.template_name,
            "context": self.context,
            "title": self.title,
            "language": self.language,
            "author": self.author,
            "draft": self.draft,
            "code": code_version(),
        }
        encoded = json.dumps(payload, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
        return hashlib.sha256(encoded.encode()).hexdigest()


@functools.cache
def code_version() -> str:
    """This module's version, WeasyPrint's, and a digest of the PDF templates, the fonts and
    the compiled translations (the templates' words, the footer, dispositions): a change to
    any of them makes every cached rendering stale."""
    digest = hashlib.sha256(f"{PDF_CODE_VERSION}|{weasyprint.__version__}".encode())
    base = Path(settings.BASE_DIR)
    folders = [(base / "templates" / "pdf", "*"), (base / "static" / "fonts", "*")]
    folders += [(Path(folder), "*.mo") for folder in settings.LOCALE_PATHS]
    for folder, pattern in folders:
        for path in sorted(folder.rglob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(folder.parent)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return '"' + escaped.replace("<", "\\3c ") + '"'


def page_footer_css() -> SafeString:
    """The footer's CSS ``content``: "Page X of Y" in the active language, with counters."""
    text = gettext("Page %(page)s of %(pages)s") % {
        "page": "\x00page\x00",
        "pages": "\x00pages\x00",
    }
    parts: list[str] = []
    for index, piece in enumerate(text.split("\x00")):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(_css_string(piece))
    return mark_safe(" ".join(parts))  # noqa: S308 - built from quoted CSS strings only


def document_html(document: PdfDocument) -> str:
    """The HTML of a document, rendered in the document's language."""
    with translation.override(document.language):
        return render_to_string(
            document.template_name,
            {
                **document.context,
                "pdf": {
                    "title": document.title,
                    "author": document.author or settings.PORTAL_CONTACT_NAME,
                    "language": document.language,
                    "draft": document.draft,
                    "footer": page_footer_css(),
                },
            },
        )


def render_document(document: PdfDocument, *, timeout: float | None = None) -> RenderResult:
    return render_html(document_html(document), timeout=timeout)


# --- Builders and the cache ---------------------------------------------------------------

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


def _builder_path(builder: Builder) -> str:
    return f"{builder.__module__}.{builder.__qualname__}"


def _builder(path: str) -> Builder:
    from django.utils.module_loading import import_string

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
        "builder": _builder_path(builder),
        "object_id": object_id,
        "stamp": stamp(object_id),
        "code": code_version(),
        "language": settings.LANGUAGE_CODE,
        "time_zone": settings.TIME_ZONE,
    }
    encoded = json.dumps(payload, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _lost_before(now: dt.datetime) -> dt.datetime:
    """A rendering pending or running since before this was lost (its task died or was never
    delivered): twice the time limit ago."""
    return now - dt.timedelta(seconds=2 * float(_setting("PDF_RENDER_TIMEOUT")))


def _rendering_by_stamp(path: str, object_id: str, stamp: str) -> PdfRendering | None:
    """The rendering made under this stamp, if it is ready or still being made (a pending
    one only while it is not lost); otherwise None and the caller takes the full path, which
    restarts what needs restarting."""
    from .models import PdfRendering

    rendering = (
        PdfRendering.objects.filter(builder=path, object_id=object_id, stamp=stamp)
        .order_by("-requested_at", "-pk")
        .first()
    )
    if rendering is None:
        return None
    lost_before = _lost_before(timezone.now())
    if (
        rendering.is_ready
        or rendering.status == PdfRendering.Status.RUNNING
        or (
            rendering.status == PdfRendering.Status.PENDING and rendering.requested_at > lost_before
        )
    ):
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
    from django.db import IntegrityError, transaction

    from .models import PdfRendering

    object_id = str(object_id)
    path = _builder_path(builder)
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
        in_task = previous > _setting("PDF_SYNC_SECONDS")
    if in_task and not render_here:
        from .tasks import render_pdf

        rendering_id = rendering.pk
        transaction.on_commit(lambda: render_pdf.delay(rendering_id))
    else:
        rendering_render(rendering_id=rendering.pk, document=document)
    rendering.refresh_from_db()
    return rendering


def rendering_warm(*, builder_path: str, object_id: str) -> PdfRendering:
    """Make the document's current rendering before anyone asks for it, in this process (the
    ``warm_pdf`` task calls it after a programme version is published). Nothing happens if it
    exists already or is being made."""
    return rendering_ensure(builder=_builder(builder_path), object_id=object_id, render_here=True)


def _restart(rendering: PdfRendering) -> bool:
    """Put an existing rendering back in the queue when nobody else will finish it: it failed
    more than PDF_RETRY_FAILED_AFTER ago, its file is gone, or it has waited longer than twice
    the time limit (a lost task). True if this caller restarted it and must start the render;
    the conditional UPDATE makes sure only one caller does."""
    from django.db.models import Q

    from .models import PdfRendering

    now = timezone.now()
    failed_before = now - dt.timedelta(seconds=float(_setting("PDF_RETRY_FAILED_AFTER")))
    lost_before = _lost_before(now)
    restartable = (
        Q(status=PdfRendering.Status.FAILED, finished_at__lt=failed_before)
        | Q(status=PdfRendering.Status.PENDING, requested_at__lt=lost_before)
        | Q(status=PdfRendering.Status.DONE)  # here only when its file is missing
    )
    return bool(
        PdfRendering.objects.filter(restartable, pk=rendering.pk, status=rendering.status).update(
            status=PdfRendering.Status.PENDING, error="", requested_at=now
        )
    )


def rendering_render(*, rendering_id: int, document: PdfDocument | None = None) -> None:
    """Render a pending rendering once: claimed with a conditional UPDATE, so that two
    workers (or a worker and a web request) never render the same one twice. A rendering
    whose claim has run past twice the time limit (a crashed worker) may be claimed again.
    Inputs that changed since it was queued leave it FAILED ("superseded"); the next request
    makes a new one."""
    from django.core.files.base import ContentFile
    from django.db.models import Q

    from .models import PdfRendering

    now = timezone.now()
    stale = _lost_before(now)
    claimed = (
        PdfRendering.objects.filter(pk=rendering_id)
        .filter(
            Q(status=PdfRendering.Status.PENDING)
            | Q(status=PdfRendering.Status.RUNNING, started_at__lt=stale)
        )
        .update(status=PdfRendering.Status.RUNNING, started_at=now, error="")
    )
    if not claimed:
        return
    rendering = PdfRendering.objects.get(pk=rendering_id)
    try:
        if document is None:
            document = _builder(rendering.builder)(rendering.object_id)
        if document.key() != rendering.key:
            raise PdfError("superseded: the document changed before it was rendered")
        result = render_document(document)
    except Exception as error:  # noqa: BLE001 - recorded on the row, shown to the reader
        logger.exception("PDF rendering %s failed", rendering_id)
        PdfRendering.objects.filter(pk=rendering_id).update(
            status=PdfRendering.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
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


def _prune_superseded(rendering: PdfRendering) -> None:
    """Older finished renderings of the same document are derived data nobody can ask for
    again (their inputs are gone): delete their rows and files."""
    from .models import PdfRendering

    older = PdfRendering.objects.filter(
        builder=rendering.builder,
        object_id=rendering.object_id,
        requested_at__lt=rendering.requested_at,
    ).exclude(status__in=[PdfRendering.Status.RUNNING, PdfRendering.Status.PENDING])
    for stale in older:
        if stale.file:
            stale.file.delete(save=False)
        stale.delete()


if os.environ.get(_WARM_UP) == "1":  # only in the fork server (see _context)
    weasyprint.PROGRESS_LOGGER.setLevel(logging.WARNING)
    _warm_up()
    gc.freeze()  # forked children then leave the server's objects' pages shared
