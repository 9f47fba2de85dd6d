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
    # Meeting workspace (issue 3)
    path("meetings/<int:meeting_pk>/goals/", views.goal_add, name="goal-add"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal-edit"),
    path("goals/<int:pk>/merge/", views.goal_merge, name="goal-merge"),
    path("goals/<int:pk>/move/", views.goal_move, name="goal-move"),
    path("meetings/<int:meeting_pk>/postulated-actions/new/", views.action_add, name="action-add"),
    path("postulated-actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("postulated-actions/<int:pk>/merge/", views.action_merge, name="action-merge"),
    path("postulated-actions/<int:pk>/move/", views.action_move, name="action-move"),
]
