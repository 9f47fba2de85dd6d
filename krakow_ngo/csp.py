"""The Content-Security-Policy around django-csp (the policy itself is CONTENT_SECURITY_POLICY
in settings; docs/security.md explains it): the nonce for templates, the Reporting-Endpoints
header that ``report-to`` names, and the endpoint that receives the browsers' violation
reports and logs them.

The endpoint is the one URL that anybody's browser posts to without a CSRF token, so it is
cheap and quiet: no session, no database, a small body, one WARNING line per report (at most
``CSP_REPORT_LOG_PER_MINUTE`` per process; a page with a broken script can send hundreds), and
a 400 or 413 for anything that is not a report, never a 500.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger(__name__)

# Where the policy sends reports: read from it, so that the route and the header follow it.
REPORT_PATH = str(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"])
REPORT_GROUP = str(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-to"])
# A real report is well under 4 KiB (a sample is cut at 40 characters by the browser).
MAX_REPORT_BYTES = 64 * 1024
# Reporting API batches may hold several reports; each logged field is cut to this length.
MAX_REPORTS_PER_BATCH = 20
MAX_FIELD_CHARS = 300

# The fields worth a log line, as named by the two formats: report-uri's "csp-report" object
# (kebab-case) and the Reporting API's "csp-violation" body (camelCase).
_FIELDS = {
    "document": ("document-uri", "documentURL"),
    "directive": ("effective-directive", "effectiveDirective", "violated-directive"),
    "blocked": ("blocked-uri", "blockedURL"),
    "source": ("source-file", "sourceFile"),
    "line": ("line-number", "lineNumber"),
    "sample": ("script-sample", "sample"),
    "disposition": ("disposition",),
}


def nonce(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``{{ csp_nonce }}``, the name Django 6's own CSP support uses (and
    django-htmx's ``{% htmx_script %}`` reads). Lazy: a page that never shows it sends no
    nonce."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, plus the ``Reporting-Endpoints`` header that the policy's
    ``report-to`` group refers to (report-uri alone is deprecated; browsers that know
    report-to use it instead)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        if "Content-Security-Policy" in response:
            response.headers.setdefault("Reporting-Endpoints", f'{REPORT_GROUP}="{REPORT_PATH}"')
        return response


class _LogBudget:
    """At most ``CSP_REPORT_LOG_PER_MINUTE`` log lines per minute in this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._minute = 0
        self._used = 0

    def take(self) -> bool:
        limit = getattr(settings, "CSP_REPORT_LOG_PER_MINUTE", 60)
        minute = int(time.time() // 60)
        with self._lock:
            if minute != self._minute:
                self._minute, self._used = minute, 0
            self._used += 1
            return self._used <= limit

    def reset(self) -> None:
        with self._lock:
            self._minute = self._used = 0


log_budget = _LogBudget()


class _NotAReport(ValueError):
    pass


def _violations(content_type: str, body: bytes) -> list[dict[str, Any]]:
    """The violation objects in a report body, or _NotAReport."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise _NotAReport("not JSON") from error
    if content_type in ("application/csp-report", "application/json"):
        report = data.get("csp-report") if isinstance(data, dict) else None
        if not isinstance(report, dict):
            raise _NotAReport("no csp-report object")
        return [report]
    if content_type == "application/reports+json":
        if not isinstance(data, list) or not data:
            raise _NotAReport("not a list of reports")
        violations = [
            item.get("body")
            for item in data[:MAX_REPORTS_PER_BATCH]
            if isinstance(item, dict) and item.get("type") == "csp-violation"
        ]
        bodies = [body for body in violations if isinstance(body, dict)]
        if not bodies or len(bodies) != len(violations):
            raise _NotAReport("no csp-violation report")
        return bodies
    raise _NotAReport("unknown content type")


def _summary(violation: dict[str, Any]) -> str:
    """One line: the known fields, cut short; json.dumps escapes control characters, so a
    report cannot write a line of its own into the log."""
    fields = {}
    for name, keys in _FIELDS.items():
        value = next((violation[key] for key in keys if key in violation), None)
        if value is not None and not isinstance(value, dict | list):
            fields[name] = str(value)[:MAX_FIELD_CHARS]
    return json.dumps(fields, ensure_ascii=True)


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Receive a violation report (``report-uri`` or the Reporting API) and log it."""
    content_type = request.content_type or ""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not (declared.isascii() and declared.isdigit()):
        return HttpResponse(status=400)
    if int(declared) > MAX_REPORT_BYTES:
        return HttpResponse(status=413)
    # Read at most one byte past the limit: a body longer than it says is still cut short.
    body = request.read(MAX_REPORT_BYTES + 1)
    if len(body) > MAX_REPORT_BYTES:
        return HttpResponse(status=413)
    try:
        violations = _violations(content_type, body)
    except _NotAReport:
        return HttpResponse(status=400)
    for violation in violations:
        if log_budget.take():
            logger.warning("Content-Security-Policy violation: %s", _summary(violation))
    return HttpResponse(status=204)
