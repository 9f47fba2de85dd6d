"""Production settings: `check --deploy` is clean, and missing secrets fail loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "krakow_ngo.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7#k2!p" * 10,
    "DJANGO_ALLOWED_HOSTS": "ngo.krakow.example",
    "DATABASE_URL": "postgres://ngo:secret@db.internal:5432/ngo",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.internal:587",
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
