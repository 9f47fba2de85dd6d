from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("programme/context/", views.programme_context, name="programme-context"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("teams.urls")),
    path("", include("actions.urls")),
    path("", include("swot.urls")),
    path("", include("consultations.urls")),
    path("", include("consultations.draft_urls")),
    path("", include("krakow_ngo.pdf_views")),
    path("", include("krakow_ngo.api.urls")),
    path("", include("krakow_ngo.notification_views")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
