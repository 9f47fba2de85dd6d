"""The portal on several machines: two web processes and a Celery worker, each with its own
empty local media directory, sharing PostgreSQL (or the SQLite file), Redis and an S3 bucket
(a real SeaweedFS on loopback). A PDF rendered by the worker downloads from both web
processes: one streams it from the bucket, the other redirects to it (a presigned URL)."""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from documents.models import Publication
from drafts.models import DraftVersion
from teams.models import Meeting

from .conftest import (
    CeleryWorker,
    RedisServer,
    database_url_for_worker,
    redis_server,  # noqa: F401 - fixture
)
from .gunicorn import Gunicorn, gunicorn_server  # noqa: F401 - fixture
from .s3 import S3Server, s3_server  # noqa: F401 - fixture

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One GET, redirects not followed (a presigned URL is signed for its own host)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=60)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", target, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture
def cluster(
    gunicorn_server: Callable[..., Gunicorn],  # noqa: F811
    redis_server: RedisServer,  # noqa: F811
    s3_server: S3Server,  # noqa: F811
    seeded: Meeting,
    tmp_path: Path,
) -> Iterator[tuple[Gunicorn, Gunicorn, CeleryWorker, str, list[Path]]]:
    bucket = s3_server.bucket()
    shared = {"REDIS_URL": redis_server.url, **s3_server.environment(bucket)}
    media = [tmp_path / name for name in ("web-a", "web-b", "worker")]
    for directory in media:
        directory.mkdir()
    streaming = gunicorn_server(
        env={**shared, "DJANGO_MEDIA_ROOT": str(media[0]), "DJANGO_S3_REDIRECT": "false"}
    )
    redirecting = gunicorn_server(env={**shared, "DJANGO_MEDIA_ROOT": str(media[1])})
    worker = CeleryWorker(
        redis_server.url,
        database_url_for_worker(),
        env={**shared, "DJANGO_MEDIA_ROOT": str(media[2])},
    )
    yield streaming, redirecting, worker, bucket, media
    worker.stop()


def test_a_pdf_rendered_by_the_worker_downloads_from_both_web_processes(
    cluster: tuple[Gunicorn, Gunicorn, CeleryWorker, str, list[Path]],
    s3_server: S3Server,  # noqa: F811
) -> None:
    streaming, redirecting, worker, bucket, media = cluster
    version = DraftVersion.objects.order_by("pk").first()
    assert version is not None
    Publication.objects.filter(kind="version").delete()
    path = reverse("drafts:version-pdf", kwargs={"pk": version.pk})

    # The first request freezes the publication; its PDF is rendered by the worker.
    status, _headers, _body = fetch(streaming.url(path))
    assert status == 202, streaming.output()[-3000:]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status, headers, body = fetch(streaming.url(path))
        if status == 200:
            break
        assert status == 202, streaming.output()[-3000:]
        time.sleep(0.5)
    else:
        pytest.fail(f"not rendered in time; the worker says:\n{worker.output()[-3000:]}")
    assert headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-")
    publication = Publication.objects.get(kind="version", object_id=str(version.pk))
    assert s3_server.keys(bucket) == [publication.file.name]

    # The other web process never saw it being made: it sends the reader to the bucket.
    status, headers, _ = fetch(redirecting.url(path))
    assert status == 302, redirecting.output()[-3000:]
    location = headers["Location"]
    assert location.startswith(f"{s3_server.endpoint_url}/{bucket}/{publication.file.name}?")
    status, headers, again = fetch(location)
    assert status == 200
    assert again == body
    assert headers["Content-Type"] == "application/pdf"

    # Nothing was written to any machine's own disk.
    assert [list(directory.iterdir()) for directory in media] == [[], [], []]
