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

from core.http import HtmxRequest

from . import cache as pdf_cache
from .models import PdfRendering


def serve_document(
    request: HtmxRequest, *, builder: pdf_cache.Builder, object_id: str | int, public: bool
) -> HttpResponseBase:
    """The response for a document the caller has already checked access to: the stored
    PDF (ETag = the inputs' hash; 304 on If-None-Match), or the progress page while it is
    being made (202; the fragment for htmx), or the failure page (503). ``public`` only
    chooses the Cache-Control header."""
    rendering = pdf_cache.rendering_ensure(builder=builder, object_id=object_id)
    if rendering.is_ready and not request.htmx:
        etag = f'"{rendering.key}"'
        cache_control = "public, max-age=0, must-revalidate" if public else "private, no-cache"
        if request.headers.get("If-None-Match") == etag:
            response: HttpResponseBase = HttpResponseNotModified()
        else:
            response = FileResponse(
                rendering.file.open("rb"),
                content_type="application/pdf",
                filename=rendering.filename,
            )
        response["ETag"] = etag
        response["Cache-Control"] = cache_control
        return response

    context = {"rendering": rendering, "Status": PdfRendering.Status}
    if request.htmx:
        return render(request, "pdf/partials/progress.html", context)
    status = 503 if rendering.status == PdfRendering.Status.FAILED else 202
    return render(request, "pdf/progress.html", context, status=status)
