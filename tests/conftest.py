"""Fixtures shared by the whole suite: the seeded demo data and one persona per role."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from teams.models import Meeting, User

DEMO_PASSWORD = "demo-krakow-2011"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Pages, comment lists and rate-limit counters are cached; each test starts afresh, so
    that no test is served a page another test left behind (SQLite reuses primary keys)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Stored files go to the test's own folder, not var/media: publishing a programme version
    renders its PDF after the commit (eagerly without a broker), so every test that seeds with
    commits (browser tests) makes one."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def seeded(db: None) -> Meeting:
    """The seeds loaded by `seed_demo`; returns the meeting of 6 July 2011."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Meeting.objects.get(date="2011-07-06")


@pytest.fixture
def coordinator(seeded: Meeting) -> User:
    return User.objects.get(email="koordynator@example.org")


@pytest.fixture
def moderator(seeded: Meeting) -> User:
    return User.objects.get(email="moderator@example.org")


@pytest.fixture
def member(seeded: Meeting) -> User:
    return User.objects.get(email="ngo@example.org")


@pytest.fixture
def expert(seeded: Meeting) -> User:
    return User.objects.get(email="ekspert@example.org")


@pytest.fixture
def official(seeded: Meeting) -> User:
    return User.objects.get(email="urzednik@example.org")
