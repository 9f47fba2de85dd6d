"""PDF renderings in an S3 bucket (a real SeaweedFS on loopback): stored there, never on the
local disk, and read back from there."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from pdf.models import PdfRendering
from teams.models import Meeting, User
from tests.integration.s3 import S3Server, s3_server, s3_storage  # noqa: F401 - fixtures

from .helpers import Download
from .test_programme_pdf import draft_of

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_a_rendering_is_stored_in_the_bucket_and_read_back(
    s3_storage: str,  # noqa: F811
    s3_server: S3Server,  # noqa: F811
    client: Client,
    download: Download,
    seeded: Meeting,
    coordinator: User,
) -> None:
    client.force_login(coordinator)
    url = reverse("drafts:working-copy-pdf", args=[draft_of(seeded).pk])
    first = download(client, url)
    rendering = PdfRendering.objects.get(status=PdfRendering.Status.DONE)
    assert s3_server.keys(s3_storage) == [f"pdf/{rendering.key}.pdf"]
    stored = s3_server.client().get_object(Bucket=s3_storage, Key=f"pdf/{rendering.key}.pdf")
    assert stored["Body"].read() == first
    assert not Path(settings.MEDIA_ROOT).exists()

    # Served again from the bucket, not rendered again.
    assert download(client, url) == first
    assert PdfRendering.objects.count() == 1


def test_the_bucket_client_tries_again_when_the_store_is_busy(s3_storage: str) -> None:  # noqa: F811
    """A 500 InternalError or a throttling answer is retried with backoff (botocore's standard
    mode), so one busy moment of the store does not fail a rendering."""
    from django.core.files.storage import storages

    storage = storages.create_storage(settings.STORAGES["default"])
    config = storage.connection.meta.client.meta.config  # type: ignore[attr-defined]
    assert config.retries == {"mode": "standard", "total_max_attempts": 6}  # 5 retries
    assert config.s3 == {"addressing_style": "path"}
    # A store that hangs fails a request well within gunicorn's 60 s, tries included.
    assert (config.connect_timeout, config.read_timeout) == (2, 6)
