"""Routes of the open data: /api/v1/ (JSON), /api/schema/ (OpenAPI 3), /api/docs/ (Swagger UI
and ReDoc served from the vendored drf-spectacular-sidecar assets, no CDN), calendars, feeds
and search."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from opendata import feeds, search

from . import exports, views

app_name = "open-data"

router = DefaultRouter()
router.register("teams", views.TeamViewSet, basename="team")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("swot-entries", views.SwotEntryViewSet, basename="swot-entry")
router.register("goals", views.GoalViewSet, basename="goal")
router.register("actions", views.ActionViewSet, basename="action")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("comments", views.CommentViewSet, basename="comment")
router.register("programme-versions", views.ProgrammeVersionViewSet, basename="programme-version")

urlpatterns = [
    path("api/", views.api_overview, name="overview"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="open-data:schema"), name="docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="open-data:schema"), name="redoc"),
    path("actions.csv", exports.actions_csv, name="actions-csv"),
    path("actions.xlsx", exports.actions_xlsx, name="actions-xlsx"),
    path("calendar.ics", feeds.calendar_all, name="calendar"),
    path("teams/<slug:slug>/calendar.ics", feeds.calendar_team, name="team-calendar"),
    path("consultations/feed.atom", feeds.RoundFeed(), name="round-feed"),
    path("search/", search.search_view, name="search"),
]
