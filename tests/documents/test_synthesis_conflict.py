"""Two coordinators editing a round's synthesis at once: the second save is refused (409)
with both texts shown, and nothing is overwritten (the version-token pattern of settling)."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from django.test import Client

from consultations.models import Round
from consultations.phases import Phase
from core.models import AuditEntry
from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def _version(client: Client, round_: Round) -> str:
    page = client.get(f"/consultations/{round_.pk}/settle/").content.decode()
    marker = 'name="synthesis_version" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_the_second_of_two_concurrent_saves_is_refused_showing_both_texts(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.SETTLED)
    second = User.objects.create_user("second@example.org", "pw-second-123", is_coordinator=True)
    first_client, second_client = as_user(coordinator), as_user(second)
    seen_by_first = _version(first_client, round_)
    seen_by_second = _version(second_client, round_)
    url = f"/consultations/{round_.pk}/synthesis/"
    response = first_client.post(
        url, {"synthesis": "Tekst pierwszej osoby.", "synthesis_version": seen_by_first}
    )
    assert response.status_code == 302
    response = second_client.post(
        url, {"synthesis": "Tekst drugiej osoby.", "synthesis_version": seen_by_second}
    )
    assert response.status_code == 409
    content = html.unescape(response.content.decode())
    assert "Someone else saved the synthesis meanwhile" in content
    assert "Tekst pierwszej osoby." in content
    assert "Tekst drugiej osoby." in content
    round_.refresh_from_db()
    assert round_.synthesis == "Tekst pierwszej osoby."
    assert AuditEntry.objects.filter(action="round.synthesis").count() == 1
    # The conflict page's form is armed with the current version: a deliberate save wins.
    current = content.split('name="synthesis_version" value="')[1].split('"')[0]
    response = second_client.post(
        url, {"synthesis": "Tekst uzgodniony.", "synthesis_version": current}
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.synthesis == "Tekst uzgodniony."


def test_a_form_without_its_version_saves_nothing(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.SETTLED)
    response = as_user(coordinator).post(
        f"/consultations/{round_.pk}/synthesis/", {"synthesis": "Bez wersji"}, follow=True
    )
    assert "reload the page" in response.content.decode()
    round_.refresh_from_db()
    assert round_.synthesis == ""
