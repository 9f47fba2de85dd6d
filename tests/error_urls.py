"""The portal's URLs and error handlers, and views that fail on purpose (test_error_pages)."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from krakow_ngo.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Only the round's coordinator may do this.")


def refuse_bare(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def outage(request: HttpRequest) -> HttpResponse:
    raise OperationalError("the server closed the connection unexpectedly")


urlpatterns = [
    path("test-errors/outage/", outage),
    path("test-errors/refuse/", refuse),
    path("test-errors/refuse-bare/", refuse_bare),
    path("test-errors/fail/", fail),
    *urlpatterns,
]
