"""The three health endpoints: /livez (the process answers: nothing asked of the database or
the cache), /healthz (one query) and /readyz (every dependency); a 503 of theirs is one
WARNING line, not an ERROR from django.request for every poll while a dependency is down.
Readiness's own checks are in tests/test_readiness.py."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from django.db import OperationalError
from django.test import Client
from pytest_django import DjangoDbBlocker

from teams.models import User


def database_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    """The health checks' one query fails as it does while PostgreSQL is away."""

    def unreachable() -> tuple[bool, str]:
        raise OperationalError("connection refused")

    monkeypatch.setattr("krakow_ngo.readiness.run_select_1", unreachable)


# /livez


def test_livez_answers_ok_without_a_query_even_for_a_logged_in_visitor(
    client: Client, member: User, django_assert_num_queries: Callable
) -> None:
    client.force_login(member)
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"].startswith("max-age=0")


def test_livez_answers_ok_while_the_database_cannot_be_reached(
    client: Client, member: User, django_db_blocker: DjangoDbBlocker
) -> None:
    """With the session cookie of a logged-in visitor, and every use of the database
    refused (pytest-django's blocker raises on any connection or cursor)."""
    client.force_login(member)
    with django_db_blocker.block():
        response = client.get("/livez")
        assert client.head("/livez").status_code == 200
    assert response.status_code == 200
    assert response.content == b"ok"


# /healthz


def test_healthz_is_one_query(
    client: Client, db: None, django_assert_num_queries: Callable
) -> None:
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_names_the_database_unreachable_as_readyz_does(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    database_unreachable(monkeypatch)
    health = client.get("/healthz")
    ready = client.get("/readyz")
    assert health.status_code == ready.status_code == 503
    assert health.json() == {"status": "error", "database": "unreachable"}
    assert ready.json()["checks"]["database"]["detail"] == "unreachable"


# A 503 of a health endpoint is one WARNING, not an ERROR


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_503_of_a_health_endpoint_is_one_warning_and_no_error(
    client: Client,
    db: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    path: str,
) -> None:
    database_unreachable(monkeypatch)
    with caplog.at_level(logging.INFO):
        assert client.get(path).status_code == 503
    assert [r for r in caplog.records if r.name == "django.request"] == []
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert path in warnings[0].getMessage()
    assert "database" in warnings[0].getMessage()
