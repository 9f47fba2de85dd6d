"""The Content-Security-Policy (issue 12, item 4): every page sends a strict policy with a fresh
nonce, no page carries an inline script without it, an inline event handler, a ``javascript:``
URL or an inline style, and the violation reports browsers send are logged, never stored."""

from __future__ import annotations

import json
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from consultations.models import Round
from consultations.phases import Phase
from krakow_ngo.csp import log_budget
from teams.models import Meeting, User

from .pages import crawl
from .swot.helpers import make_meeting

pytestmark = pytest.mark.django_db

REPORT_URL = "/csp-report/"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Data islands a browser never runs; everything else in a <script> element is code.
DATA_TYPES = {"application/json", "application/ld+json"}


@pytest.fixture(autouse=True)
def _fresh_log_budget() -> None:
    log_budget.reset()


def policy(response: HttpResponse) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def nonce_of(response: HttpResponse) -> str | None:
    nonces = [
        value[len("'nonce-") : -1]
        for value in policy(response)["script-src"]
        if value.startswith("'nonce-")
    ]
    assert len(nonces) <= 1, f"script-src has several nonces: {nonces}"
    return nonces[0] if nonces else None


class _Inline(HTMLParser):
    """What the policy would block or what would need a weaker policy, in one page."""

    def __init__(self, nonce: str | None) -> None:
        super().__init__()
        self.nonce = nonce
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name.startswith(("hx-on", "data-hx-on")):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script" and values.get("nonce") not in (None, self.nonce):
            self.problems.append(f"<script> with another nonce: {values.get('nonce')}")
        code = "src" not in values and values.get("type") not in DATA_TYPES
        if tag == "script" and code and values.get("nonce") != self.nonce:
            self.problems.append("inline <script> without the response's nonce")
        if tag == "style" and values.get("nonce") != self.nonce:
            self.problems.append("<style> without the response's nonce")


def assert_strict(url: str, response: HttpResponse, *, nonce_required: bool = True) -> None:
    """The policy of the brief, and a page that needs nothing more. A page that shows no nonce
    (Django's admin, the plain 404) sends none: its scripts all come from /static/."""
    directives = policy(response)
    nonce = nonce_of(response)
    assert nonce or not nonce_required, f"{url}: no nonce"
    assert directives["default-src"] == ["'self'"], url
    nonces = [f"'nonce-{nonce}'"] if nonce else []
    assert directives["script-src"] == ["'self'", *nonces], url
    assert "'unsafe-inline'" not in directives.get("style-src", []), url
    assert "'unsafe-eval'" not in directives.get("style-src", []), url
    assert directives["img-src"] == ["'self'", "data:"], url
    assert directives["object-src"] == ["'none'"], url
    assert directives["base-uri"] == ["'self'"], url
    assert directives["form-action"] == ["'self'"], url
    assert directives["frame-ancestors"] == ["'none'"], url
    assert directives["report-uri"] == [REPORT_URL], url
    assert directives["report-to"] == ["csp"], url
    assert response["Reporting-Endpoints"] == f'csp="{REPORT_URL}"', url
    parser = _Inline(nonce)
    parser.feed(response.content.decode())
    assert parser.problems == [], f"{url}: {parser.problems}"


def test_every_public_page_sends_a_strict_policy_with_a_nonce(
    client: Client, seeded: Meeting
) -> None:
    visited: list[str] = []

    def visit(url: str, response: HttpResponse) -> None:
        visited.append(url)
        assert_strict(url, response)

    crawl(client, visit=visit)
    assert len(visited) > 20


