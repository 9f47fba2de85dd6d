"""Operations: gunicorn's workers, readiness of the storage, Prometheus metrics behind a
token, JSON logs as an option, Sentry only with SENTRY_DSN."""

from __future__ import annotations

import json
import logging
import os
import runpy
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.utils import timezone

from consultations.models import Round
from notifications.models import Outbox
from pdf.models import PdfRendering
from teams.models import User

from .integration.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent


def gunicorn_conf(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, object]:
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_runs_a_worker_per_cpu_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)))
    assert gunicorn_conf(monkeypatch)["workers"] == 8
    assert gunicorn_conf(monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3


# gunicorn's timeout against the PDF limit: tests/pdf/test_gunicorn_config.py.


def test_gunicorn_logs_json_with_the_portals_formatter_when_told(
    monkeypatch: pytest.MonkeyPatch,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    assert not gunicorn_conf(monkeypatch, DJANGO_LOG_FORMAT="text").get("logconfig_dict")
    config = gunicorn_conf(monkeypatch, DJANGO_LOG_FORMAT="json")["logconfig_dict"]
    assert isinstance(config, dict)
    assert config["formatters"]["json"] == settings.LOGGING["formatters"]["json"]
    for name in ("gunicorn.error", "gunicorn.access"):
        logger = config["loggers"][name]
        assert logger["propagate"] is False  # else Django's root handler writes it again
        assert [config["handlers"][h]["formatter"] for h in logger["handlers"]] == ["json"]


def test_gunicorn_opens_no_control_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    assert gunicorn_conf(monkeypatch)["control_socket_disable"] is True


def test_gunicorn_writes_its_own_lines_as_json_too(tmp_path: Path) -> None:
    """A real gunicorn with the file: its error log (standard error) and access log (standard
    output) are JSON objects, one a line, like the portal's; and no control socket appears
    under its home."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
    clean.pop("XDG_RUNTIME_DIR", None)
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "krakow_ngo.settings",
        "DJANGO_LOG_FORMAT": "json",
        "WEB_CONCURRENCY": "1",
        "HOME": str(tmp_path),
    }
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
    with (tmp_path / "out").open("w+") as out, (tmp_path / "err").open("w+") as err:
        server = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=out, stderr=err
        )
        try:
            assert wait_for(f"http://127.0.0.1:{port}/livez") == b"ok"
        finally:
            server.terminate()
            server.wait(timeout=30)
        out.seek(0)
        err.seek(0)
        access = [json.loads(line) for line in out.read().splitlines() if line.strip()]
        errors = [json.loads(line) for line in err.read().splitlines() if line.strip()]
    assert any(r["logger"] == "gunicorn.access" and "/livez" in r["message"] for r in access)
    assert any(r["logger"] == "gunicorn.error" and "Booting worker" in r["message"] for r in errors)
    assert not (tmp_path / ".gunicorn").exists()


def wait_for(url: str, seconds: float = 60) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return bytes(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


# Readiness: the storage


def test_readiness_writes_and_deletes_a_probe_in_the_storage(client: Client, db: None) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["storage"] == {"ok": True, "detail": "ok"}


def test_it_is_not_ready_when_the_storage_cannot_be_written(
    client: Client, db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the media directory should be")
    monkeypatch.setattr("krakow_ngo.readiness.default_storage", FileSystemStorage(blocked))
    response = client.get("/readyz")
    assert response.status_code == 503
    check = response.json()["checks"]["storage"]
    assert check["ok"] is False and "cannot write" in check["detail"]
    assert client.get("/healthz").status_code == 200


# Metrics


def test_metrics_are_not_there_without_a_token(client: Client, settings, db: None) -> None:  # type: ignore[no-untyped-def]
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_need_the_token(client: Client, settings, db: None) -> None:  # type: ignore[no-untyped-def]
    settings.METRICS_TOKEN = "s3cret-metrics-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-metrics-token")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        ("bearer s3cret-metrics-token", 200),  # the scheme is case-insensitive (RFC 9110)
        ("BEARER s3cret-metrics-token", 200),
        ("Bearer  s3cret-metrics-token", 200),
        ("Bearer S3CRET-METRICS-TOKEN", 404),  # the token is not
        ("Basic s3cret-metrics-token", 404),
        ("Bearer s3cret-metrics-token x", 404),
        ("s3cret-metrics-token", 404),
    ],
)
def test_metrics_read_the_bearer_scheme_in_any_case(  # type: ignore[no-untyped-def]
    client: Client, settings, db: None, authorization: str, status: int
) -> None:
    settings.METRICS_TOKEN = "s3cret-metrics-token"
    assert client.get("/metrics", HTTP_AUTHORIZATION=authorization).status_code == status


def test_metrics_give_the_outbox_backlog_and_the_pdf_queue(
    client: Client, settings, seeded
) -> None:  # type: ignore[no-untyped-def]
    settings.METRICS_TOKEN = "s3cret-metrics-token"
    Outbox.objects.all().delete()
    PdfRendering.objects.all().delete()
    users = User.objects.bulk_create(User(email=f"metrics{i}@example.org") for i in range(3))
    round_ = Round.objects.first()
    subject_type = ContentType.objects.get_for_model(Round)
    now = timezone.now()
    Outbox.objects.bulk_create(
        Outbox(
            recipient=user,
            email=user.email,
            kind="round_announced",
            subject_type=subject_type,
            subject_id=str(round_.pk),  # type: ignore[union-attr]
            due_at=now,
            failed_at=now if i == 2 else None,
        )
        for i, user in enumerate(users)
    )
    PdfRendering.objects.create(
        key="a" * 64, builder="x", object_id="1", status=PdfRendering.Status.PENDING
    )
    body = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-metrics-token").content
    text = body.decode()
    assert "krakow_ngo_outbox_backlog 2.0" in text
    assert "krakow_ngo_outbox_failed 1.0" in text
    assert 'krakow_ngo_pdf_queue{status="pending"} 1.0' in text
    assert 'krakow_ngo_pdf_queue{status="running"} 0.0' in text


# Logs and errors


def settings_in_subprocess(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "krakow_ngo.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_json_logs_are_an_option() -> None:
    code = "import logging; logging.getLogger('krakow_ngo.test').warning('zażółć %s', 'gęślą')"
    plain = subprocess_stderr(code)
    assert "zażółć gęślą" in plain and not plain.lstrip().startswith("{")
    line = subprocess_stderr(code, DJANGO_LOG_FORMAT="json").strip().splitlines()[-1]
    record = json.loads(line)
    assert record["message"] == "zażółć gęślą"
    assert record["level"] == "WARNING" and record["logger"] == "krakow_ngo.test"
    assert record["time"].endswith("Z") or "+00:00" in record["time"]


def subprocess_stderr(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "krakow_ngo.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_a_json_log_carries_the_exception() -> None:
    from krakow_ngo.logs import JsonFormatter

    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    out = json.loads(JsonFormatter().format(record))
    assert out["message"] == "failed" and "ValueError: boom" in out["exception"]


def test_sentry_starts_only_with_a_dsn() -> None:
    code = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    assert settings_in_subprocess(code).strip() == "False"
    dsn = "https://public@sentry.invalid/1"
    assert settings_in_subprocess(code, SENTRY_DSN=dsn).strip() == "True"


def test_sentry_is_sent_no_request_bodies_and_no_local_variables() -> None:
    """send_default_pii off still lets sentry-sdk send what a form posted (comments, names,
    e-mail addresses) and each frame's local variables: both off too."""
    code = (
        "import sentry_sdk; o = sentry_sdk.get_client().options;"
        "print(o['send_default_pii'], o['max_request_body_size'], o['include_local_variables'])"
    )
    output = settings_in_subprocess(code, SENTRY_DSN="https://public@sentry.invalid/1")
    assert output.split() == ["False", "never", "False"]
