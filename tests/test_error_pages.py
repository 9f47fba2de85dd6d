"""The pages of 400, 403, 404 and 500 in production (DEBUG off): the portal's own, in Polish or
English, and able to render when the database is gone.

Tests without the ``db`` fixture run with pytest-django's database blocker on: any query
raises, exactly as when the database is unreachable. A page that renders there needs no
database."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client
from pytest_django.fixtures import Settings

from krakow_ngo import views

PORTAL = "Kraków NGO"
DJANGO_BARE = ["The requested resource was not found", "Server Error (500)", "Bad Request (400)"]


@pytest.fixture(autouse=True)
def production(settings: Settings) -> None:
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.error_urls"


def _client(language: str = "pl", **kwargs: object) -> Client:
    client = Client(raise_request_exception=False, **kwargs)  # type: ignore[arg-type]
    client.cookies["django_language"] = language
    return client


def _assert_portal_page(body: str, *, language: str, title: str) -> None:
    assert f'<html lang="{language}">' in body
    assert f"<h1>{title}</h1>" in body
    assert '<a href="/">' in body  # the way home, without reversing a URL
    assert PORTAL in body
    for bare in DJANGO_BARE:
        assert bare not in body


@pytest.mark.parametrize(
    ("language", "title", "message"),
    [
        ("pl", "Nie znaleziono strony", "Pod tym adresem nie ma strony"),
        ("en", "Page not found", "There is no page at this address"),
    ],
)
def test_an_unknown_address_gets_the_portals_404_in_the_chosen_language(
    language: str, title: str, message: str
) -> None:
    response = _client(language).get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    _assert_portal_page(body, language=language, title=title)
    assert message in body


def test_a_refused_host_gets_the_portals_400() -> None:
    response = _client("en").get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    _assert_portal_page(response.content.decode(), language="en", title="Bad request")


def test_a_form_without_its_csrf_token_gets_the_portals_403_saying_why() -> None:
    client = _client("pl", enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    body = response.content.decode()
    _assert_portal_page(body, language="pl", title="Brak dostępu")
    assert "Ten formularz wygasł" in body


def test_a_refusal_shows_its_own_message_on_the_403() -> None:
    body = _client("en").get("/test-errors/refuse/").content.decode()
    _assert_portal_page(body, language="en", title="Access denied")
    assert "Only the round&#x27;s coordinator may do this." in body


def test_a_bare_refusal_shows_the_general_403_message() -> None:
    response = _client("en").get("/test-errors/refuse-bare/")
    assert response.status_code == 403
    assert "You may not open this page or do this." in response.content.decode()


@pytest.mark.parametrize(("language", "title"), [("pl", "Błąd serwera"), ("en", "Server error")])
def test_a_bug_gets_the_portals_500(language: str, title: str) -> None:
    response = _client(language).get("/test-errors/fail/")
    assert response.status_code == 500
    _assert_portal_page(response.content.decode(), language=language, title=title)


def test_the_500_page_renders_when_the_database_is_unreachable(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The home page reads the database, which refuses every query here: the page fails, and
    the 500 page is its full template (not the fallback), rendered with no query."""
    with caplog.at_level(logging.ERROR):
        response = _client("pl").get("/")
    assert response.status_code == 500
    body = response.content.decode()
    _assert_portal_page(body, language="pl", title="Błąd serwera")
    assert "Kod błędu: 500." in body
    assert not [r for r in caplog.records if r.name == "krakow_ngo.views"]


def test_a_broken_error_template_still_gives_a_page_with_the_status(
    settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "error.html").write_text("{% url 'no-such-page' %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    with caplog.at_level(logging.ERROR):
        response = _client("en").get("/test-errors/fail/")
    assert response.status_code == 500
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "<h1>Server error</h1>" in body
    assert '<a href="/">Go to the home page</a>' in body
    assert "The error page for 500 could not be rendered" in caplog.text


@pytest.mark.django_db
def test_the_error_page_asks_nothing_of_the_database(
    django_assert_num_queries: object,
) -> None:
    client = _client("en")
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert client.get("/no-such-page/").status_code == 404
        assert client.get("/test-errors/refuse/").status_code == 403


def test_a_database_error_outside_a_view_is_a_503_not_a_500(rf) -> None:
    """A middleware's query (a session save, say) fails after the view: the 500 handler sees a
    database outage and answers as DatabaseUnavailableMiddleware does."""
    try:
        raise OperationalError("the server closed the connection unexpectedly")
    except OperationalError:
        response = views.server_error(rf.get("/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
