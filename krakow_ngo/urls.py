"""The project's URLs: its own pages, then each app's. The documents' and the outbox page's
URLs keep the namespaces they had before those views moved (``pdf``, ``drafts``,
``consultations``, ``notifications``): this is the one place that composes them."""

from django.contrib import admin
from django.urls import include, path

from consultations import urls as consultations_urls
from documents import urls as documents_urls
from drafts import urls as drafts_urls
from implementation import urls as implementation_urls
from notifications import views as notification_views
from teams.outbox_views import outbox_failed

from . import csp, metrics, views

notifications_urlpatterns = [
    *notification_views.urlpatterns,
    path("notifications/failed/", outbox_failed, name="outbox-failed"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("programme/context/", views.programme_context, name="programme-context"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("livez", views.livez, name="livez"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path(csp.REPORT_PATH.lstrip("/"), csp.csp_report, name="csp-report"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # The consultations' pages first among the apps': Django tries the patterns in order, and
    # a round's page and its comment posts are what most requests in a round's last hours ask
    # for. Their paths begin "consultations/", as none of teams', actions', swot's and
    # implementation's do (tests/test_url_order.py); the apps after them keep their order.
    path(
        "",
        include(
            (
                [*consultations_urls.urlpatterns, *documents_urls.consultations_urlpatterns],
                "consultations",
            )
        ),
    ),
    path("", include("teams.urls")),
    path("", include("actions.urls")),
    path("", include("swot.urls")),
    path(
        "",
        include(
            (
                [*implementation_urls.urlpatterns, *documents_urls.implementation_urlpatterns],
                "implementation",
            )
        ),
    ),
    path("", include(([*drafts_urls.urlpatterns, *documents_urls.drafts_urlpatterns], "drafts"))),
    path("", include((documents_urls.pdf_urlpatterns, "pdf"))),
    path("", include((documents_urls.documents_urlpatterns, "documents"))),
    path("", include("opendata.api.urls")),
    path("", include((notifications_urlpatterns, "notifications"))),
]

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
# allauth answers its rate limits with this (Django itself has no 429 handler).
handler429 = "core.retry_later.rate_limited"
handler500 = views.server_error

# MEDIA_ROOT (var/media, or the bucket) holds stored files, some of them restricted: it is never
# routed, in any mode; each document is served by its own view after its access check.
