"""How a stored PDF leaves the portal: restricted documents (the working copy, a report before
it is published, a draft meeting's annex) as a download nobody keeps; published ones inline and
cacheable; and no stored file at a URL of its own, in any mode."""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import clear_url_caches, reverse

from consultations.models import Round
from consultations.phases import Phase
from documents.models import Publication
from pdf.models import PdfRendering
from teams.models import Meeting, User

from .helpers import Download
from .test_programme_pdf import draft_of, published_round

pytestmark = pytest.mark.django_db


def _restricted(response) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    assert not response.has_header("ETag")


def _ready(client: Client, url: str, run_on_commit: Callable) -> object:
    """The response once the PDF exists (a large document's first rendering is queued)."""
    with run_on_commit(execute=True):
        response = client.get(url)
    return response if response.status_code != 202 else client.get(url)


def test_the_working_copy_is_a_download_nobody_stores(
    client: Client,
    seeded: Meeting,
    coordinator: User,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    client.force_login(coordinator)
    url = reverse("drafts:working-copy-pdf", args=[draft_of(seeded).pk])
    _restricted(_ready(client, url, django_capture_on_commit_callbacks))


def test_a_report_preview_is_a_download_nobody_stores(
    client: Client,
    seeded: Meeting,
    coordinator: User,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    round_ = published_round(seeded, coordinator, ["Uwaga przed publikacją."])
    Round.objects.filter(pk=round_.pk).update(status=Phase.SETTLED)
    client.force_login(coordinator)
    url = reverse("drafts:round-report-pdf", args=[round_.pk])
    _restricted(_ready(client, url, django_capture_on_commit_callbacks))


def test_a_draft_meetings_annex_is_a_download_nobody_stores(
    client: Client, seeded: Meeting, moderator: User
) -> None:
    Meeting.objects.filter(pk=seeded.pk).update(status=Meeting.Status.DRAFT)
    client.force_login(moderator)
    _restricted(client.get(reverse("pdf:meeting-actions", kwargs={"pk": seeded.pk})))


def test_a_published_document_stays_inline_and_cacheable_under_its_sha256(
    client: Client, seeded: Meeting, django_capture_on_commit_callbacks: Callable
) -> None:
    url = reverse("pdf:meeting-actions", kwargs={"pk": seeded.pk})
    response = _ready(client, url, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    body = b"".join(response.streaming_content)
    publication = Publication.objects.get()
    # The ETag is the file's content hash, which the page shows; never its storage name.
    assert response["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"' == f'"{publication.sha256}"'
    assert client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def urls_in_mode(request: pytest.FixtureRequest, settings: pytest.FixtureRequest) -> Iterator[bool]:
    """The root URLs as they are built with DEBUG off and on (they are read at import)."""
    import krakow_ngo.urls

    settings.DEBUG = request.param
    importlib.reload(krakow_ngo.urls)
    clear_url_caches()
    yield request.param
    settings.DEBUG = False
    importlib.reload(krakow_ngo.urls)
    clear_url_caches()


def test_a_stored_file_is_not_served_at_its_storage_path_in_any_mode(
    client: Client, download: Download, seeded: Meeting, coordinator: User, urls_in_mode: bool
) -> None:
    client.force_login(coordinator)
    download(client, reverse("drafts:working-copy-pdf", args=[draft_of(seeded).pk]))
    rendering = PdfRendering.objects.get(status=PdfRendering.Status.DONE)
    assert rendering.file.storage.exists(rendering.file.name)
    assert rendering.file.name == f"pdf/{rendering.key}.pdf"
    for path in (f"/media/{rendering.file.name}", f"/media/pdf/{rendering.key}.pdf"):
        assert Client().get(path).status_code == 404
        assert client.get(path).status_code == 404
