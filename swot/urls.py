from django.urls import path

from . import views

app_name = "swot"

urlpatterns = [
    path("meetings/<id:meeting_pk>/swot-topics/", views.topic_add, name="topic-add"),
    path(
        "meetings/<id:meeting_pk>/swot-topics/<id:topic_pk>/",
        views.topic_edit,
        name="topic-edit",
    ),
    path(
        "meetings/<id:meeting_pk>/swot-topics/<id:topic_pk>/move/",
        views.topic_move,
        name="topic-move",
    ),
    path(
        "meetings/<id:meeting_pk>/swot-topics/<id:topic_pk>/delete/",
        views.topic_delete,
        name="topic-delete",
    ),
    path("swot-topics/<id:topic_pk>/entries/", views.entry_add, name="entry-add"),
    path("swot-entries/<id:pk>/edit/", views.entry_edit, name="entry-edit"),
    path("swot-entries/<id:pk>/merge/", views.entry_merge, name="entry-merge"),
    path("swot-entries/<id:pk>/move/", views.entry_move, name="entry-move"),
]
