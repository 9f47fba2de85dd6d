from django.urls import path

from . import apply_wording_views, register_views, report_views, settle_views, views

app_name = "consultations"

urlpatterns = [
    path("consultations/", views.round_list, name="round-list"),
    path("consultations/new/", views.round_create, name="round-create"),
    path("consultations/my-comments/", views.my_comments, name="my-comments"),
    path("consultations/my-answers/", settle_views.my_answers, name="my-answers"),
    path(
        "consultations/comments/<id:pk>/answer/",
        settle_views.comment_answer,
        name="comment-answer",
    ),
    path("consultations/moderation/", views.moderation_queue, name="moderation-queue"),
    path("consultations/moderation/<id:pk>/", views.moderation_decide, name="moderation-decide"),
    path(
        "consultations/answer-templates/",
        settle_views.answer_templates,
        name="answer-templates",
    ),
    path(
        "consultations/answer-templates/<id:pk>/edit/",
        settle_views.answer_template_edit,
        name="answer-template-edit",
    ),
    path(
        "consultations/answer-templates/<id:pk>/delete/",
        settle_views.answer_template_delete,
        name="answer-template-delete",
    ),
    path("consultations/<id:pk>/", views.round_detail, name="round-detail"),
    path("consultations/<id:pk>/edit/", views.round_edit, name="round-edit"),
    path("consultations/<id:pk>/step/<slug:step>/", views.round_transition, name="round-step"),
    path(
        "consultations/<id:pk>/step/<slug:step>/confirm/",
        views.round_transition_confirm,
        name="round-step-confirm",
    ),
    path("consultations/<id:pk>/comments/", views.comment_add, name="comment-add"),
    path("consultations/<id:pk>/settle/", settle_views.round_settle, name="round-settle"),
    path(
        "consultations/<id:pk>/settle/similar/",
        settle_views.round_settle_similar,
        name="round-settle-similar",
    ),
    # The report's page, CSV and XLSX are routed by documents (documents/urls.py), which
    # serves them frozen once the report is published.
    path("consultations/<id:pk>/audit/", views.round_audit, name="round-audit"),
    path("consultations/<id:pk>/events/new/", views.event_add, name="event-add"),
    path("consultations/events/<id:pk>/edit/", views.event_edit, name="event-edit"),
    path("consultations/events/<id:pk>/delete/", views.event_delete, name="event-delete"),
    path("consultations/comments/<id:pk>/", views.comment_detail, name="comment-detail"),
    path("consultations/comments/<id:pk>/reply/", views.comment_reply, name="comment-reply"),
    path("consultations/comments/<id:pk>/edit/", views.comment_edit, name="comment-edit"),
    path(
        "consultations/comments/<id:pk>/withdraw/", views.comment_withdraw, name="comment-withdraw"
    ),
    path("consultations/comments/<id:pk>/support/", views.comment_support, name="comment-support"),
    path(
        "consultations/comments/<id:pk>/support/withdraw/",
        views.comment_support_withdraw,
        name="comment-support-withdraw",
    ),
    path("consultations/comments/<id:pk>/flag/", views.comment_flag, name="comment-flag"),
    path(
        "consultations/comments/<id:pk>/apply-wording/",
        apply_wording_views.comment_apply_wording,
        name="comment-apply-wording",
    ),
    path(
        "consultations/comments/<id:pk>/change/",
        apply_wording_views.comment_change,
        name="comment-change",
    ),
    path("consultations/comments/<id:pk>/hide/", views.comment_hide, name="comment-hide"),
    path("consultations/comments/<id:pk>/unhide/", views.comment_unhide, name="comment-unhide"),
    # The register: comments received outside the portal (the coordinating team).
    path(
        "consultations/<id:pk>/register/",
        register_views.comment_register,
        name="comment-register",
    ),
    path(
        "consultations/comments/<id:pk>/registered/",
        register_views.comment_register_edit,
        name="comment-register-edit",
    ),
    path(
        "consultations/comments/<id:pk>/registered/withdraw/",
        register_views.comment_register_withdraw,
        name="comment-register-withdraw",
    ),
    path(
        "consultations/comments/<id:pk>/original/",
        register_views.comment_original,
        name="comment-original",
    ),
    # The report's records: where the announcement was published, the annexes.
    path(
        "consultations/<id:pk>/report-records/",
        report_views.report_records,
        name="report-records",
    ),
    path(
        "consultations/<id:pk>/announcement-places/new/",
        report_views.announcement_place_add,
        name="announcement-place-add",
    ),
    path(
        "consultations/announcement-places/<id:pk>/edit/",
        report_views.announcement_place_edit,
        name="announcement-place-edit",
    ),
    path(
        "consultations/announcement-places/<id:pk>/delete/",
        report_views.announcement_place_delete,
        name="announcement-place-delete",
    ),
    path("consultations/<id:pk>/annexes/new/", report_views.annex_add, name="annex-add"),
    path("consultations/annexes/<id:pk>/delete/", report_views.annex_delete, name="annex-delete"),
    path("consultations/annexes/<id:pk>/file/", report_views.annex_file, name="annex-file"),
]
