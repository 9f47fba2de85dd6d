"""Routes of the open data: /api/v1/ (JSON), /api/schema/ (OpenAPI 3), /api/docs/ (Swagger UI
and ReDoc served from the vendored drf-spectacular-sidecar assets, no CDN), calendars, feeds
and search."""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from opendata import feeds, search

from . import exports, views

app_name = "open-data"

# ReDoc needs more than the portal's policy allows, on its own page only (docs/security.md):
# its styles, made at run time, carry the nonce it is given (templates/drf_spectacular/), but
# its bundle injects perfect-scrollbar's CSS before it knows the nonce, so that one <style>
# is allowed by its hash (empty, then filled: two hashes; a new sidecar version changes the
# second, and tests/browser/test_csp.py then names the new one); its search runs in a worker
# made from a blob. Its "API docs by Redocly" logo from another host is patched out of the
# bundle the page loads (scripts/vendor_redoc.py).
REDOC_POLICY = {
    "style-src": [
        NONCE,
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
        "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
    ],
    "worker-src": ["'self'", "blob:"],
}

router = DefaultRouter()
router.register("teams", views.TeamViewSet, basename="team")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("swot-entries", views.SwotEntryViewSet, basename="swot-entry")
router.register("goals", views.GoalViewSet, basename="goal")
router.register("actions", views.ActionViewSet, basename="action")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("comments", views.CommentViewSet, basename="comment")
router.register("programme-versions", views.ProgrammeVersionViewSet, basename="programme-version")
router.register("implementation", views.ActionPlanViewSet, basename="implementation")
router.register("programme-figures", views.ProgrammeFigureViewSet, basename="programme-figure")

urlpatterns = [
    path("api/", views.api_overview, name="overview"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="open-data:schema"), name="docs"),
    path(
        "api/redoc/",
        csp_update(REDOC_POLICY)(SpectacularRedocView.as_view(url_name="open-data:schema")),
        name="redoc",
    ),
    path("actions.csv", exports.actions_csv, name="actions-csv"),
    path("actions.xlsx", exports.actions_xlsx, name="actions-xlsx"),
    path("implementation.csv", exports.implementation_csv, name="implementation-csv"),
    path("implementation.xlsx", exports.implementation_xlsx, name="implementation-xlsx"),
    path("calendar.ics", feeds.calendar_all, name="calendar"),
    path("teams/<slug:slug>/calendar.ics", feeds.calendar_team, name="team-calendar"),
    path("consultations/feed.atom", feeds.RoundFeed(), name="round-feed"),
    path("search/", search.search_view, name="search"),
]
