"""Faults seen from inside one process: Redis unreachable, the database gone, the static files'
manifest missing; and /readyz, which names each dependency, beside /healthz, which does not.

The real processes (gunicorn, Redis stopped and started again, PostgreSQL restarted under
load) are in tests/integration/test_faults.py.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.db import OperationalError
from django.test import Client

from consultations import selectors
from consultations.models import Round
from consultations.phases import Phase
from core import cache as resilient_cache
from krakow_ngo import heartbeat
from teams.models import Meeting, User

from .integration.conftest import free_port

DEMO_PASSWORD = "demo-krakow-2011"


@pytest.fixture
def redis_down(settings: pytest.FixtureRequest) -> str:
    """The portal's cache pointed at a port where no Redis listens."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = resilient_cache.redis_caches(url)
    resilient_cache.reset_state()
    return url


@pytest.fixture
def published(seeded: Meeting) -> Round:
    return Round.objects.get(status=Phase.REPORT_PUBLISHED)


def test_it_serves_the_anonymous_round_and_report_pages_without_redis(
    client: Client, redis_down: str, published: Round, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for _ in range(2):  # the second request is served from this process's memory
            assert client.get(f"/consultations/{published.pk}/").status_code == 200
            assert client.get(f"/consultations/{published.pk}/report/").status_code == 200
    warnings = [r for r in caplog.records if r.name == "core.cache"]
    assert len(warnings) == 1  # once per interval, not once per request
    assert warnings[0].levelno == logging.WARNING
    assert "Redis" in warnings[0].getMessage()
    assert "unreachable" in warnings[0].getMessage()


def test_it_logs_in_and_still_limits_failed_log_ins_without_redis(
    client: Client, redis_down: str, seeded: Meeting
) -> None:
    response = client.post(
        "/accounts/login/", {"login": "ngo@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    # Failed log-ins are still limited, per process, while Redis is away: fail closed with 429.
    other = Client()
    statuses = [
        other.post(
            "/accounts/login/", {"login": "ekspert@example.org", "password": "wrong"}
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]


def test_it_answers_the_api_without_redis(client: Client, redis_down: str, seeded: Meeting) -> None:
    response = client.get("/api/v1/teams/")
    assert response.status_code == 200
    assert response.json()["results"]


# Readiness


def test_it_reports_every_check_ready_in_development(client: Client, db: None) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {
        "database",
        "cache",
        "broker",
        "worker",
        "beat",
        "static",
        "storage",
    }
    assert body["checks"]["database"] == {"ok": True, "detail": "ok"}
    # No REDIS_URL: Celery runs eagerly and the cache is local memory.
    for name in ("cache", "broker", "worker", "beat"):
        assert body["checks"][name] == {"ok": True, "detail": "not configured"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_is_not_ready_without_redis_while_liveness_stays_green(
    client: Client, redis_down: str, settings: pytest.FixtureRequest, db: None
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_down
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["ok"] is True
    for name in ("cache", "broker", "worker", "beat"):
        assert checks[name]["ok"] is False, name
    assert "unreachable" in checks["cache"]["detail"]
    assert client.get("/healthz").status_code == 200


def test_it_reports_stale_heartbeats(
    client: Client, settings: pytest.FixtureRequest, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr("krakow_ngo.readiness.check_broker", lambda: (True, "ok"))
    with time_machine.travel(dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC), tick=False) as clock:
        heartbeat.record("worker")
        heartbeat.record("beat")
        checks = client.get("/readyz").json()["checks"]
        assert checks["worker"] == {"ok": True, "detail": "seen 0 s ago"}
        assert checks["beat"]["ok"] is True
        clock.shift(heartbeat.stale_after() + 1)
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["beat"]["ok"] is False
    assert response.json()["checks"]["worker"]["ok"] is False
    assert "last seen" in response.json()["checks"]["worker"]["detail"]


def test_it_is_not_ready_when_collectstatic_did_not_run(
    client: Client, settings: pytest.FixtureRequest, tmp_path: Path, db: None
) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["static"]["ok"] is False
    assert "collectstatic" in response.json()["checks"]["static"]["detail"]
    assert client.get("/healthz").status_code == 200


def test_it_is_not_ready_when_the_database_is_unreachable(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable() -> tuple[bool, str]:
        raise OperationalError("connection refused")

    monkeypatch.setattr("krakow_ngo.readiness.run_select_1", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "detail": "unreachable"}


# The database gone in the middle of a request


def test_a_database_outage_answers_503_with_retry_after_in_polish(
    client: Client, published: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    def gone(pk: int) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "round_stamp", gone)
    response = client.get(f"/consultations/{published.pk}/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert "Portal chwilowo niedostępny" in text
    assert response["Cache-Control"].startswith("max-age=0")


# Log-in lockout


def test_a_log_in_lockout_answers_429_with_retry_after_in_polish(
    client: Client, seeded: Meeting
) -> None:
    member = User.objects.get(email="ngo@example.org")
    for _attempt in range(5):
        client.post("/accounts/login/", {"login": member.email, "password": "wrong-password"})
    response = client.post("/accounts/login/", {"login": member.email, "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert response["Retry-After"] == "300"
    assert "Zbyt wiele prób" in response.content.decode()
    assert "_auth_user_id" not in client.session


# The mail server down while allauth sends an account e-mail in the request


@pytest.fixture
def smtp_down(settings: pytest.FixtureRequest) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 2


def test_a_password_reset_without_a_mail_server_answers_503_not_500(
    client: Client, smtp_down: None, seeded: Meeting, caplog: pytest.LogCaptureFixture
) -> None:
    response = client.post("/accounts/password/reset/", {"email": "ngo@example.org"})
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    assert "Nie udało się wysłać wiadomości e-mail" in response.content.decode()
    assert "could not send" in caplog.text


def test_a_sign_up_without_a_mail_server_says_the_confirmation_will_follow(
    client: Client, smtp_down: None, seeded: Meeting, settings: pytest.FixtureRequest
) -> None:
    password = "Zielony-Rower-2028!"
    response = client.post(
        "/accounts/signup/",
        {
            "email": "anna@example.org",
            "password1": password,
            "password2": password,
            "first_name": "Anna",
            "last_name": "Nowak",
        },
    )
    assert response.status_code == 503
    assert "Nie udało się wysłać wiadomości e-mail" in response.content.decode()
    # allauth made the account before sending; logging in later sends the link again.
    assert User.objects.filter(email="anna@example.org").exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # allauth sends a confirmation at most every three minutes (the failed one counted).
    with time_machine.travel(dt.timedelta(minutes=5)):
        response = client.post(
            "/accounts/login/", {"login": "anna@example.org", "password": password}
        )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
