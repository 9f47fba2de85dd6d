"""Project-wide pages: home, programme context, accessibility declaration, privacy, the health
endpoints (liveness, health, readiness), and the handlers of the error statuses (400, 403,
404, 500 and a refused CSRF check), which answer with the one error page
(core/error_pages.py)."""

import logging
import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.error_pages import error_page
from core.kept_text import typed_texts
from core.retry_later import database_unavailable, is_database_outage
from teams import selectors as teams_selectors
from teams.models import ProcessStage

from .accessibility import declaration as accessibility_declaration
from .progress import programme_progress
from .readiness import check_database, readiness

logger = logging.getLogger(__name__)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    programme = teams_selectors.programme_current()
    teams = teams_selectors.team_list(programme=programme) if programme else []
    progress = programme_progress(programme) if programme else None
    stages = [
        {
            "number": stage.value,
            "label": stage.label,
            "done": bool(progress and stage in progress.done),
            "current": bool(progress and stage.value == progress.stage),
        }
        for stage in ProcessStage
    ]
    return render(
        request,
        "home.html",
        {
            "programme": programme,
            "teams": teams,
            "stages": stages,
            "progress": progress,
            # The Warsaw date: the deadline is a day of the calendar (Programme.legal_deadline).
            "deadline_passed": bool(programme and programme.legal_deadline < timezone.localdate()),
        },
    )


@require_safe
def programme_context(request: HttpRequest) -> HttpResponse:
    programme = teams_selectors.programme_current()
    sections = programme.sections.order_by("position") if programme else []
    return render(request, "programme_context.html", {"programme": programme, "sections": sections})


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html", {"declaration": accessibility_declaration()})


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html")


@never_cache
@require_safe
def livez(request: HttpRequest) -> HttpResponse:
    """Liveness: 200 "ok" whenever this process answers, asking nothing of the database, the
    cache or the session, so that an orchestrator restarts a process that hangs and never one
    that waits out a database outage (restarting would not bring the database back)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with {"status": "ok"} when the database answers one query, 503 otherwise: what
    uptime monitoring asks (can the portal serve pages?), and the benchmarks' one-query
    baseline."""
    ok, detail = check_database()
    response = JsonResponse({"status": "ok" if ok else "error", "database": detail})
    if not ok:
        _unavailable(request, response, f"database {detail}")
    return response


def _unavailable(request: HttpRequest, response: HttpResponse, failing: str) -> None:
    """Make a health endpoint's answer a 503, logged as one WARNING line saying what fails.
    Django would log every 5xx at ERROR (django.request, and so Sentry): a monitor polling
    while a dependency is down would flood the error log with what is no fault of the code.
    ``_has_been_logged`` is Django's own mark (django.utils.log.log_response) that it is
    logged already."""
    response.status_code = 503
    logger.warning("%s answered 503: %s", request.path, failing)
    response._has_been_logged = True  # type: ignore[attr-defined]


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    # A refusal's message is written for the person (core.errors.Refused); a bare
    # PermissionDenied has none and gets the general one.
    return error_page(403, message=str(exception))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(404)


def server_error(request: HttpRequest) -> HttpResponse:
    # A database that went away outside a view (a session saved by a middleware, say) is an
    # outage to wait out, not a fault: the same 503 as DatabaseUnavailableMiddleware gives.
    kept = typed_texts(request)
    if is_database_outage(sys.exc_info()[1]):
        return database_unavailable(kept=kept)
    return error_page(500, kept=kept)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: most often a form left open past its session, or cookies off."""
    return error_page(
        403,
        message=_(
            "This form has expired, or your browser did not send the portal's cookie. Go back, "
            "reload the page and send the form again. Nothing was saved."
        ),
        kept=typed_texts(request),
    )


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness, unlike /healthz: 200 only when every dependency passes (database, Redis,
    broker, worker and beat heartbeats, static files manifest, storage), else 503; each check
    named with what it found (krakow_ngo/readiness.py)."""
    ready, checks = readiness()
    response = JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks})
    if not ready:
        failing = (f"{name} {check['detail']}" for name, check in checks.items() if not check["ok"])
        _unavailable(request, response, "; ".join(failing))
    return response
