from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("actions/", views.action_list, name="action-list"),
    path(
        "meetings/<id:meeting_pk>/postulated-actions/",
        views.meeting_actions,
        name="meeting-actions",
    ),
    # Meeting workspace (issue 3)
    path("meetings/<id:meeting_pk>/goals/", views.goal_add, name="goal-add"),
    path("goals/<id:pk>/edit/", views.goal_edit, name="goal-edit"),
    path("goals/<id:pk>/merge/", views.goal_merge, name="goal-merge"),
    path("goals/<id:pk>/move/", views.goal_move, name="goal-move"),
    path("meetings/<id:meeting_pk>/postulated-actions/new/", views.action_add, name="action-add"),
    path("postulated-actions/<id:pk>/edit/", views.action_edit, name="action-edit"),
    path("postulated-actions/<id:pk>/merge/", views.action_merge, name="action-merge"),
    path("postulated-actions/<id:pk>/move/", views.action_move, name="action-move"),
]
