from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

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
