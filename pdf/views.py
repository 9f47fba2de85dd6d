"""Serving a PDF document: the stored file, or a progress page while it is being made.

Every view that serves one first runs its object's access helper (404 for missing and
forbidden alike), then calls ``serve_document``. A ready rendering is served from storage;
one being made in a Celery task gets a progress page that polls (htmx) or offers a link to
try again (JavaScript off).
"""

from __future__ import annotations

from django.http import FileResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.shortcuts import render

from core.http import HtmxRequest, etag_matches

from . import cache as pdf_cache
from .models import PdfRendering


def serve_document(
    request: HtmxRequest, *, builder: pdf_cache.Builder, object_id: str | int, public: bool
) -> HttpResponseBase:
    """The response for a document the caller has already checked access to: the stored
    PDF, or the progress page while it is being made (202; the fragment for htmx), or the
    failure page (503).

    ``public``: anyone may read the document (it is published), so it is shown inline and may
    be cached and revalidated (ETag, 304 on If-None-Match). Otherwise it is restricted (the
    working copy, a report before publication, a draft meeting's annex): a download
    (``attachment``) that no browser or proxy may store (``no-store``), without an ETag."""
    rendering = pdf_cache.rendering_ensure(builder=builder, object_id=object_id)
    if rendering.is_ready and not request.htmx:
        if not public:
            response: HttpResponseBase = FileResponse(
                rendering.file.open("rb"),
                as_attachment=True,
                content_type="application/pdf",
                filename=rendering.filename,
            )
            response["Cache-Control"] = "no-store"
            return response
        if etag_matches(rendering.etag, request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
        else:
            response = FileResponse(
                rendering.file.open("rb"),
                content_type="application/pdf",
                filename=rendering.filename,
            )
        response["ETag"] = rendering.etag
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        return response

    context = {"rendering": rendering, "Status": PdfRendering.Status}
    if request.htmx:
        return render(request, "pdf/partials/progress.html", context)
    status = 503 if rendering.status == PdfRendering.Status.FAILED else 202
    return render(request, "pdf/progress.html", context, status=status)
