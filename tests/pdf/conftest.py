from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def media_root(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Renderings are stored in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client
