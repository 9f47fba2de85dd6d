"""URLs of the programme draft and its PDFs (included from krakow_ngo/urls.py, namespace
``drafts``)."""

from django.urls import path

from . import draft_views as views

app_name = "drafts"

urlpatterns = [
    path("programme-draft/", views.draft_list, name="draft-list"),
    path("programme-draft/<int:pk>/edit/", views.draft_edit, name="draft-edit"),
    path("programme-draft/<int:pk>/publish/", views.draft_publish, name="draft-publish"),
    path("programme-draft/<int:pk>/compare/", views.version_compare, name="version-compare"),
    path(
        "programme-draft/<int:pk>/working-copy.pdf", views.working_copy_pdf, name="working-copy-pdf"
    ),
    path(
        "programme-draft/chapters/<int:pk>/paragraphs/",
        views.paragraph_add,
        name="paragraph-add",
    ),
    path("programme-draft/chapters/<int:pk>/links/", views.section_link, name="section-link"),
    path("programme-draft/paragraphs/<int:pk>/edit/", views.paragraph_edit, name="paragraph-edit"),
    path(
        "programme-draft/paragraphs/<int:pk>/move/<slug:direction>/",
        views.paragraph_move,
        name="paragraph-move",
    ),
    path(
        "programme-draft/paragraphs/<int:pk>/delete/",
        views.paragraph_delete,
        name="paragraph-delete",
    ),
    path("programme-draft/versions/<int:pk>/", views.version_detail, name="version-detail"),
    path(
        "programme-draft/versions/<int:pk>/adopted/",
        views.version_mark_adopted,
        name="version-adopted",
    ),
    path("programme-draft/versions/<int:pk>.pdf", views.version_pdf, name="version-pdf"),
    path("consultations/<int:pk>/report.pdf", views.round_report_pdf, name="round-report-pdf"),
]
