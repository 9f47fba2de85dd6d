"""A published document never changes, so its download is served like a static file: one
indexed lookup, then the stored bytes with a strong ETag (their SHA-256) and a year of
immutable caching, or a redirect to the bucket (a presigned URL) when files are in S3."""

from __future__ import annotations

import hashlib
import urllib.request
from collections.abc import Callable

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from documents.models import Publication
from drafts import services as draft_services
from drafts.models import DraftVersion, ProgrammeDraft
from pdf import render as pdf_render
from teams.models import Meeting, User
from tests.integration.s3 import S3Server, s3_server, s3_storage  # noqa: F401 - fixtures

from .conftest import render_pending_publications
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


@pytest.mark.parametrize(
    ("if_none_match", "status"),
    [
        ("W/{etag}", 304),  # a weak match is enough for GET and HEAD (RFC 9110, 13.1.2)
        ("*", 304),
        ('"0123", {etag}', 304),
        ('W/"0123", W/{etag}', 304),
        ('"0123"', 200),
        ('W/"0123"', 200),
    ],
)
def test_if_none_match_compares_weakly_with_any_tag_of_a_list(
    client: Client,
    download: Download,
    published_version: DraftVersion,
    if_none_match: str,
    status: int,
) -> None:
    url = reverse("drafts:version-pdf", args=[published_version.pk])
    etag = f'"{hashlib.sha256(download(client, url)).hexdigest()}"'
    header = if_none_match.format(etag=etag)
    assert client.get(url, headers={"If-None-Match": header}).status_code == status
    assert client.head(url, headers={"If-None-Match": header}).status_code == status


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


# --- Answered before the session, the user and the view (documents/downloads.py) ----------


@pytest.mark.django_db(transaction=True)
def test_a_published_pdf_asked_for_again_needs_no_query_even_when_logged_in(
    client: Client,
    download: Download,
    coordinator: User,
    published_version: DraftVersion,
    django_assert_num_queries: Callable,
) -> None:
    """A made publication never changes: a process looks it up once, and its download reads
    no session and no user."""
    client.force_login(coordinator)
    url = reverse("drafts:version-pdf", args=[published_version.pk])
    body = download(client, url)
    etag = f'"{hashlib.sha256(body).hexdigest()}"'

    with django_assert_num_queries(0):
        response = client.get(url)
        assert b"".join(response.streaming_content) == body
    assert response.status_code == 200
    assert response["ETag"] == etag
    with django_assert_num_queries(0):
        response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response["Cache-Control"] == IMMUTABLE
    with django_assert_num_queries(0):
        assert client.head(url).status_code == 200


def test_a_published_pdf_has_the_security_headers_and_does_not_vary_by_cookie(
    client: Client, download: Download, coordinator: User, published_version: DraftVersion
) -> None:
    """The same for everyone, so a shared cache keeps one copy: no Vary: Cookie, no cookie
    set; still sent with the headers every response has (as a static file is)."""
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    url = reverse("drafts:version-pdf", args=[published_version.pk])
    download(client, url)

    response = client.get(url)
    assert response.status_code == 200
    assert "cookie" not in response.get("Vary", "").lower()
    assert not response.cookies
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    adopted = reverse("drafts:version-adopted-pdf", args=[published_version.pk])
    assert client.get(adopted).status_code == 404  # not adopted: the view says so


def test_what_is_not_a_plain_download_of_a_made_publication_goes_to_the_view(
    client: Client,
    download: Download,
    published_version: DraftVersion,
) -> None:
    """The progress partial (htmx), another method, another query string and a missing
    file are answered by the view, with the whole middleware, as before."""
    url = reverse("drafts:version-pdf", args=[published_version.pk])
    plain = hashlib.sha256(download(client, url)).hexdigest()
    partial = client.get(url, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert partial["Content-Type"].startswith("text/html")
    assert client.post(url).status_code == 405
    lines = client.get(url, {"lines": "1"})
    assert lines.status_code == 200  # its own publication, with line numbers
    assert lines["ETag"] not in (f'"{plain}"', "")
    publication = Publication.objects.get(kind="version", object_id=str(published_version.pk))
    publication.file.storage.delete(publication.file.name)
    gone = client.get(url)
    assert gone.status_code == 503
    assert gone["Content-Type"].startswith("text/html")
    assert gone["Content-Language"] == "pl"


def test_a_deleted_publication_is_not_served_from_memory(
    client: Client,
    download: Download,
    published_version: DraftVersion,
) -> None:
    """Nothing deletes a publication but a test or an operator by hand; if one is, the
    process forgets what it knew of it."""
    url = reverse("drafts:version-pdf", args=[published_version.pk])
    download(client, url)
    Publication.objects.filter(kind="version").delete()
    assert client.get(url).status_code == 202  # frozen again, made by the worker


@pytest.mark.django_db(transaction=True)
def test_with_s3_a_redirect_asked_for_again_needs_no_query(
    s3_storage: str,  # noqa: F811
    s3_server: S3Server,  # noqa: F811
    client: Client,
    published_version: DraftVersion,
    django_assert_num_queries: Callable,
) -> None:
    url = reverse("drafts:version-pdf", args=[published_version.pk])
    assert client.get(url).status_code == 302
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{s3_server.endpoint_url}/{s3_storage}/")


class _RolledBack(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_publication_read_in_a_transaction_that_rolls_back_is_not_remembered(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    """Only a committed publication is remembered: one read inside a transaction may be the
    transaction's own (as in a test), and gone after its rollback."""
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    with pytest.raises(_RolledBack), transaction.atomic():
        version = draft_services.draft_version_publish(actor=coordinator, draft=draft)
        url = reverse("drafts:version-pdf", args=[version.pk])
        assert client.get(url).status_code == 202  # frozen now (not after the commit)
        render_pending_publications()
        assert client.get(url).status_code == 200
        raise _RolledBack
    assert client.get(url).status_code == 404
