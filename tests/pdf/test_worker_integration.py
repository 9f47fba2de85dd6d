"""render_pdf in a real Celery worker on a real Redis, with the prefork pool production uses:
the render child process starts inside a pool process, and the file lands in the storage the
web process serves from."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import Celery

from documents.meeting_annex import meeting_actions_document
from documents.models import Publication
from documents.publications import publication_freeze, render_publication
from pdf.models import PdfRendering
from teams.models import Meeting
from tests.integration.conftest import (  # noqa: F401 - fixtures for this module
    ROOT,
    CeleryWorker,
    RedisServer,
    celery_app_on_redis,
    database_url_for_worker,
    redis_server,
)
from tests.seeds import annex_3_actions, fold

from .helpers import pdf_text

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


class PreforkWorker(CeleryWorker):
    """tests/integration's worker, with the prefork pool (one pool process) instead of solo."""

    def __init__(self, redis_url: str, database_url: str) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "krakow_ngo.settings",
            "REDIS_URL": redis_url,
            "DATABASE_URL": database_url,
        }
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="krakow-ngo-pdf-worker-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(  # noqa: S603 - our own worker command
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "krakow_ngo",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"pdf-test-{os.getpid()}@localhost",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )


@pytest.fixture
def worker(
    redis_server: RedisServer,  # noqa: F811
    media_root: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[CeleryWorker]:
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(media_root))
    worker = PreforkWorker(redis_server.url, database_url_for_worker())
    yield worker
    worker.stop()


def test_a_real_worker_renders_a_queued_pdf_into_shared_storage(
    seeded: Meeting,
    celery_app_on_redis: Celery,  # noqa: F811
    worker: CeleryWorker,
    media_root: Path,
) -> None:
    document = meeting_actions_document(str(seeded.pk))
    rendering = PdfRendering.objects.create(
        key=document.key(),
        builder="documents.meeting_annex.meeting_actions_document",
        object_id=str(seeded.pk),
        template_name=document.template_name,
        filename=document.filename,
    )
    result = celery_app_on_redis.send_task("krakow_ngo.tasks.render_pdf", args=[rendering.pk])
    try:
        result.get(timeout=90)
    except Exception:
        print(worker.output())
        raise
    rendering.refresh_from_db()
    assert rendering.status == PdfRendering.Status.DONE, rendering.error
    text = pdf_text((media_root / rendering.file.name).read_bytes())
    assert f"18. {fold(annex_3_actions()[17])}" in text


def test_a_real_worker_renders_a_frozen_publication_once(
    seeded: Meeting,
    celery_app_on_redis: Celery,  # noqa: F811
    worker: CeleryWorker,
    media_root: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queued: list[int] = []
    monkeypatch.setattr(render_publication, "delay", queued.append)  # sent below, by name
    publication = publication_freeze(kind="meeting-actions", object_id=seeded.pk)
    assert publication is not None
    assert queued == [publication.pk]
    result = celery_app_on_redis.send_task("documents.render_publication", args=[publication.pk])
    try:
        result.get(timeout=90)
    except Exception:
        print(worker.output())
        raise
    publication.refresh_from_db()
    assert publication.status == Publication.Status.DONE, publication.error
    stored = (media_root / publication.file.name).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == publication.sha256
    assert f"18. {fold(annex_3_actions()[17])}" in pdf_text(stored)
