"""A real Redis and a real Celery worker, started by the test run itself on 127.0.0.1.

No Docker and no system service: redis-server (Debian package, installed by
`make system-deps`) runs as a child process on a free port and is stopped afterwards. The
worker is `celery -A krakow_ngo worker` in a subprocess, pointed at the same test database.
If redis-server is missing these tests fail (they do not skip): `make test` installs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """``port``: start again where a stopped one listened (a restart, for the fault tests)."""

    def __init__(self, port: int | None = None) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed: run `make system-deps` (as root)")
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="krakow-ngo-redis-")
        self.process = subprocess.Popen(
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.wait_until_ready()

    def wait_until_ready(self, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    yield server
    server.stop()


def database_url_for_worker() -> str:
    """The URL of the test database this process uses, for a worker in another process."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    if connection.vendor == "postgresql":
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        return (
            f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}"
            f"/{settings['NAME']}"
        )
    raise RuntimeError(f"no worker URL for {connection.vendor}")


def settings_environment(directory: str | Path, name: str, source: str) -> dict[str, str]:
    """Write a throwaway settings module ``name`` holding ``source`` into ``directory`` and
    return the environment that makes a child process use it (the project stays importable)."""
    (Path(directory) / f"{name}.py").write_text(source)
    return {
        "PYTHONPATH": os.pathsep.join([str(directory), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": name,
    }


def stop_process(process: subprocess.Popen[bytes], *, timeout: float = 15) -> None:
    """Terminate a child process started by a test, and kill it if it does not stop in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class CeleryWorker:
    """``env``: more of the worker's environment (e.g. its storage)."""

    def __init__(
        self, redis_url: str, database_url: str, env: dict[str, str] | None = None
    ) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "krakow_ngo.settings",
            "REDIS_URL": redis_url,
            "DATABASE_URL": database_url,
            **(env or {}),
        }
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="krakow-ngo-worker-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "krakow_ngo",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"test-{os.getpid()}@localhost",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        stop_process(self.process)
        Path(self.log.name).unlink(missing_ok=True)


class CeleryBeat:
    """``celery -A krakow_ngo beat`` in a subprocess, its schedule in a directory of its own.
    It sends only the heartbeat: an outbox sweep from it would race the tests that count what
    a sweep sends."""

    def __init__(self, redis_url: str, database_url: str) -> None:
        self.dir = tempfile.mkdtemp(prefix="krakow-ngo-beat-")
        env = {
            **os.environ,
            **settings_environment(
                self.dir,
                "beat_test_settings",
                "from krakow_ngo.settings import *  # noqa: F403\n"
                "from krakow_ngo.settings import CELERY_BEAT_SCHEDULE as ALL\n"
                'CELERY_BEAT_SCHEDULE = {"heartbeat": ALL["heartbeat"]}\n',
            ),
            "REDIS_URL": redis_url,
            "DATABASE_URL": database_url,
        }
        self.log_path = Path(self.dir) / "beat.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "krakow_ngo",
                    "beat",
                    "--loglevel=INFO",
                    "--schedule",
                    str(Path(self.dir) / "schedule"),
                    "--pidfile=",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        stop_process(self.process)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def celery_app_on_redis(redis_server: RedisServer) -> Iterator[Celery]:
    """A Celery client on the real Redis (the project's app stays eager in this process)."""
    app = Celery("krakow_ngo-test-client", broker=redis_server.url, backend=redis_server.url)
    yield app
    app.close()


@pytest.fixture
def celery_worker(redis_server: RedisServer, transactional_db: None) -> Iterator[CeleryWorker]:
    worker = CeleryWorker(redis_server.url, database_url_for_worker())
    yield worker
    worker.stop()
