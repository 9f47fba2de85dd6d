from django.urls import path

from . import views

urlpatterns = [
    path(
        "programmes/<id:pk>/implementation/",
        views.programme_implementation,
        name="programme",
    ),
    path(
        "programmes/<id:pk>/implementation/<id:year>/figures/",
        views.figures,
        name="figures",
    ),
    path(
        "programmes/<id:pk>/implementation/<id:year>/report/publish/",
        views.report_publish,
        name="report-publish",
    ),
    path("teams/<slug:slug>/implementation/", views.team_implementation, name="team"),
    path("implementation/actions/<id:pk>/", views.action_detail, name="action"),
    path("implementation/actions/<id:pk>/unit/", views.plan_edit, name="plan-edit"),
    path(
        "implementation/actions/<id:pk>/indicators/new/",
        views.indicator_add,
        name="indicator-add",
    ),
    path(
        "implementation/indicators/<id:pk>/edit/",
        views.indicator_edit,
        name="indicator-edit",
    ),
    path("implementation/actions/<id:pk>/<id:year>/", views.action_year, name="action-year"),
    path(
        "implementation/actions/<id:pk>/<id:year>/propose/",
        views.proposal_add,
        name="proposal-add",
    ),
    path(
        "implementation/proposals/<id:pk>/decide/",
        views.proposal_decide,
        name="proposal-decide",
    ),
]
