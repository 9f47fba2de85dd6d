from django.urls import path

from . import meeting_views, views

app_name = "teams"

urlpatterns = [
    path("teams/", views.team_list, name="team-list"),
    path("teams/<slug:slug>/", views.team_detail, name="team-detail"),
    path("meetings/<id:pk>/", views.meeting_detail, name="meeting-detail"),
    # Programmes as cycles (issue 13)
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/new/", views.programme_create, name="programme-create"),
    path("programmes/<id:pk>/", views.programme_detail, name="programme-detail"),
    path("programmes/<id:pk>/edit/", views.programme_edit, name="programme-edit"),
    path("programmes/<id:pk>/calendar.ics", views.programme_calendar, name="programme-calendar"),
    # Accounts, organisations and roles (issue 3)
    path("my-account/", views.account_overview, name="my-account"),
    path("my-account/edit/", views.account_edit, name="my-account-edit"),
    path("my-account/data.json", views.account_export, name="my-account-data"),
    path("my-account/delete/", views.account_delete, name="my-account-delete"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/<id:pk>/", views.organisation_detail, name="organisation-detail"),
    path(
        "organisations/<id:pk>/represent/",
        views.organisation_represent,
        name="organisation-represent",
    ),
    path("organisations/<id:pk>/verify/", views.organisation_verify, name="organisation-verify"),
    path(
        "representations/<id:pk>/decide/",
        views.representation_decide,
        name="representation-decide",
    ),
    path("teams/<slug:slug>/join/", views.team_join, name="team-join"),
    path("teams/<slug:slug>/leave/", views.team_leave, name="team-leave"),
    path("teams/<slug:slug>/members/", views.team_members, name="team-members"),
    path("teams/<slug:slug>/edit/", views.team_edit, name="team-edit"),
    path("teams/<slug:slug>/moderators/", views.moderator_appoint, name="moderator-appoint"),
    path("memberships/<id:pk>/decide/", views.membership_decide, name="membership-decide"),
    path(
        "memberships/<id:pk>/remove-moderator/",
        views.moderator_remove,
        name="moderator-remove",
    ),
    path("coordination/", views.coordination, name="coordination"),
    path("coordination/teams/new/", views.team_create, name="team-create"),
    path("coordination/people/", views.people, name="people"),
    path("coordination/people/<id:pk>/roles/", views.person_roles, name="person-roles"),
    # Meeting workspace (issue 3: planning, phases, attendance, live mode, minutes)
    path("teams/<slug:slug>/meetings/new/", meeting_views.meeting_create, name="meeting-create"),
    path("meetings/<id:pk>/plan/", meeting_views.meeting_edit, name="meeting-edit"),
    path("meetings/<id:pk>/agenda/", meeting_views.agenda_item_add, name="agenda-item-add"),
    path(
        "meetings/<id:pk>/agenda/<id:item_pk>/",
        meeting_views.agenda_item_edit,
        name="agenda-item-edit",
    ),
    path(
        "meetings/<id:pk>/agenda/<id:item_pk>/delete/",
        meeting_views.agenda_item_delete,
        name="agenda-item-delete",
    ),
    path("meetings/<id:pk>/phase/", meeting_views.meeting_advance, name="meeting-advance"),
    path(
        "meetings/<id:pk>/phase/<slug:step>/confirm/",
        meeting_views.meeting_advance_confirm,
        name="meeting-advance-confirm",
    ),
    path("meetings/<id:pk>/workspace/", meeting_views.meeting_workspace, name="meeting-workspace"),
    path("meetings/<id:pk>/attendance/", meeting_views.attendance_toggle, name="attendance-toggle"),
    path(
        "meetings/<id:pk>/attendance/mark/",
        meeting_views.attendance_mark,
        name="attendance-mark",
    ),
    path("meetings/<id:pk>/live/", meeting_views.meeting_live, name="meeting-live"),
    path("meetings/<id:pk>/speakers/", meeting_views.speaker_add, name="speaker-add"),
    path(
        "meetings/<id:pk>/speakers/<id:speaker_pk>/<str:step>/",
        meeting_views.speaker_turn,
        name="speaker-turn",
    ),
    path("meetings/<id:pk>/minutes/", meeting_views.minutes_detail, name="meeting-minutes"),
    path("meetings/<id:pk>/minutes/edit/", meeting_views.minutes_edit, name="meeting-minutes-edit"),
    path(
        "meetings/<id:pk>/minutes/publish/",
        meeting_views.minutes_publish,
        name="meeting-minutes-publish",
    ),
    path(
        "meetings/<id:pk>/minutes/publish/confirm/",
        meeting_views.minutes_publish_confirm,
        name="meeting-minutes-publish-confirm",
    ),
]
