"""Faults on the real stack: Redis stopped under a running portal, PostgreSQL restarted under
load. Each test starts its own processes on 127.0.0.1 (Redis, a Celery worker and beat,
gunicorn, a PostgreSQL cluster) and asserts what a visitor saw: never a 500, and the portal
ready again once the dependency is back. (A worker killed in the middle of a sweep:
test_outbox_worker.py.) docs/operations.md tells an operator the same story.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from consultations.models import Round
from consultations.phases import Phase

from .conftest import (
    ROOT,
    CeleryBeat,
    CeleryWorker,
    RedisServer,
    database_url_for_worker,
    free_port,
)
from .gunicorn import Gunicorn, gunicorn_server  # noqa: F401 - fixture

pytestmark = [pytest.mark.integration]

DEMO_PASSWORD = "demo-krakow-2011"


class Visitor:
    """A browser's worth of HTTP against one server: cookies kept, redirects not followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    def __init__(self, server: Gunicorn) -> None:
        self.server = server
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirect()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 - http on loopback
            self.server.url(path), data=body, headers={"Host": "127.0.0.1"}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_in(self, email: str, password: str) -> int:
        status, html = self.request("/accounts/login/")
        assert status == 200, html
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert match, html
        token = match.group(1)
        status, _html = self.request(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "login": email, "password": password},
        )
        return status


def readiness(server: Gunicorn) -> tuple[int, dict[str, dict[str, object]]]:
    status, _headers, body = server.get("/readyz", timeout=10)
    return status, json.loads(body)["checks"]