def test_every_page_a_coordinator_reaches_sends_a_strict_policy(
    client: Client, coordinator: User
) -> None:
    client.force_login(coordinator)
    visited: list[str] = []

    def visit(url: str, response: HttpResponse) -> None:
        visited.append(url)
        assert_strict(url, response)

    crawl(client, visit=visit)
    assert any(url.startswith("/coordination/") for url in visited), visited


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/", "/accounts/login/"])
def test_api_documentation_and_login_pages_send_the_policy(
    client: Client, seeded: Meeting, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert_strict(url, response)


def test_the_redoc_page_alone_may_use_the_nonce_and_hashes_for_styles(
    client: Client, seeded: Meeting
) -> None:
    """ReDoc builds its styles at run time (styled-components) and gives them the nonce; one
    stylesheet it injects before it has the nonce is allowed by its hash."""
    redoc = client.get("/api/redoc/")
    assert policy(redoc)["style-src"][:2] == ["'self'", f"'nonce-{nonce_of(redoc)}'"]
    assert "'unsafe-inline'" not in policy(redoc)["style-src"]
    assert policy(client.get("/api/docs/"))["style-src"] == ["'self'"]
    assert policy(client.get("/"))["style-src"] == ["'self'"]


def test_an_error_page_sends_the_policy(client: Client, seeded: Meeting) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_strict("/no-such-page/", response, nonce_required=False)


def test_the_meeting_workspace_and_live_mode_send_the_policy(
    client: Client, seeded: Meeting, moderator: User
) -> None:
    meeting = make_meeting(seeded.team, title="Spotkanie robocze")
    client.force_login(moderator)
    for url in [f"/meetings/{meeting.pk}/workspace/", f"/meetings/{meeting.pk}/live/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(url, response)


def test_the_admin_sends_the_policy(client: Client, seeded: Meeting) -> None:
    admin = User.objects.create_superuser("admin-csp@example.org", "x")
    client.force_login(admin)
    for url in ["/admin/", "/admin/teams/meeting/", "/admin/teams/organisation/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(url, response, nonce_required=False)


def test_each_response_has_its_own_nonce_even_from_the_page_cache(
    client: Client, seeded: Meeting
) -> None:
    round_ = Round.objects.exclude(status=Phase.DRAFT).first()
    assert round_ is not None
    url = round_.get_absolute_url()
    first, second = client.get(url), client.get(url)  # the second comes from the page cache
    assert first.status_code == second.status_code == 200
    assert nonce_of(first) != nonce_of(second)
    assert_strict(url, first)
    assert_strict(url, second)


def test_no_template_has_inline_code_or_styles() -> None:
    """Pages the crawl does not reach are checked in their source. The PDF templates are
    WeasyPrint's, never served to a browser."""
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.relative_to(TEMPLATES).parts[0] in ("pdf", "emails"):
            continue
        source = path.read_text()
        for pattern in [
            # a script that is neither loaded, nor data, nor given the nonce
            r"<script(?![^>]*\bsrc=)(?![^>]*application/json)"
            r"(?![^>]*nonce=\"{{ csp_nonce }}\")[^>]*>",
            r"<style\b",
            r"\sstyle=",
            r"\son[a-z]+=",
            r"\shx-on",
            r"javascript:",
        ]:
            if re.search(pattern, source):
                problems.append(f"{path.relative_to(TEMPLATES)}: {pattern}")
    assert problems == []


# The report endpoint.

CSP_REPORT = {
    "csp-report": {
        "document-uri": "https://ngo.example.org/meetings/1/workspace/",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "https://ngo.example.org/meetings/1/workspace/",
        "status-code": 200,
        "script-sample": "alert(1)",
    }
}
REPORTS_API = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://ngo.example.org/api/redoc/",
        "user_agent": "Mozilla/5.0",
        "body": {
            "documentURL": "https://ngo.example.org/api/redoc/",
            "blockedURL": "https://fonts.example.com/x.css",
            "effectiveDirective": "style-src-elem",
            "disposition": "enforce",
            "statusCode": 200,
            "sample": "",
        },
    }
]


def _post(client: Client, body: bytes | str, content_type: str) -> HttpResponse:
    return client.post(REPORT_URL, data=body, content_type=content_type)


def test_a_csp_report_is_logged_at_warning(
    client: Client, caplog: pytest.LogCaptureFixture, django_assert_num_queries
) -> None:
    csrf_client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING), django_assert_num_queries(0):
        response = _post(csrf_client, json.dumps(CSP_REPORT), "application/csp-report")
    assert response.status_code == 204
    assert not response.cookies
    [record] = [r for r in caplog.records if r.name == "krakow_ngo.csp"]
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert "script-src-elem" in message
    assert "/meetings/1/workspace/" in message
    assert "alert(1)" in message


def test_a_reporting_api_report_is_logged_at_warning(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = _post(client, json.dumps(REPORTS_API), "application/reports+json")
    assert response.status_code == 204
    messages = [r.getMessage() for r in caplog.records if r.name == "krakow_ngo.csp"]
    assert len(messages) == 1
    assert "style-src-elem" in messages[0]
    assert "fonts.example.com" in messages[0]


def test_a_report_cannot_forge_log_lines(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    forged = {"csp-report": {**CSP_REPORT["csp-report"], "blocked-uri": "x\nERROR forged"}}
    with caplog.at_level(logging.WARNING):
        assert _post(client, json.dumps(forged), "application/csp-report").status_code == 204
    [message] = [r.getMessage() for r in caplog.records if r.name == "krakow_ngo.csp"]
    assert "\n" not in message


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"not json at all", "application/csp-report"),
        (b"\xff\xfe\x00", "application/csp-report"),
        (b"[1, 2, 3]", "application/csp-report"),
        (b'{"csp-report": "a string"}', "application/csp-report"),
        (b'{"something": {}}', "application/csp-report"),
        (b'{"type": "csp-violation"}', "application/reports+json"),
        (b"[1]", "application/reports+json"),
        (b"[]", "application/reports+json"),
        (json.dumps(CSP_REPORT).encode(), "text/plain"),
        (b"", "application/csp-report"),
        (b"[" * 30_000 + b"]" * 30_000, "application/reports+json"),
    ],
)
def test_junk_is_refused_with_400(
    client: Client, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    with caplog.at_level(logging.WARNING):
        response = _post(client, body, content_type)
    assert response.status_code == 400
    assert [r for r in caplog.records if r.name == "krakow_ngo.csp"] == []


def test_a_huge_report_is_refused_with_413(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    huge = {"csp-report": {**CSP_REPORT["csp-report"], "script-sample": "x" * 200_000}}
    with caplog.at_level(logging.WARNING):
        response = _post(client, json.dumps(huge), "application/csp-report")
    assert response.status_code == 413
    assert [r for r in caplog.records if r.name == "krakow_ngo.csp"] == []


def test_long_fields_are_cut_in_the_log(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    long = {"csp-report": {**CSP_REPORT["csp-report"], "script-sample": "y" * 5000}}
    with caplog.at_level(logging.WARNING):
        assert _post(client, json.dumps(long), "application/csp-report").status_code == 204
    [message] = [r.getMessage() for r in caplog.records if r.name == "krakow_ngo.csp"]
    assert len(message) < 2000


def test_a_flood_of_reports_is_logged_only_up_to_the_limit(
    client: Client, caplog: pytest.LogCaptureFixture, settings
) -> None:
    settings.CSP_REPORT_LOG_PER_MINUTE = 3
    with caplog.at_level(logging.WARNING):
        statuses = {
            _post(client, json.dumps(CSP_REPORT), "application/csp-report").status_code
            for _ in range(10)
        }
    assert statuses == {204}
    assert len([r for r in caplog.records if r.name == "krakow_ngo.csp"]) == 3


def test_the_report_endpoint_takes_only_post(client: Client) -> None:
    assert client.get(REPORT_URL).status_code == 405
    assert reverse("csp-report") == REPORT_URL
