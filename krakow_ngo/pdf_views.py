"""PDF downloads: the document builders, the views that check access and serve them, and
their URLs (included from krakow_ngo/urls.py).

Every view first runs the object's access helper (404 for missing and forbidden alike), then
asks krakow_ngo.pdf for the rendering of the document's current inputs. A ready rendering is
served from storage; one being made in a Celery task gets a progress page that polls (htmx)
or offers a link to try again (JavaScript off).
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from actions.selectors import actions_of_meeting
from teams.access import get_meeting_for_user
from teams.http import HtmxRequest
from teams.meeting_permissions import can_view_results
from teams.models import Meeting

from . import pdf
from .models import PdfRendering

app_name = "pdf"


# --- Builders -----------------------------------------------------------------------------


@pdf.pdf_document
def meeting_actions_document(object_id: str) -> pdf.PdfDocument:
    """A meeting's postulated actions as its annex (the seeds' Załącznik nr 3), in the portal's
    default language, marked DRAFT until the meeting's results are published."""
    meeting = Meeting.objects.select_related("team__programme").get(pk=int(object_id))
    programme = meeting.team.programme
    programme_name = programme.title
    if str(programme.period_start) not in programme_name:
        programme_name = f"{programme_name} {programme.period}"
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        parts = [gettext("Postulated actions"), meeting.team.name, f"{meeting.date:%d.%m.%Y}"]
        if meeting.annex_number:
            parts.insert(0, gettext("Annex no. %(number)s") % {"number": meeting.annex_number})
    return pdf.PdfDocument(
        template_name="pdf/meeting_actions.html",
        context={
            "meeting": {
                "team": meeting.team.name,
                "date": meeting.date,
                "programme": programme_name,
                "annex_number": meeting.annex_number,
                "annex_title": meeting.annex_title,
            },
            "actions": [
                {"number": number, "text": text, "merged_into": merged_into}
                for number, text, merged_into in actions_of_meeting(meeting=meeting).values_list(
                    "number", "text", "merged_into__number"
                )
            ],
        },
        title=" – ".join(parts),
        filename=f"{meeting.team.slug}-{meeting.date:%Y-%m-%d}-actions.pdf",
        language=language,
        draft=meeting.status != Meeting.Status.PUBLISHED,
    )


# --- Views --------------------------------------------------------------------------------


def serve_document(
    request: HtmxRequest, *, builder: pdf.Builder, object_id: str | int, public: bool
) -> HttpResponseBase:
    """The response for a document the caller has already checked access to: the stored
    PDF (ETag = the inputs' hash; 304 on If-None-Match), or the progress page while it is
    being made (202; the fragment for htmx), or the failure page (503). ``public`` only
    chooses the Cache-Control header."""
    rendering = pdf.rendering_ensure(builder=builder, object_id=object_id)
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


@require_safe
def meeting_actions(request: HtmxRequest, pk: int) -> HttpResponseBase:
    """The postulated actions of a meeting as a PDF annex: public once the meeting's results
    are published; before that only to those who see the work in progress, like the HTML
    annex page."""
    meeting = get_meeting_for_user(request.user, pk)
    if not can_view_results(request.user, meeting):
        raise Http404("No published actions.")
    return serve_document(
        request,
        builder=meeting_actions_document,
        object_id=meeting.pk,
        public=meeting.status == Meeting.Status.PUBLISHED,
    )


urlpatterns = [
    path(
        "meetings/<int:pk>/postulated-actions.pdf",
        meeting_actions,
        name="meeting-actions",
    ),
]
