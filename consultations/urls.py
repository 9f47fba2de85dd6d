from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("consultations/", views.round_list, name="round-list"),
    path("consultations/new/", views.round_create, name="round-create"),
    path("consultations/my-comments/", views.my_comments, name="my-comments"),
    path("consultations/<int:pk>/", views.round_detail, name="round-detail"),
    path("consultations/<int:pk>/edit/", views.round_edit, name="round-edit"),
    path("consultations/<int:pk>/step/<slug:step>/", views.round_transition, name="round-step"),
    path("consultations/<int:pk>/comments/", views.comment_add, name="comment-add"),
    path("consultations/<int:pk>/settle/", views.round_settle, name="round-settle"),
    path("consultations/<int:pk>/report/", views.round_report, name="round-report"),
    path("consultations/<int:pk>/report.csv", views.round_report_csv, name="round-report-csv"),
    path("consultations/<int:pk>/report.xlsx", views.round_report_xlsx, name="round-report-xlsx"),
    path("consultations/<int:pk>/audit/", views.round_audit, name="round-audit"),
    path("consultations/comments/<int:pk>/reply/", views.comment_reply, name="comment-reply"),
    path("consultations/comments/<int:pk>/edit/", views.comment_edit, name="comment-edit"),
    path(
        "consultations/comments/<int:pk>/withdraw/", views.comment_withdraw, name="comment-withdraw"
    ),
    path("consultations/comments/<int:pk>/support/", views.comment_support, name="comment-support"),
    path("consultations/comments/<int:pk>/flag/", views.comment_flag, name="comment-flag"),
    path("consultations/comments/<int:pk>/hide/", views.comment_hide, name="comment-hide"),
    path("consultations/comments/<int:pk>/unhide/", views.comment_unhide, name="comment-unhide"),
]
