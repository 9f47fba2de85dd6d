"""Production settings: `check --deploy` is clean, and missing secrets fail loudly."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import zoneinfo
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.test import Client
from pytest_django.fixtures import Settings

from teams.models import Meeting, User

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "krakow_ngo.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7#k2!p" * 10,
    "DJANGO_ALLOWED_HOSTS": "ngo.krakow.example",
    "DATABASE_URL": "postgres://ngo:secret@db.internal:5432/ngo",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.internal:587",
    # A deployment reviews its accessibility declaration every year (krakow_ngo.W002): today.
    "ACCESSIBILITY_REVIEWED": dt.datetime.now(zoneinfo.ZoneInfo("Europe/Warsaw"))
    .date()
    .isoformat(),
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.pop("REDIS_URL", None)
    clean.pop("EMAIL_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warnings() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("hosts", [None, ""])
def test_production_settings_refuse_to_start_without_allowed_hosts(hosts: str | None) -> None:
    """Missing or empty: every request would be refused (400) with nothing saying why."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_ALLOWED_HOSTS"}
    if hosts is not None:
        env["DJANGO_ALLOWED_HOSTS"] = hosts
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_settings_use_postgres_redis_and_smtp() -> None:
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE']);"
        "print(s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER);"
        "print(s.CACHES['default']['BACKEND']);"
        "print(s.EMAIL_BACKEND)"
    )
    result = manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0] == "django.db.backends.postgresql"
    assert lines[1] == "redis://redis.internal:6379/0 False"
    assert lines[2] == "core.cache.FallbackRedisCache"  # Redis, degrading to memory
    assert lines[3] == "django.core.mail.backends.smtp.EmailBackend"


def test_development_defaults_need_no_services() -> None:
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)"
    )
    result = manage(
        "shell", "--no-imports", "-c", code, env={"DJANGO_SETTINGS_MODULE": "krakow_ngo.settings"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "core.mail.ConsoleAndFileBackend",
    ]


def test_check_deploy_warns_when_production_has_no_mail_server() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_URL"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "krakow_ngo.W001" in result.stderr + result.stdout
    assert "EMAIL_URL" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("backend", "warned"),
    [
        ("core.mail.ConsoleAndFileBackend", True),
        ("django.core.mail.backends.console.EmailBackend", True),
        ("django.core.mail.backends.filebased.EmailBackend", True),
        ("django.core.mail.backends.locmem.EmailBackend", True),
        ("django.core.mail.backends.dummy.EmailBackend", True),
        ("django.core.mail.backends.smtp.EmailBackend", False),
    ],
)
def test_the_mail_check_names_every_backend_that_delivers_nothing(
    settings: Settings, backend: str, warned: bool
) -> None:
    settings.EMAIL_BACKEND = backend
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert ("krakow_ngo.W001" in ids) is warned


def test_the_mail_check_runs_only_for_deployment(settings: Settings) -> None:
    settings.EMAIL_BACKEND = "core.mail.ConsoleAndFileBackend"
    assert "krakow_ngo.W001" not in [m.id for m in run_checks()]


def test_one_proxy_count_from_the_environment_reaches_allauth_and_the_api() -> None:
    code = (
        "from django.conf import settings as s;"
        "from allauth import app_settings as a;"
        "print(a.TRUSTED_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'])"
    )
    for env, expected in [({}, "0 0"), ({"DJANGO_TRUSTED_PROXY_COUNT": "1"}, "1 1")]:
        result = manage("shell", "--no-imports", "-c", code, env={**PRODUCTION_ENV, **env})
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == expected


SIGNUP = "/accounts/signup/"


@pytest.mark.django_db
def test_behind_one_proxy_the_signup_limit_counts_each_client_not_the_proxy(
    settings: Settings, seeded: Meeting
) -> None:
    """Behind one proxy every request comes from the proxy's address; the client's is the
    last one in X-Forwarded-For. Counted per client, one client's limit leaves the next
    client free (without the setting, all would share the proxy's limit)."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.2")

    def signup(n: int, client_ip: str) -> int:
        data = {"email": f"p{n}@example.org", "password1": "a-long-Passw0rd-for-tests"}
        data["password2"] = data["password1"]
        forwarded = f"198.51.100.9, {client_ip}"  # whatever the client claims, then the proxy's
        return client.post(SIGNUP, data, headers={"x-forwarded-for": forwarded}).status_code

    statuses = [signup(n, "203.0.113.1") for n in range(21)]
    assert statuses == [302] * 20 + [429]
    assert signup(21, "203.0.113.2") == 302
    assert User.objects.filter(email="p21@example.org").exists()
    assert not User.objects.filter(email="p20@example.org").exists()


# The portal on SQLite or without Redis: allowed (the benchmarks run so), but said at deployment


@pytest.mark.parametrize(
    ("missing", "warning", "named"),
    [("DATABASE_URL", "krakow_ngo.W003", "SQLite"), ("REDIS_URL", "krakow_ngo.W004", "Redis")],
)
def test_check_deploy_warns_when_production_has_no_postgresql_or_no_redis(
    missing: str, warning: str, named: str
) -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = result.stderr + result.stdout
    assert result.returncode != 0
    assert [line for line in output.splitlines() if "krakow_ngo.W00" in line] == [
        line for line in output.splitlines() if warning in line
    ]
    assert named in output and missing in output


def test_the_redis_check_runs_only_for_deployment(settings: Settings) -> None:
    """SQLite's check is asked in a subprocess above (overriding DATABASES in a test is not
    safe)."""
    settings.REDIS_URL = ""
    assert "krakow_ngo.W004" in {m.id for m in run_checks(include_deployment_checks=True)}
    assert not {"krakow_ngo.W003", "krakow_ngo.W004"} & {m.id for m in run_checks()}
    settings.REDIS_URL = "redis://redis.internal:6379/0"
    assert "krakow_ngo.W004" not in {m.id for m in run_checks(include_deployment_checks=True)}


def test_the_embedded_database_needs_no_folder_made_by_hand(tmp_path: Path) -> None:
    """A fresh clone: `manage.py migrate` without `make` makes var/ for the SQLite file
    (SQLite creates the file, not its folder). The settings are run from a copy of the
    project package whose folder has no var/; the apps come from this checkout."""
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    shutil.copytree(
        ROOT / "krakow_ngo", tmp_path / "krakow_ngo", ignore=shutil.ignore_patterns("__pycache__")
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "var" / "krakow_ngo.sqlite3").is_file()