def wait_until(condition: Callable[[], bool], timeout: float, explain: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(explain())


# Redis stopped


@pytest.fixture
def heartbeat_every_2s(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker, beat and gunicorn inherit it: readiness notices a stale heartbeat after 6 s."""
    monkeypatch.setenv("HEARTBEAT_SECONDS", "2")


def test_it_serves_pages_without_redis_and_is_ready_again_when_redis_is_back(
    gunicorn_server,  # noqa: F811 - fixture
    heartbeat_every_2s: None,
) -> None:
    round_ = Round.objects.get(status=Phase.REPORT_PUBLISHED)
    detail = f"/consultations/{round_.pk}/"
    pages = [detail, f"{detail}report/", "/api/v1/teams/"]
    redis = RedisServer()
    database = database_url_for_worker()
    worker = CeleryWorker(redis.url, database)
    beat = CeleryBeat(redis.url, database)
    try:
        server = gunicorn_server(env={"REDIS_URL": redis.url, "HEARTBEAT_SECONDS": "2"})

        def explain() -> str:
            return (
                f"readiness: {readiness(server)}\n--- gunicorn\n{server.output()}\n"
                f"--- worker\n{worker.output()}\n--- beat\n{beat.output()}"
            )

        wait_until(lambda: readiness(server)[0] == 200, 90, explain)
        for path in pages:  # the page cache fills Redis
            assert server.get(path)[0] == 200, path

        redis.stop()
        anonymous = Visitor(server)
        for path in pages * 2:
            status, html = anonymous.request(path)
            assert status == 200, f"{path}: {status}\n{html[:2000]}\n{server.output()}"
        assert Visitor(server).log_in("ngo@example.org", DEMO_PASSWORD) == 302
        # Failed log-ins are still counted (per process): the sixth is locked out with 429.
        guesser = Visitor(server)
        statuses = [guesser.log_in("ekspert@example.org", "wrong") for _ in range(6)]
        assert statuses == [200] * 5 + [429]

        status, checks = readiness(server)
        assert status == 503
        assert checks["cache"]["ok"] is False
        assert checks["broker"]["ok"] is False
        assert checks["database"]["ok"] is True
        assert server.get("/healthz")[0] == 200  # liveness: nothing to restart
        log = server.output()
        # The cache's warning, once per interval, not per request ("Redis unreachable" of the
        # /readyz 503's own WARNING line is another matter: one per poll, by design).
        assert log.count("is unreachable or failing") == 1, log
        assert " 500 " not in log

        redis = RedisServer(port=redis.port)  # back, empty (no persistence in the test)
        wait_until(lambda: readiness(server)[0] == 200, 90, explain)
        for path in pages:
            assert server.get(path)[0] == 200, path
        assert "answers again" in server.output()
    finally:
        beat.stop()
        worker.stop()
        redis.stop()


def test_readiness_names_a_killed_worker_and_a_stopped_beat(
    gunicorn_server,  # noqa: F811 - fixture
    heartbeat_every_2s: None,
    redis_server: RedisServer,
) -> None:
    database = database_url_for_worker()
    worker = CeleryWorker(redis_server.url, database)
    beat = CeleryBeat(redis_server.url, database)
    try:
        server = gunicorn_server(env={"REDIS_URL": redis_server.url, "HEARTBEAT_SECONDS": "2"})

        def explain() -> str:
            return f"readiness: {readiness(server)}\n--- beat\n{beat.output()}"

        def failing() -> set[str]:
            status, checks = readiness(server)
            return {name for name, check in checks.items() if not check["ok"]}

        wait_until(lambda: readiness(server)[0] == 200, 90, explain)

        worker.kill()  # SIGKILL: no goodbye
        wait_until(lambda: failing() == {"worker"}, 60, explain)
        assert server.get("/healthz")[0] == 200

        worker.stop()
        worker = CeleryWorker(redis_server.url, database)  # what the orchestrator restarts
        wait_until(lambda: readiness(server)[0] == 200, 90, explain)

        beat.stop()
        # Nobody sends the heartbeat any more: beat is stale, and so (soon) is the worker.
        wait_until(lambda: "beat" in failing(), 60, explain)
        assert failing() <= {"beat", "worker"}
    finally:
        beat.stop()
        worker.stop()


def test_readiness_names_the_missing_static_manifest(
    gunicorn_server,  # noqa: F811 - fixture
    tmp_path: Path,
) -> None:
    # Production's manifest storage over a STATIC_ROOT where collectstatic never ran.
    server = gunicorn_server(
        settings=f"""
        STATIC_ROOT = {str(tmp_path / "static")!r}
        STORAGES = {{**STORAGES, "staticfiles": {{
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}}}
        WHITENOISE_USE_FINDERS = False
        """
    )
    status, checks = readiness(server)
    assert status == 503
    assert checks["static"] == {"ok": False, "detail": "manifest missing: run collectstatic"}
    assert {name for name, check in checks.items() if not check["ok"]} == {"static"}
    assert server.get("/healthz")[0] == 200


# PostgreSQL restarted under load

PGBIN = Path("/usr/lib/postgresql/15/bin")


class PostgresCluster:
    """A throwaway PostgreSQL 15 cluster on 127.0.0.1, owned by the test (as scripts/services.sh
    makes one for the test run, in Python): initdb, start, restart, stop."""

    def __init__(self) -> None:
        if not (PGBIN / "initdb").exists():
            pytest.fail(f"PostgreSQL 15 is not installed under {PGBIN}: run `make system-deps`")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="krakow-ngo-pg-fault-"))
        shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"
        self._as_postgres(
            str(PGBIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self._pg_ctl("start")
        self._as_postgres(str(PGBIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "app")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/app"

    def _as_postgres(self, *command: str, check: bool = True) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if shutil.which("runuser") else []
        subprocess.run([*prefix, *command], cwd="/", check=check, capture_output=True, timeout=120)

    def _pg_ctl(self, action: str, *extra: str, check: bool = True) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._as_postgres(
            str(PGBIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "server.log"),
            "-w", "-t", "60", "-o", options, *extra, action, check=check,
        )  # fmt: skip

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def pause(self) -> None:
        self._pg_ctl("stop", "-m", "fast")

    def resume(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast", check=False)  # it may be stopped already
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def postgres_cluster() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster()
    yield cluster
    cluster.stop()


def manage(database_url: str, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# An announced round: a page that reads the database on every request, cached or not.
ONE_ROUND = """
import datetime as dt
from django.utils import timezone
from consultations.models import Round
from teams.models import Programme
programme = Programme.objects.create(title="Program 2028", period_start=2028, period_end=2028)
opens = timezone.now() + dt.timedelta(days=10)
Round.objects.create(
    programme=programme, title="Konsultacje programu", goal="Cel", subject="Przedmiot",
    responsible_office="MOWIS", contact="mowis@example.org", opens_at=opens,
    closes_at=opens + dt.timedelta(days=14), status="announced",
)
"""


def test_a_postgresql_restart_under_load_answers_503_never_500_and_then_200(
    gunicorn_server,  # noqa: F811 - fixture
    postgres_cluster: PostgresCluster,
) -> None:
    # This test owns its PostgreSQL (whatever database the suite runs on), so it runs on the
    # SQLite run too: a restart is a PostgreSQL fault; SQLite is a file and has none.
    manage(postgres_cluster.url, "migrate", "--noinput")
    manage(postgres_cluster.url, "shell", "-c", ONE_ROUND)
    # The load would soon meet the API's throttle (120 a minute per address by default).
    server = gunicorn_server(
        database_url=postgres_cluster.url, workers=2, env={"API_ANON_RATE": "100000/minute"}
    )
    status, _headers, body = server.get("/consultations/")
    assert status == 200, server.output()
    round_path = re.search(rb'href="(/consultations/\d+/)"', body)
    assert round_path, body[:2000]
    paths = [round_path.group(1).decode(), "/teams/", "/api/v1/teams/", "/healthz"]

    # Down: every page says so with 503, Retry-After and a Polish page, never a 500.
    postgres_cluster.pause()
    for path in paths:
        status, headers, body = server.get(path)
        assert status == 503, (path, status, body[:500], server.output())
        if path != "/healthz":
            assert headers["Retry-After"] == "30"
            assert "Portal chwilowo niedostępny" in body.decode()
    postgres_cluster.resume()
    for path in paths:
        assert server.get(path)[0] == 200, (path, server.output())

    statuses: Counter[int] = Counter()
    retry_after: set[str] = set()
    stop = threading.Event()
    errors: list[BaseException] = []

    def load() -> None:
        try:
            while not stop.is_set():
                for path in paths:
                    status, headers, body = server.get(path, timeout=30)
                    statuses[status] += 1
                    if status == 503 and path != "/healthz":
                        retry_after.add(headers.get("Retry-After", ""))
                        assert "Portal chwilowo niedostępny" in body.decode(), body[:500]
        except BaseException as error:  # handed to the test thread, which fails with it
            errors.append(error)

    threads = [threading.Thread(target=load) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)
        for _ in range(2):
            postgres_cluster.restart()
            time.sleep(0.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    assert set(statuses) <= {200, 503}, (statuses, server.output())
    assert statuses[200] > 0
    if statuses[503]:
        assert retry_after <= {"30"}, retry_after

    # After the restarts every request succeeds again: each worker drops its dead connection
    # (CONN_HEALTH_CHECKS) and connects afresh.
    for _ in range(3):
        for path in paths:
            status, _headers, body = server.get(path)
            assert status == 200, (path, status, body[:500], server.output())
