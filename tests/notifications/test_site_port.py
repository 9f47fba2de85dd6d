"""In development the portal's address in e-mails follows the port the server runs on
(``make run PORT=18201``) unless ``DJANGO_SITE_URL`` says otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core import mail
from django.db.models.signals import post_migrate
from django.test import Client
from pytest_django.fixtures import Settings

from notifications.outbox import outbox_enqueue, outbox_sweep

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "a-Long-pass-2027"


def _environment(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {**clean, **extra}


def _site_url(**env: str) -> str:
    """SITE_URL as the development settings derive it from this environment."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup(); "
            "print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env=_environment(DJANGO_SETTINGS_MODULE="krakow_ngo.settings", **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_it_passes_the_port_of_make_run_to_every_step_it_runs(tmp_path: Path) -> None:
    """The Makefile's run path, with a stand-in python that records what it was asked."""
    log = tmp_path / "calls.log"
    fake_python = tmp_path / "bin" / "python"
    fake_python.parent.mkdir()
    fake_python.write_text(f'#!/bin/sh\necho "DJANGO_PORT=$DJANGO_PORT $*" >> {log}\n')
    fake_python.chmod(0o755)
    subprocess.run(
        ["make", "-s", "run", "PORT=18201", f"VENV={tmp_path}", f"BIN={tmp_path}/bin"],
        cwd=ROOT,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    calls = log.read_text().splitlines()
    assert "DJANGO_PORT=18201 manage.py migrate --noinput" in calls
    assert "DJANGO_PORT=18201 manage.py seed_demo" in calls
    assert "DJANGO_PORT=18201 manage.py runserver 127.0.0.1:18201" in calls


def test_without_django_site_url_the_address_follows_the_port() -> None:
    assert _site_url(DJANGO_PORT="18201") == "http://127.0.0.1:18201"
    assert _site_url() == "http://127.0.0.1:8000"


def test_django_site_url_wins_over_the_port() -> None:
    url = _site_url(DJANGO_PORT="18201", DJANGO_SITE_URL="https://ngo.krakow.example")
    assert url == "https://ngo.krakow.example"


@pytest.mark.django_db
def test_e_mails_link_to_the_port_the_server_runs_on(
    settings: Settings, member, open_round
) -> None:
    settings.SITE_URL = _site_url(DJANGO_PORT="18201")
    config = apps.get_app_config("sites")
    post_migrate.send(  # what `make run` does before serving: migrate
        sender=config, app_config=config, verbosity=0, interactive=False, using="default"
    )
    # A notification: the round's link, the settings and the one-click unsubscribe.
    row = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round)
    assert row is not None
    mail.outbox.clear()
    assert row.pk in outbox_sweep().sent
    (message,) = [m for m in mail.outbox if m.extra_headers["X-Outbox-Id"] == str(row.pk)]
    assert f"http://127.0.0.1:18201/consultations/{open_round.pk}/" in message.body
    assert "http://127.0.0.1:18201/notifications/settings/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:18201/notifications/unsubscribe/"
    )
    assert ":8000" not in message.body + message.alternatives[0][0]
    # the confirmation e-mail, in Polish: "… w serwisie 127.0.0.1:18201" (its link is built
    # from the request, so it names the server the person signed up on anyway).
    mail.outbox.clear()
    response = Client().post(
        "/accounts/signup/",
        {"email": "nowa@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    (confirmation,) = mail.outbox
    assert "w serwisie 127.0.0.1:18201" in confirmation.body
    assert ":8000" not in confirmation.body
