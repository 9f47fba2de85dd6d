"""The outbox with a real Redis and a real Celery worker: messages go out once, and a worker
killed with SIGKILL in the middle of a sweep loses nothing when it is started again.

The worker writes e-mail to files (EMAIL_URL empty → ConsoleAndFileBackend) in a directory of
the test's own (DJANGO_EMAIL_FILE_PATH); every message carries its outbox row's id in an
``X-Outbox-Id`` header, so the test counts what really left, row by row.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import socket
import subprocess
import time
from collections import Counter
from pathlib import Path
from uuid import uuid4

import pytest
from celery import Celery
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from consultations.models import Round
from consultations.phases import Phase
from notifications.models import Outbox
from teams.models import Organisation, Programme, Representation, User
from tests.consultations.conftest import (  # noqa: F401 (fixtures)
    make_comment,
    make_round,
    member_org,
    open_round,
    other_rep,
)

from .conftest import CeleryWorker, database_url_for_worker, free_port

pytestmark = [pytest.mark.integration]

SWEEP = "krakow_ngo.tasks.outbox_sweep_task"
HEADER = re.compile(rb"^X-Outbox-Id: (\d+)\r?$", re.MULTILINE)


def delivered(mail_dir: Path) -> Counter[int]:
    counts: Counter[int] = Counter()
    for path in mail_dir.glob("*"):
        for match in HEADER.finditer(path.read_bytes()):
            counts[int(match.group(1))] += 1
    return counts


def wait_for(condition, timeout: float, worker: CeleryWorker) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    print(worker.output())
    pytest.fail("timed out waiting for the worker")


@pytest.fixture
def worker_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    monkeypatch.setenv("EMAIL_URL", "")
    monkeypatch.setenv("DJANGO_EMAIL_FILE_PATH", str(mail_dir))
    monkeypatch.setenv("OUTBOX_LEASE_SECONDS", "2")
    return mail_dir


def _round(closes_at: dt.datetime) -> Round:
    programme = Programme.objects.create(title="Program 2028", period_start=2028, period_end=2028)
    return Round.objects.create(
        programme=programme,
        title="Konsultacje programu",
        goal="Cel",
        subject="Przedmiot",
        responsible_office="MOWIS",
        contact="mowis@example.org",
        opens_at=closes_at - dt.timedelta(days=14),
        closes_at=closes_at,
        status=Phase.ANNOUNCED,
    )


def test_a_due_reminder_arrives_once(
    transactional_db, redis_server, celery_app_on_redis, worker_env
):
    # A verified organisation's representative, and a round closing in a little under a day:
    # its one-day reminder is due.
    user = User.objects.create_user("rep@example.org", "pw-rep-12345")
    organisation = Organisation.objects.create(name="Fundacja Test", verified_at=timezone.now())
    Representation.objects.create(user=user, organisation=organisation, status="approved")
    round_ = _round(timezone.now() + dt.timedelta(hours=23))
    worker = CeleryWorker(redis_server.url, database_url_for_worker())
    try:
        for _ in range(3):  # beat would run it every minute; three sweeps, one message
            celery_app_on_redis.send_task(SWEEP)

        # The demo seed's representatives are reminded too: follow this user's reminder.
        reminders = Outbox.objects.filter(
            kind="round_reminder", subject_id=str(round_.pk), recipient=user
        )

        def sent() -> bool:
            return reminders.filter(sent_at__isnull=False).exists()

        wait_for(sent, 60, worker)
        row = reminders.get()
        assert row.occasion == "close-minus-1d"
        time.sleep(1)  # let the other two sweeps finish
        assert delivered(worker_env)[row.pk] == 1
        assert "outbox_sweep_task" in worker.output()
    finally:
        worker.stop()


def test_a_worker_killed_during_a_sweep_loses_nothing_and_sends_each_once(
    transactional_db, redis_server, celery_app_on_redis, worker_env
):
    round_ = _round(timezone.now() + dt.timedelta(days=30))
    users = User.objects.bulk_create(User(email=f"person{i}@example.org") for i in range(400))
    # Written directly: outbox_enqueue would also sweep eagerly in this (broker-less) process.
    subject_type = ContentType.objects.get_for_model(Round)
    Outbox.objects.bulk_create(
        Outbox(
            recipient=user,
            email=user.email,
            kind="round_announced",
            subject_type=subject_type,
            subject_id=str(round_.pk),
            due_at=timezone.now(),
        )
        for user in users
    )
    rows = set(Outbox.objects.filter(kind="round_announced").values_list("pk", flat=True))
    assert len(rows) == 400

    worker = CeleryWorker(redis_server.url, database_url_for_worker())
    try:
        celery_app_on_redis.send_task(SWEEP)
        wait_for(lambda: len(delivered(worker_env)) >= 20, 60, worker)
        worker.kill()  # SIGKILL in the middle of the sweep
    finally:
        worker.stop()
    unsent = Outbox.objects.filter(kind="round_announced", sent_at=None).count()
    assert unsent > 0, "the sweep finished before the kill: the test proves nothing"
    # The dead worker held at most the one row in its hands: claimed, not sent.
    in_hand = Outbox.objects.filter(kind="round_announced", sent_at=None, claimed_at__isnull=False)
    assert in_hand.count() <= 1

    time.sleep(2.1)  # the dead worker's lease on the row in its hands runs out
    again = CeleryWorker(redis_server.url, database_url_for_worker())
    try:
        celery_app_on_redis.send_task(SWEEP)
        wait_for(
            lambda: not Outbox.objects.filter(kind="round_announced", sent_at=None).exists(),
            120,
            again,
        )
    finally:
        again.stop()
    counts = delivered(worker_env)
    assert set(counts) >= rows  # nothing lost
    duplicates = sum(n - 1 for pk, n in counts.items() if pk in rows)
    assert duplicates <= 1  # at most the one message in flight when the worker died
    assert not Outbox.objects.filter(kind="round_announced", failed_at__isnull=False).exists()


def _start_redis(port: int, directory: str) -> subprocess.Popen[bytes]:
    binary = shutil.which("redis-server")
    assert binary is not None, "redis-server is not installed: run `make system-deps`"
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", directory],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return process
        except OSError:
            time.sleep(0.05)
    pytest.fail("redis-server did not start")


def test_a_comment_posted_while_redis_is_down_is_notified_once_redis_is_back(
    transactional_db,
    worker_env,
    tmp_path,
    monkeypatch,
    caplog,
    open_round,  # noqa: F811 (fixture)
    make_comment,  # noqa: F811 (fixture)
    other_rep,  # noqa: F811 (fixture)
):
    from krakow_ngo.celery import app

    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    # This process queues through Redis like production, and Redis is not running.
    app.set_current()  # a test client app made earlier may have become the current one
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "broker_url", url)
    monkeypatch.setitem(app.conf, "broker_connection_timeout", 1)
    monkeypatch.setitem(app.conf, "broker_connection_max_retries", 0)
    # Connections pooled by earlier tests point at a Redis that is running: start afresh.
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    comment = make_comment(open_round)
    client = Client()
    client.force_login(other_rep)
    response = client.post(
        f"/consultations/comments/{comment.pk}/reply/",
        {"reply-text": "Odpowiedź bez Redisa", "reply-token": uuid4()},
    )
    assert response.status_code == 302
    assert "could not queue a sweep" in caplog.text  # the after-commit kick found no broker
    row = Outbox.objects.get(kind="comment_reply")
    assert row.sent_at is None

    redis = _start_redis(port, str(tmp_path))
    worker = CeleryWorker(url, database_url_for_worker())
    try:
        client_app = Celery("test-client", broker=url, backend=url, set_as_current=False)
        client_app.send_task(SWEEP)  # what beat does every minute
        wait_for(lambda: Outbox.objects.get(pk=row.pk).sent_at is not None, 60, worker)
        client_app.send_task(SWEEP)
        time.sleep(1)
        assert delivered(worker_env)[row.pk] == 1
        client_app.close()
    finally:
        worker.stop()
        redis.terminate()
        redis.wait(timeout=10)
