"""Nothing typed is lost when a form cannot be taken: the session ended, the CSRF token
expired, the database was unreachable or the server failed. Each answer shows the texts back
(core/kept_text.py), and a form sent after the session ended leads back, once signed in, to
the page it was on, not to the form's POST-only address."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from pytest_django.fixtures import Settings

from core.kept_text import typed_texts
from tests.consultations.conftest import english

COMMENT = "Proponujemy dodać działanie:\r\nwspólne szkolenia <b>dla</b> organizacji."
ESCAPED = "wspólne szkolenia &lt;b&gt;dla&lt;/b&gt; organizacji."


def comment_data() -> dict[str, str]:
    return {
        "comment-text": COMMENT,
        "comment-item": "swot:12",
        "comment-on_behalf": "org:3",
        "comment-token": "0b5e4c5e-8b3c-4d7e-9a51-3f0f2b2f1c11",
        "csrfmiddlewaretoken": "abc",
    }


def test_typed_texts_are_the_fields_a_person_wrote() -> None:
    request = RequestFactory(headers={"origin": "http://testserver"}).post(
        "/",
        {
            **comment_data(),
            "comment-proposed_wording": "Nowe brzmienie",
            "password": "tajne hasło 123",
            "login": "ania@example.org",
            "version": "7",
            "date": "2026-12-05",
            "confirm": "on",
            "role": "expert",
        },
    )
    kept = [(item.field, item.text) for item in typed_texts(request)]
    # Named by the comment form's own labels (consultations registers its forms).
    with translation.override("en"):
        labels = {item.field: item.label for item in typed_texts(request)}
    assert labels["comment-text"] == "Your comment"
    assert labels["comment-proposed_wording"] == "Proposed wording (optional)"
    assert kept == [
        ("comment-text", COMMENT),
        ("comment-proposed_wording", "Nowe brzmienie"),
    ]
    assert typed_texts(RequestFactory().get("/", {"text": "Tekst"})) == []


def test_a_refused_csrf_check_shows_the_text_back(settings: Settings) -> None:
    settings.DEBUG = False
    client = english(Client(enforce_csrf_checks=True, headers={"origin": "http://testserver"}))
    response = client.post("/i18n/setlang/", {"note": COMMENT, "password": "tajne hasło 123"})
    body = response.content.decode()
    assert response.status_code == 403
    assert ESCAPED in body and "tajne hasło" not in body
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("path", "status"), [("/test-errors/outage/", 503), ("/test-errors/fail/", 500)]
)
def test_an_outage_or_a_failure_shows_the_text_back(
    settings: Settings, path: str, status: int
) -> None:
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.error_urls"
    client = english(
        Client(raise_request_exception=False, headers={"referer": "http://testserver/x/"})
    )
    response = client.post(path, {"comment-text": COMMENT})
    body = response.content.decode()
    assert response.status_code == status
    assert "What you typed" in body and ESCAPED in body
    assert 'id="kept-text-1"' in body and 'for="kept-text-1"' in body


def test_a_page_without_a_form_shows_nothing_kept(settings: Settings) -> None:
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.error_urls"
    body = Client(raise_request_exception=False).get("/test-errors/fail/").content.decode()
    assert "kept-text" not in body


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"referer": "https://evil.example/form"},
        {"origin": "https://evil.example", "referer": "http://testserver/x/"},
        {},
    ],
)
def test_another_sites_form_gets_nothing_shown_back(
    settings: Settings, headers: dict[str, str]
) -> None:
    """Another site may post its own text to the portal; the refusal must not display it under
    the portal's name (a fake notice, a phishing link)."""
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True, headers=headers)
    response = client.post("/i18n/setlang/", {"note": COMMENT})
    body = response.content.decode()
    assert response.status_code == 403
    assert "Proponujemy" not in body and "kept-text" not in body
