"""A real gunicorn serving the portal on 127.0.0.1, started by a test.

It serves the test database this process uses (the same URL a test Celery worker gets), with
DEBUG off. Settings beyond the environment's are given as Python lines: they are written into a
throwaway settings module that imports the test settings first, so a test can shorten a time
limit or point the cache at a stopped Redis without touching the project's files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, database_url_for_worker, free_port, settings_environment, stop_process

# Plain HTTP on loopback: the production cookie and redirect rules would lock a test out.
BASE_SETTINGS = """
from krakow_ngo.test_settings import *  # noqa: F403
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
"""


class Gunicorn:
    """``gunicorn krakow_ngo.wsgi`` in a subprocess; ``url(path)`` addresses it."""

    def __init__(
        self,
        *,
        settings: str = "",
        env: dict[str, str] | None = None,
        workers: int = 1,
        timeout: int = 30,
        database_url: str | None = None,
    ) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="krakow-ngo-gunicorn-"))
        self.log_path = self.dir / "gunicorn.log"
        self.log = self.log_path.open("wb")
        environment = {
            **os.environ,
            **settings_environment(
                self.dir, "gunicorn_test_settings", BASE_SETTINGS + textwrap.dedent(settings)
            ),
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "gunicorn-test-only-secret-key-0123456789-abcdefghijklmnop",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url or database_url_for_worker(),
            **(env or {}),
        }
        if env is None or "REDIS_URL" not in env:
            environment.pop("REDIS_URL", None)  # no Redis unless the test gives one
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "krakow_ngo.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                str(timeout),
                "--graceful-timeout",
                "5",
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_ready()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(
        self, path: str, timeout: float = 60, cookies: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body of a GET; an HTTP error status is an answer, not a raise."""
        headers = {"Host": "127.0.0.1"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        request = urllib.request.Request(self.url(path), headers=headers)  # noqa: S310 - http on loopback
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited at start:\n{self.output()}")
            try:
                if self.get("/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        pytest.fail(f"gunicorn did not answer on port {self.port}:\n{self.output()}")

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        stop_process(self.process)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)  # its settings, log and media


@pytest.fixture
def gunicorn_server(transactional_db: None) -> Iterator[Callable[..., Gunicorn]]:
    """Start servers with ``gunicorn_server(settings=..., timeout=...)``; all stop at teardown."""
    started: list[Gunicorn] = []

    def start(**kwargs: Any) -> Gunicorn:
        server = Gunicorn(**kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
