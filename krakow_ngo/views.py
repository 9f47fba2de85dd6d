"""Project-wide pages: home, programme context, accessibility declaration, privacy, health,
and the pages of the error statuses (400, 403, 404, 500 and a refused CSRF check)."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import get_script_prefix
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from teams import selectors as teams_selectors
from teams.models import ProcessStage


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    programme = teams_selectors.programme_current()
    teams = teams_selectors.team_list(programme=programme) if programme else []
    stages = [
        {
            "number": stage.value,
            "label": stage.label,
            "done": bool(programme and stage.value < programme.stage),
            "current": bool(programme and stage.value == programme.stage),
        }
        for stage in ProcessStage
    ]
    return render(
        request,
        "home.html",
        {"programme": programme, "teams": teams, "stages": stages},
    )


@require_safe
def programme_context(request: HttpRequest) -> HttpResponse:
    programme = teams_selectors.programme_current()
    sections = programme.sections.order_by("position") if programme else []
    return render(request, "programme_context.html", {"programme": programme, "sections": sections})


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accessibility.html",
        {
            "published": settings.ACCESSIBILITY_PUBLISHED,
            "updated": settings.ACCESSIBILITY_UPDATED,
        },
    )


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with {"status": "ok"} when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# The error pages. What each status says; a refusal may bring its own message (a 403 from
# core.errors.Refused, a 400 from the request text middleware).
ERRORS = {
    400: (
        gettext_lazy("Bad request"),
        gettext_lazy("The portal could not understand what your browser sent. Nothing was saved."),
    ),
    403: (
        gettext_lazy("Access denied"),
        gettext_lazy(
            "You may not open this page or do this. If you think you should, log in or ask "
            "the coordinating team."
        ),
    ),
    404: (
        gettext_lazy("Page not found"),
        gettext_lazy(
            "There is no page at this address. It may have been removed, or the address "
            "may be mistyped."
        ),
    ),
    500: (
        gettext_lazy("Server error"),
        gettext_lazy(
            "Something went wrong on our side, and it has been logged. Please try again in a "
            "moment."
        ),
    ),
}

logger = logging.getLogger(__name__)


def error_page(request: HttpRequest, status: int, *, message: str = "") -> HttpResponse:
    """The portal's page for an error status, in the request's language. It must render when
    the rest of the portal cannot (database down, cache down, static files not collected), so
    the template stands alone and gets a plain context: no request, hence no context
    processors (user, session, messages), and no URL reversing. Should even that fail, a
    fixed page in the same words is served."""
    title, default = ERRORS[status]
    context = {
        "status": status,
        "title": title,
        "message": message or default,
        "language_code": get_language() or settings.LANGUAGE_CODE,
        "home_url": get_script_prefix(),
        "static_url": settings.STATIC_URL,
    }
    try:
        html = loader.render_to_string("error.html", context)
    except Exception:  # the last resort: whatever broke the template, answer with the status
        logger.exception("The error page for %s could not be rendered", status)
        html = format_html(
            '<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><title>{}</title>'
            '</head><body><main><h1>{}</h1><p>{}</p><p><a href="{}">{}</a></p></main></body>'
            "</html>",
            context["language_code"],
            title,
            title,
            context["message"],
            context["home_url"],
            _("Go to the home page"),
        )
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    # A refusal's message is written for the person (core.errors.Refused); a bare
    # PermissionDenied has none and gets the general one.
    return error_page(request, 403, message=str(exception))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: most often a form left open past its session, or cookies off."""
    return error_page(
        request,
        403,
        message=_(
            "This form has expired, or your browser did not send the portal's cookie. Go back, "
            "reload the page and send the form again. Nothing was saved."
        ),
    )
