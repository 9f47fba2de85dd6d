"""A meeting's postulated actions as its PDF annex (laid out like the seeds' Załącznik nr 3):
the builder and the view (its URL keeps the ``pdf`` namespace, see documents/urls.py)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext

from actions.selectors import actions_of_meeting
from core.dates import prose_date
from core.languages import record_language
from pdf import cache as pdf_cache
from pdf import render as pdf_render
from teams.models import Meeting

# --- Builders -----------------------------------------------------------------------------


@pdf_cache.pdf_document
def meeting_actions_document(object_id: str) -> pdf_render.PdfDocument:
    """A meeting's postulated actions as its annex (the seeds' Załącznik nr 3), in the portal's
    default language, marked DRAFT until the meeting's results are published."""
    meeting = Meeting.objects.select_related("team__programme").get(pk=int(object_id))
    programme = meeting.team.programme
    programme_name = programme.title
    if str(programme.period_start) not in programme_name:
        programme_name = f"{programme_name} {programme.period}"
    language = record_language()
    with translation.override(language):
        parts = [gettext("Postulated actions"), meeting.team.name, prose_date(meeting.date)]
        if meeting.annex_number:
            parts.insert(0, gettext("Annex no. %(number)s") % {"number": meeting.annex_number})
    return pdf_render.PdfDocument(
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
