"""Fixtures for accounts, organisations and roles: a newcomer, an English client, a clean cache."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client

from teams.models import Meeting, User

PASSWORD = "a-long-Passw0rd-for-tests"  # noqa: S105


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """allauth keeps its rate-limit counters in the cache: each test starts from zero and leaves
    nothing behind for the tests after it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def en_client(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def newcomer(seeded: Meeting) -> User:
    """Signed up and verified, but represents no organisation and is in no team."""
    user = User.objects.create_user("nowy@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client
