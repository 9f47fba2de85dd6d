"""The programme's published PDFs answered like static files: before the session, the user,
the URL resolver and the view.

A published version of the programme and the adopted programme are public and never change
(nothing withdraws either), so their download needs nothing of the request but its path:
this middleware, right after WhiteNoise, recognises the two routes (``drafts:version-pdf``
and ``drafts:version-adopted-pdf``, read from documents/urls.py), finds the made publication
(``made_publication``: one indexed lookup, once per process) and answers with its file, a
304 or a redirect to the bucket. The security middleware before it sets the headers every
response has, as for a static file; X-Frame-Options is set here. The response sets no cookie
and does not vary by cookie.

Everything else goes on to the view, with the whole middleware, as before: a publication not
made yet (the view freezes it and shows the progress page), a document that is not published
(404), htmx's polling of the progress page, a query string (the line-numbered version), a
method other than GET and HEAD, a missing stored file (the failure page). Documents whose
access depends on more than their publication (a round's report, a meeting's annex) are
always served by their views, after the access check.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware

from . import urls
from .publications import made_publication, publication_file_response

#: The public downloads of a publication, by route name: the publication's kind.
PUBLIC_DOWNLOADS = {"version-pdf": "version", "version-adopted-pdf": "adopted"}
ROUTES = [
    (route.pattern, PUBLIC_DOWNLOADS[route.name])
    for route in urls.drafts_urlpatterns
    if route.name in PUBLIC_DOWNLOADS
]


def published_download(request: HttpRequest) -> HttpResponseBase | None:
    """The response to a plain download of a made publication at a public route, else None."""
    meta = request.META
    if (
        request.method not in ("GET", "HEAD")
        or meta.get("QUERY_STRING")
        or "HTTP_HX_REQUEST" in meta
    ):
        return None
    path = request.path_info[1:]
    for pattern, kind in ROUTES:
        match = pattern.match(path)
        if match is not None:
            made = made_publication(kind, str(match[2]["pk"]))
            return None if made is None else publication_file_response(request, made)
    return None


class PublishedDownloadMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.frame_options = XFrameOptionsMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = published_download(request)
        if response is None:
            return self.get_response(request)
        # Django's own chain hands it streaming responses too; the stubs say HttpResponse.
        return self.frame_options.process_response(request, response)  # type: ignore[arg-type]
