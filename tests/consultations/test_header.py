"""The page header's "Coordination" link asks the coordinating team's predicate
(teams.permissions.is_coordinator, through krakow_ngo.context_processors), not a copy of it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def test_the_header_asks_the_coordinating_team_predicate(
    as_user: Login,
    coordinator: User,
    member: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    link = 'href="/coordination/"'
    assert link in as_user(coordinator).get("/consultations/").content.decode()
    assert link not in as_user(member).get("/consultations/").content.decode()
    User.objects.filter(pk=member.pk).update(is_superuser=True)
    assert link in as_user(member).get("/consultations/").content.decode()
    monkeypatch.setattr("krakow_ngo.context_processors.is_coordinator", lambda user: True)
    assert link in as_user(None).get("/consultations/").content.decode()
