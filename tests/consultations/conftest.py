"""Rounds in every phase, built through the real services where the clock allows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from consultations import services
from consultations.models import AuthorRole, Comment, Round
from consultations.phases import Phase
from teams.models import Meeting, Organisation, Representation, User

DAY = dt.timedelta(days=1)

PHASES = [
    Phase.DRAFT,
    Phase.ANNOUNCED,
    Phase.OPEN,
    Phase.CLOSED,
    Phase.SETTLED,
    Phase.REPORT_PUBLISHED,
]


@pytest.fixture
def make_round(seeded: Meeting, coordinator: User) -> Callable[..., Round]:
    def make(phase: str = Phase.OPEN, **fields: object) -> Round:
        now = timezone.now()
        opens, closes, status = {
            Phase.DRAFT: (now + DAY, now + 10 * DAY, Phase.DRAFT),
            Phase.ANNOUNCED: (now + DAY, now + 10 * DAY, Phase.ANNOUNCED),
            Phase.OPEN: (now - DAY, now + 10 * DAY, Phase.ANNOUNCED),
            Phase.CLOSED: (now - 10 * DAY, now - DAY, Phase.ANNOUNCED),
            Phase.SETTLED: (now - 10 * DAY, now - DAY, Phase.SETTLED),
            Phase.REPORT_PUBLISHED: (now - 10 * DAY, now - DAY, Phase.REPORT_PUBLISHED),
        }[phase]
        data = {
            "title": f"Test round ({phase})",
            "meeting": seeded,
            "goal": "Goal",
            "subject": "Subject",
            "scope_and_forms": "Written comments",
            "responsible_office": "MOWIS",
            "contact": "mowis@example.org",
            "opens_at": opens,
            "closes_at": closes,
            **fields,
        }
        round_ = services.round_create(actor=coordinator, **data)
        Round.objects.filter(pk=round_.pk).update(status=status)
        round_.refresh_from_db()
        assert round_.phase == phase
        return round_

    return make


@pytest.fixture
def open_round(make_round: Callable[..., Round]) -> Round:
    return make_round(Phase.OPEN)


@pytest.fixture
def closed_round(make_round: Callable[..., Round]) -> Round:
    return make_round(Phase.CLOSED)


@pytest.fixture
def second_coordinator(seeded: Meeting) -> User:
    """Another member of the coordinating team (nobody decides on their own comment)."""
    return User.objects.create_user(
        email="koordynatorka2@example.org", password="x", is_coordinator=True
    )


@pytest.fixture
def member_org(member: User) -> Organisation:
    return Representation.objects.get(user=member).organisation


@pytest.fixture
def other_rep(seeded: Meeting) -> User:
    """fundacja@example.org: the approved representative of another verified organisation."""
    return User.objects.get(email="fundacja@example.org")


@pytest.fixture
def unverified(seeded: Meeting) -> User:
    """Logged in, but represents no verified organisation and holds no role."""
    return User.objects.create_user("nobody@example.org", "pw-nobody-123")


@pytest.fixture
def make_comment(member: User, member_org: Organisation) -> Callable[..., Comment]:
    def make(round_: Round, text: str = "A comment", **fields: object) -> Comment:
        data = {
            "round": round_,
            "author": member,
            "author_role": AuthorRole.ORGANISATION,
            "organisation": member_org,
            "text": text,
            **fields,
        }
        return Comment.objects.create(**data)

    return make


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def as_user() -> Callable[[User | None], Client]:
    def login(user: User | None) -> Client:
        client = english(Client())
        if user is not None:
            client.force_login(user)
        return client

    return login
