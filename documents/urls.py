"""The documents' URLs. They keep the names they had before the documents app existed: the
meeting annex in the ``pdf`` namespace, the programme's PDFs in ``drafts``; krakow_ngo/urls.py
puts each list in its namespace."""

from django.urls import path

from . import meeting_annex, programme

pdf_urlpatterns = [
    path(
        "meetings/<id:pk>/postulated-actions.pdf",
        meeting_annex.meeting_actions,
        name="meeting-actions",
    ),
]

drafts_urlpatterns = [
    path(
        "programme-draft/<id:pk>/working-copy.pdf",
        programme.working_copy_pdf,
        name="working-copy-pdf",
    ),
    path("programme-draft/versions/<id:pk>.pdf", programme.version_pdf, name="version-pdf"),
    path("consultations/<id:pk>/report.pdf", programme.round_report_pdf, name="round-report-pdf"),
]
