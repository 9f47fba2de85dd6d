"""The Celery worker really runs: a task goes through Redis to a worker process and back."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [pytest.mark.integration]


def test_a_task_round_trips_through_redis_to_a_real_worker(celery_app_on_redis, celery_worker):
    result = celery_app_on_redis.send_task("krakow_ngo.tasks.ping")
    try:
        answer = result.get(timeout=60)
    except Exception:
        print(celery_worker.output())
        raise
    assert answer == {"pong": True, "database": connection.vendor, "db_ok": True}
    assert "krakow_ngo.tasks.ping" in celery_worker.output()


def test_a_task_waits_in_redis_until_a_worker_starts(
    celery_app_on_redis, redis_server, transactional_db
):
    from .conftest import CeleryWorker, database_url_for_worker

    result = celery_app_on_redis.send_task("krakow_ngo.tasks.ping")
    assert result.state == "PENDING"
    worker = CeleryWorker(redis_server.url, database_url_for_worker())
    try:
        assert result.get(timeout=60)["pong"] is True
    finally:
        worker.stop()
