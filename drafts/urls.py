"""URLs of the programme draft, namespace ``drafts`` (krakow_ngo/urls.py adds its PDFs from
documents/urls.py under the same namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("programme-draft/", views.draft_list, name="draft-list"),
    path("programme-draft/<id:pk>/edit/", views.draft_edit, name="draft-edit"),
    path("programme-draft/<id:pk>/publish/", views.draft_publish, name="draft-publish"),
    path(
        "programme-draft/<id:pk>/publish/confirm/",
        views.draft_publish_confirm,
        name="draft-publish-confirm",
    ),
    path("programme-draft/<id:pk>/compare/", views.version_compare, name="version-compare"),
    path(
        "programme-draft/chapters/<id:pk>/paragraphs/",
        views.paragraph_add,
        name="paragraph-add",
    ),
    path("programme-draft/chapters/<id:pk>/links/", views.section_link, name="section-link"),
    path("programme-draft/paragraphs/<id:pk>/edit/", views.paragraph_edit, name="paragraph-edit"),
    path(
        "programme-draft/paragraphs/<id:pk>/move/<slug:direction>/",
        views.paragraph_move,
        name="paragraph-move",
    ),
    path(
        "programme-draft/paragraphs/<id:pk>/delete/",
        views.paragraph_delete,
        name="paragraph-delete",
    ),
    path("programme-draft/versions/<id:pk>/", views.version_detail, name="version-detail"),
    path(
        "programme-draft/versions/<id:pk>/adopted/",
        views.version_adopt,
        name="version-adopted",
    ),
]
