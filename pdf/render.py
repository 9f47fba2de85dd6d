"""Django templates to PDF with WeasyPrint: safe fetching, a time limit, and a cache.

Three layers, usable separately (docs/pdf.md):

1. ``render_html(html)`` turns an HTML string into PDF bytes in a child process with a time
   limit, with a URL fetcher that reads only ``data:`` URLs and the project's static files.
2. ``render_document(document)`` renders a ``PdfDocument`` (template name + plain context data
   + title/language/draft flag) through ``templates/pdf/base.html``: PDF/UA tagging, metadata,
   embedded DejaVu fonts, "Page X of Y" footer, an optional "DRAFT" watermark.
3. ``pdf.cache``: renderings stored by the hash of their inputs (see that module).

This module imports no models: the render child processes import it (see ``_context()``)
and must not need a configured Django; that is why the cache is a module of its own.
"""

from __future__ import annotations

import dataclasses
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
from collections.abc import Mapping
from multiprocessing import forkserver
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import nh3
import weasyprint
from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.languages import record_language
from core.text import strip_bidi

logger = logging.getLogger(__name__)

#: Bump when this module changes what a PDF looks like: it is part of every cache key (templates
#: under templates/pdf/ and the fonts are hashed automatically, see ``code_version()``).
PDF_CODE_VERSION = "2"  # 2: no bidi controls in the metadata

#: Defaults; each can be overridden by a setting of the same name.
PDF_RENDER_TIMEOUT = 60.0  # seconds a render may take before its process is killed
PDF_SYNC_SECONDS = 2.0  # a document that took longer last time is rendered in a Celery task
#: A render inside a web request is stopped after this and handed to the Celery task: keep it
#: well under the web worker's timeout (gunicorn.conf.py; the check pdf.E001 compares them).
PDF_REQUEST_SECONDS = 10.0
PDF_RETRY_FAILED_AFTER = 300.0  # seconds before a failed rendering is tried again
PDF_RENDER_ISOLATED = True  # False: render in the calling thread, with only a soft guard


def setting(name: str) -> Any:
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
    timeout = float(setting("PDF_RENDER_TIMEOUT") if timeout is None else timeout)
    static = static or static_files()
    if not setting("PDF_RENDER_ISOLATED") or multiprocessing.current_process().daemon:
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
    language: str = dataclasses.field(default_factory=record_language)
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
    """This module's version, WeasyPrint's, and a digest of the PDF templates, the fonts, the
    watermark's drawing (pdf/watermark.py) and the compiled translations (the templates'
    words, the footer, dispositions): a change to any of them makes every cached rendering
    stale."""
    digest = hashlib.sha256(f"{PDF_CODE_VERSION}|{weasyprint.__version__}".encode())
    base = Path(settings.BASE_DIR)
    folders = [(base / "templates" / "pdf", "*"), (base / "static" / "fonts", "*")]
    folders += [(base / "pdf", "watermark.py")]  # drawn into every draft's pages
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
                    # Metadata is shown by PDF readers without isolation.
                    "title": strip_bidi(document.title),
                    "author": strip_bidi(document.author or settings.PORTAL_CONTACT_NAME),
                    "language": document.language,
                    "draft": document.draft,
                    "footer": page_footer_css(),
                },
            },
        )


def render_document(document: PdfDocument, *, timeout: float | None = None) -> RenderResult:
    return render_html(document_html(document), timeout=timeout)


if os.environ.get(_WARM_UP) == "1":  # only in the fork server (see _context)
    weasyprint.PROGRESS_LOGGER.setLevel(logging.WARNING)
    _warm_up()
    gc.freeze()  # forked children then leave the server's objects' pages shared
