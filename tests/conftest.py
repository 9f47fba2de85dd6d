"""Fixtures shared by the whole suite: the seeded demo data and one persona per role."""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django import DjangoDbBlocker

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
    renders its PDF after the commit (eagerly without a broker), so every test that publishes
    with commits (browser tests) makes one."""
    settings.MEDIA_ROOT = tmp_path / "media"


# The demo seed is loaded once per test database, not once per test.
#
# `django_db_setup` migrates the test database and then runs `seed_demo` on it (committed), so
# every test that uses the database starts from the seeded state:
# - a `db` test runs in a transaction that is rolled back, so it leaves the seed as it found it;
# - a transactional test (`transactional_db`, `live_server`, `django_db(transaction=True)`)
#   commits, and Django empties every table after it; the hooks below then load the seed again
#   before the next test that uses the database, whatever order the tests run in.
# The seed is loaded the way a `db` test used to load it: its on-commit callbacks (the PDF of
# the published programme version, the outbox sweep) are dropped, never run.

_TABLES_FILLED_BY_MIGRATE = pytest.StashKey[frozenset[str]]()
_RESEED = pytest.StashKey[Callable[[], None]]()
_SEED_GONE = pytest.StashKey[bool]()


def _load_seed() -> None:
    from django.db import connection, transaction

    with transaction.atomic(), open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)
        # A `db` test never committed the seed, so these never ran; keep it that way.
        connection.run_on_commit.clear()


def _tables_with_rows() -> frozenset[str]:
    from django.db import connection

    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        filled = set()
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                filled.add(table)
    return frozenset(filled)


def _uses_database(item: pytest.Item) -> tuple[bool, bool]:
    """(uses the database, transactionally): pytest-django's own reading of a test (the suite
    has no Django TestCase classes)."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transactional = any(
        name in fixtures
        for name in ("transactional_db", "live_server", "django_db_reset_sequences")
    )
    if marker is not None:
        from pytest_django.plugin import validate_django_db

        transaction, reset_sequences, *_ = validate_django_db(marker)
        transactional = transactional or transaction or reset_sequences
    uses = marker is not None or transactional or "db" in fixtures
    return uses, transactional


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[None]:
    """pytest-django's test database (migrated as usual), then the demo seed, once."""
    with django_db_blocker.unblock():
        request.config.stash[_TABLES_FILLED_BY_MIGRATE] = _tables_with_rows()
        _load_seed()

    def reseed() -> None:
        with django_db_blocker.unblock():
            _load_seed()

    request.config.stash[_RESEED] = reseed
    yield
    del request.config.stash[_RESEED]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    uses, _ = _uses_database(item)
    reseed = item.config.stash.get(_RESEED, None)
    if uses and reseed is not None and item.config.stash.get(_SEED_GONE, False):
        reseed()
        item.config.stash[_SEED_GONE] = False
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    try:
        return (yield)
    finally:
        # Django flushed every table after a transactional test: the seed is gone.
        if _uses_database(item)[1]:
            item.config.stash[_SEED_GONE] = True


@pytest.fixture
def unseeded(request: pytest.FixtureRequest, db: None) -> None:
    """The test database as `migrate` left it, without the seed: every table that `migrate`
    left empty is emptied again, inside the test's transaction (so rolled back afterwards).
    The tables `migrate` filled (content types, permissions, the site) are kept as they are."""
    from django.core.management.color import no_style
    from django.db import connection

    filled = request.config.stash[_TABLES_FILLED_BY_MIGRATE]
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    statements = connection.ops.sql_flush(
        no_style(), [t for t in tables if t not in filled], reset_sequences=False
    )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@pytest.fixture
def seeded(db: None) -> Meeting:
    """The seeds loaded by `seed_demo` (once per test database); returns the meeting of
    6 July 2011."""
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
