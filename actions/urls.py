from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("actions/", views.action_list, name="action-list"),
    path(
        "meetings/<int:meeting_pk>/postulated-actions/",
        views.meeting_actions,
        name="meeting-actions",
    ),
]
