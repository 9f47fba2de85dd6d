from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from documents.models import Publication
from documents.publications import publication_render
from teams.models import Meeting, User

from .helpers import Download


@pytest.fixture(autouse=True)
def media_root(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Renderings are stored in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def download(django_capture_on_commit_callbacks: Callable) -> Download:
    """GET a PDF and return its bytes. A document the view hands to the Celery task (the
    programme's first rendering: 202 and the progress page) is made by running the queued task,
    as the worker would after the commit, and asked for again."""

    def get(client: Client, url: str) -> bytes:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(url)
        if response.status_code == 202:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        assert response["Content-Type"] == "application/pdf"
        return b"".join(response.streaming_content)

    return get


@pytest.fixture
def work_in_progress(client: Client, seeded: Meeting) -> Meeting:
    """The meeting's results are not published yet and the coordinating team looks at them:
    its annex is the live document, made through the PDF cache (a published one is a frozen
    publication, see test_publications.py)."""
    Meeting.objects.filter(pk=seeded.pk).update(status=Meeting.Status.CLOSED)
    seeded.refresh_from_db()
    client.force_login(User.objects.get(email="koordynator@example.org"))
    return seeded


def render_pending_publications() -> None:
    """What the worker does after a publication is frozen (its task is queued on commit,
    which a test's transaction never reaches)."""
    pending = Publication.objects.exclude(status=Publication.Status.DONE)
    for pk in pending.values_list("pk", flat=True):
        publication_render(publication_id=pk)
