"""Issue 16, item 4: after logging in each role lands on its account page, which says what the
person can do now (from the same permission predicates the views ask), with links."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from teams.models import Meeting, Membership, Organisation, Representation, User

pytestmark = pytest.mark.django_db

PASSWORD = "demo-krakow-2011"


def landing(client: Client, user: User) -> str:
    client.force_login(user)
    return client.get(reverse("teams:my-account")).content.decode()


def status(html: str) -> str:
    found = re.search(r'id="contribution-status"[^>]*>(.*?)</div>', html, re.S)
    assert found, "the page answers whether one can contribute"
    return " ".join(found.group(1).split())


def test_a_moderator_logging_in_lands_on_a_page_that_says_what_they_moderate(
    client: Client, moderator: User, seeded: Meeting
) -> None:
    response = client.post(
        reverse("account_login"), {"login": moderator.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("teams:my-account")
    html = client.get(response["Location"]).content.decode()
    assert status(html).startswith("Tak. Oto, co możesz teraz robić")
    assert "Jeszcze nie" not in html
    team = seeded.team
    assert f"Moderator zespołu branżowego {team.name}" in html
    assert f'href="{reverse("teams:team-members", kwargs={"slug": team.slug})}"' in html
    assert f'href="{reverse("teams:meeting-create", kwargs={"slug": team.slug})}"' in html
    assert f'href="{reverse("consultations:moderation-queue")}"' in html


def test_the_coordinating_team_is_shown_its_pages(client: Client, coordinator: User) -> None:
    html = landing(client, coordinator)
    assert status(html).startswith("Tak.")
    assert "Zespół Koordynujący" in html
    for name in (
        "teams:coordination",
        "consultations:round-create",
        "drafts:draft-list",
        "teams:people",
    ):
        assert f'href="{reverse(name)}"' in html, name


def test_a_representative_who_is_in_a_team_is_told_both(client: Client, member: User) -> None:
    organisation = Representation.objects.active().get(user=member).organisation
    html = landing(client, member)
    assert status(html).startswith("Tak.")
    assert f"W imieniu organizacji {organisation.name}" in html
    assert "Zgłaszasz w jej imieniu uwagi w rundach konsultacji" in html
    assert f'href="{reverse("consultations:round-list")}"' in html
    assert f'href="{reverse("consultations:my-comments")}"' in html
    assert "Członek zespołu branżowego" in html
    assert "Moderator zespołu" not in html
    assert f'href="{reverse("consultations:round-create")}"' not in html


def test_an_expert_is_told_they_comment_as_an_expert(client: Client, expert: User) -> None:
    html = landing(client, expert)
    assert status(html).startswith("Tak.")
    assert "Zgłaszasz uwagi w rundach konsultacji jako ekspert" in html
    assert "jako urzędnik miejski" not in html
    assert f'href="{reverse("consultations:round-list")}"' in html


def test_a_city_official_is_told_they_comment_as_an_official(
    client: Client, official: User
) -> None:
    html = landing(client, official)
    assert status(html).startswith("Tak.")
    assert "Zgłaszasz uwagi w rundach konsultacji jako urzędnik miejski" in html
    assert "jako ekspert" not in html


def test_a_member_awaiting_approval_is_told_not_yet_and_what_waits(
    client: Client, seeded: Meeting
) -> None:
    newcomer = User.objects.create_user("czeka@example.org", "a-long-Passw0rd-for-tests")
    organisation = Organisation.objects.create(name="Fundacja Czekająca", nip="5261040828")
    Representation.objects.create(user=newcomer, organisation=organisation)
    html = landing(client, newcomer)
    assert status(html).startswith("Jeszcze nie.")
    assert "Moderator" not in html
    assert f'href="{reverse("consultations:round-create")}"' not in html


def test_the_page_follows_the_rules_not_the_memberships_alone(client: Client, member: User) -> None:
    """A team member whose organisation is no longer verified reads the workspace but may not
    add to it (teams.permissions.can_contribute), and the page says so."""
    Organisation.objects.filter(representations__user=member).update(verified_at=None)
    assert Membership.objects.filter(user=member, status="approved").exists()
    html = landing(client, member)
    assert status(html).startswith("Jeszcze nie.")
    assert "W imieniu organizacji" not in html
    assert "Możesz czytać jego przestrzeń roboczą" in html


def test_a_next_address_still_wins_over_the_landing_page(client: Client, member: User) -> None:
    response = client.post(
        reverse("account_login") + "?next=/teams/",
        {"login": member.email, "password": PASSWORD},
    )
    assert response["Location"] == "/teams/"
