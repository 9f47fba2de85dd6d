"""The documents' URLs. They keep the names they had before the documents app existed: the
meeting annex in the ``pdf`` namespace, the programme's PDFs in ``drafts``, the report's page
and exports in ``consultations``; the publications' own pages in ``documents``;
krakow_ngo/urls.py puts each list in its namespace."""

from django.urls import path

from . import comment_table, consultation_report, implementation_report, implementation_views, views

pdf_urlpatterns = [
    path(
        "meetings/<id:pk>/postulated-actions.pdf",
        views.meeting_actions,
        name="meeting-actions",
    ),
]

drafts_urlpatterns = [
    path(
        "programme-draft/<id:pk>/working-copy.pdf",
        views.working_copy_pdf,
        name="working-copy-pdf",
    ),
    path("programme-draft/versions/<id:pk>.pdf", views.version_pdf, name="version-pdf"),
    path(
        "programme-draft/versions/<id:pk>/adopted.pdf",
        views.version_adopted_pdf,
        name="version-adopted-pdf",
    ),
    path("consultations/<id:pk>/report.pdf", views.round_report_pdf, name="round-report-pdf"),
]

consultations_urlpatterns = [
    path("consultations/<id:pk>/report/", views.round_report, name="round-report"),
    path("consultations/<id:pk>/report.csv", views.round_report_csv, name="round-report-csv"),
    path("consultations/<id:pk>/report.xlsx", views.round_report_xlsx, name="round-report-xlsx"),
]

documents_urlpatterns = [
    path("publications/<id:pk>/errata/", views.erratum_add, name="erratum"),
    path("consultations/<id:pk>/comment-table/", views.comment_table_page, name="comment-table"),
    path(
        "consultations/<id:pk>/comment-table.pdf",
        views.comment_table_pdf,
        name="comment-table-pdf",
    ),
    *(
        path(
            f"consultations/<id:pk>/comment-table.{ext}",
            views.comment_table_file,
            {"ext": ext},
            name=f"comment-table-{ext}",
        )
        for ext in comment_table.FORMATS
    ),
    *(
        path(
            f"consultations/<id:pk>/report.{ext}",
            views.consultation_report_file,
            {"ext": ext},
            name=f"report-{ext}",
        )
        for ext in consultation_report.FORMATS
    ),
    path("consultations/<id:pk>/synthesis/", views.synthesis_edit, name="round-synthesis"),
]


# Composed into the ``implementation`` namespace (krakow_ngo/urls.py).
implementation_urlpatterns = [
    path(
        "programmes/<id:pk>/implementation/<id:year>/report/",
        implementation_views.report_page,
        name="report",
    ),
    path(
        "programmes/<id:pk>/implementation/<id:year>/report.pdf",
        implementation_views.report_pdf,
        name="report-pdf",
    ),
    *(
        path(
            f"programmes/<id:pk>/implementation/<id:year>/report.{ext}",
            implementation_views.report_file,
            {"ext": ext},
            name=f"report-{ext}",
        )
        for ext in implementation_report.FORMATS
    ),
]
