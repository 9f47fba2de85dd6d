"""A published document never changes, so its download is served like a static file: one
indexed lookup, then the stored bytes with a strong ETag (their SHA-256) and a year of
immutable caching, or a redirect to the bucket (a presigned URL) when files are in S3."""

from __future__ import annotations

import hashlib
import urllib.request
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from documents.models import Publication
from drafts import services as draft_services
from drafts.models import DraftVersion, ProgrammeDraft
from pdf import render as pdf_render
from teams.models import Meeting, User
from tests.integration.s3 import S3Server, s3_server, s3_storage  # noqa: F401 - fixtures

from .helpers import Download

pytestmark = pytest.mark.django_db

IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture
def published_version(
    seeded: Meeting, coordinator: User, django_capture_on_commit_callbacks: Callable
) -> DraftVersion:
    """A version published just now, its PDF rendered (as the worker does after the commit)."""
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    with django_capture_on_commit_callbacks(execute=True):
        return draft_services.draft_version_publish(actor=coordinator, draft=draft)


def _no_render(*args: object, **kwargs: object) -> None:
    raise AssertionError("a published document is never rendered again")


def test_a_published_pdf_is_one_lookup_immutable_under_its_sha256(
    client: Client,
    download: Download,
    published_version: DraftVersion,
    django_assert_max_num_queries: Callable,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = reverse("drafts:version-pdf", args=[published_version.pk])
    body = download(client, url)
    monkeypatch.setattr(pdf_render, "render_html", _no_render)
    etag = f'"{hashlib.sha256(body).hexdigest()}"'

    with django_assert_max_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["ETag"] == etag
    assert response["Cache-Control"] == IMMUTABLE
    assert b"".join(response.streaming_content) == body

    with django_assert_max_num_queries(1):
        response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response["Cache-Control"] == IMMUTABLE


def test_the_adopted_programme_and_a_published_meetings_annex_are_immutable_too(
    client: Client,
    download: Download,
    seeded: Meeting,
    coordinator: User,
    published_version: DraftVersion,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    annex = reverse("pdf:meeting-actions", args=[seeded.pk])
    download(client, annex)
    DraftVersion.objects.filter(pk=published_version.pk).update(
        adopted=True, adopted_at=published_version.published_at, adopted_by=coordinator
    )
    adopted = reverse("drafts:version-adopted-pdf", args=[published_version.pk])
    download(client, adopted)
    for url in (annex, adopted):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == IMMUTABLE
        assert response["ETag"].strip('"') in Publication.objects.values_list("sha256", flat=True)


def test_with_s3_a_published_pdf_is_a_redirect_to_the_bucket(
    s3_storage: str,  # noqa: F811
    s3_server: S3Server,  # noqa: F811
    client: Client,
    published_version: DraftVersion,
    django_assert_max_num_queries: Callable,
) -> None:
    publication = Publication.objects.get(kind="version", object_id=str(published_version.pk))
    assert publication.file.name in s3_server.keys(s3_storage)
    url = reverse("drafts:version-pdf", args=[published_version.pk])

    with django_assert_max_num_queries(1):
        response = client.get(url)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{s3_server.endpoint_url}/{s3_storage}/{publication.file.name}?")
    assert "no-store" not in response["Cache-Control"]
    with urllib.request.urlopen(location, timeout=30) as stored:  # noqa: S310 - loopback
        assert stored.headers["Content-Type"] == "application/pdf"
        assert stored.headers["Content-Disposition"].startswith("inline;")
        assert hashlib.sha256(stored.read()).hexdigest() == publication.sha256


def test_with_s3_and_redirects_off_the_web_process_streams_it(
    s3_storage: str,  # noqa: F811
    client: Client,
    published_version: DraftVersion,
    settings: pytest.FixtureRequest,
) -> None:
    settings.S3_REDIRECT = False
    publication = Publication.objects.get(kind="version", object_id=str(published_version.pk))
    response = client.get(reverse("drafts:version-pdf", args=[published_version.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == IMMUTABLE
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == publication.sha256
