"""A team's name in the page's language: "Branch team for education" in English, never
"Branch team ds. edukacji"; a team without an English name keeps its Polish one, marked
``lang="pl"`` (WCAG 2.1 SC 3.1.2) so that a screen reader reads it in Polish. Documents that
are Polish by law stay Polish."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import AuditEntry
from documents.models import Publication
from teams.models import Meeting, Team, User
from teams.services import programme_create

from ..swot.helpers import make_meeting

pytestmark = pytest.mark.django_db

POLISH = "ds. aktywizacji grup zagrożonych wykluczeniem"
ENGLISH = "for the activation of groups at risk of exclusion"


def _page(client: Client, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _without_english_name(seeded: Meeting) -> Team:
    Team.objects.filter(pk=seeded.team_id).update(name_en="")
    return Team.objects.get(pk=seeded.team_id)


def test_it_gives_the_full_name_in_the_active_language(seeded: Meeting) -> None:
    team = seeded.team
    with translation.override("en"):
        assert str(team) == team.display_name == f"Branch team {ENGLISH}"
        assert team.page_name.lang == ""
    with translation.override("pl"):
        assert str(team) == f"Zespół Branżowy {POLISH}"
        assert team.page_name.lang == ""
    team.name_en = ""
    with translation.override("en"):
        assert str(team) == f"Branch team {POLISH}"
        assert team.page_name.lang == "pl"


def test_an_english_page_names_the_team_in_english(client: Client, seeded: Meeting) -> None:
    body = _page(client, seeded.team.get_absolute_url(), "en")
    assert f"<h1>Branch team <bdi>{ENGLISH}</bdi></h1>" in body
    assert re.search(rf"<title>\s*Branch team {ENGLISH}\s*·", body)
    assert POLISH not in body


def test_a_polish_page_names_the_team_in_polish(client: Client, seeded: Meeting) -> None:
    body = _page(client, seeded.team.get_absolute_url(), "pl")
    assert f"<h1>Zespół Branżowy <bdi>{POLISH}</bdi></h1>" in body
    assert ENGLISH not in body


# Every public page that names a team.
PAGES = [
    lambda meeting: "/",
    lambda meeting: "/teams/",
    lambda meeting: meeting.team.get_absolute_url(),
    lambda meeting: reverse("teams:programme-detail", args=[meeting.team.programme_id]),
    lambda meeting: meeting.get_absolute_url(),
    lambda meeting: reverse("actions:meeting-actions", args=[meeting.pk]),
    lambda meeting: "/actions/",
]


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_an_english_page_marks_a_name_given_only_in_polish_as_polish(
    client: Client, seeded: Meeting, page: int
) -> None:
    _without_english_name(seeded)
    body = _page(client, PAGES[page](seeded), "en")
    assert f'<bdi lang="pl">{POLISH}</bdi>' in body
    assert f"<bdi>{POLISH}</bdi>" not in body  # nowhere unmarked
    polish_body = _page(client, PAGES[page](seeded), "pl")
    assert f"<bdi>{POLISH}</bdi>" in polish_body
    assert f'lang="pl">{POLISH}' not in polish_body  # the page says it: <html lang="pl">


def test_a_sentence_that_names_the_team_names_it_in_the_pages_language(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    newcomer = User.objects.create_user("nowa@example.org", "x")
    seeded.team.memberships.create(user=newcomer)
    client.force_login(coordinator)
    body = _page(client, reverse("teams:coordination"), "en")
    assert f"nowa@example.org asks to join the team <bdi>{ENGLISH}</bdi>" in body
    assert f'aria-label="Approve: nowa@example.org joins {ENGLISH}"' in body
    _without_english_name(seeded)
    body = _page(client, reverse("teams:coordination"), "en")
    assert f'nowa@example.org asks to join the team <bdi lang="pl">{POLISH}</bdi>' in body


def test_the_coordinating_team_gives_a_team_its_english_name(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    team = _without_english_name(seeded)
    client.force_login(coordinator)
    url = reverse("teams:team-edit", args=[team.slug])
    form = _page(client, url, "en")
    assert 'name="name_en"' in form and 'lang="en"' in form
    response = client.post(
        url,
        {
            "name": team.name,
            "name_en": "  for the activation   of groups at risk of exclusion ",
            "other_names": team.other_names,
            "slug": team.slug,
            "description": team.description,
            "position": team.position,
        },
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name_en == ENGLISH
    assert AuditEntry.objects.filter(action="team.update", target_id=str(team.pk)).exists()
    assert f"<h1>Branch team <bdi>{ENGLISH}</bdi></h1>" in _page(
        client, team.get_absolute_url(), "en"
    )


def test_an_english_name_that_repeats_branch_team_is_refused(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    team = _without_english_name(seeded)
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("teams:team-edit", args=[team.slug]),
        {
            "name": team.name,
            "name_en": "Branch team for seniors",
            "slug": team.slug,
            "position": team.position,
        },
    )
    assert response.status_code == 200
    assert "Give only what follows “Branch team”, e.g. “for culture”." in (
        response.content.decode()
    )
    team.refresh_from_db()
    assert team.name_en == ""


def test_carrying_the_teams_over_keeps_their_english_names(
    seeded: Meeting, coordinator: User
) -> None:
    programme_create(
        actor=coordinator,
        kind=seeded.team.programme.kind,
        title="Nowy program",
        period_start=2015,
        period_end=2017,
        carry_over_teams=True,
    )
    carried = Team.objects.get(programme__period_start=2015, name=POLISH)
    assert carried.name_en == ENGLISH


def test_the_annex_page_is_english_and_its_pdf_stays_polish(
    client: Client, seeded: Meeting
) -> None:
    """The annex, as a PDF, is in the portal's language (documents.meeting_annex); its page
    follows the visitor's, in each language frozen at publication (documents.pages)."""
    meeting = make_meeting(seeded.team, status=Meeting.Status.PUBLISHED)
    body = _page(client, reverse("actions:meeting-actions", args=[meeting.pk]), "en")
    assert f"the branch team <bdi>{ENGLISH}</bdi> held on" in body
    publication = Publication.objects.get(kind="meeting-actions", object_id=str(meeting.pk))
    assert POLISH in publication.html and ENGLISH not in publication.html
    assert f"<bdi>{POLISH}</bdi>" in publication.page["pl"]["head"]


def test_the_team_calendar_is_named_in_the_visitors_language(
    client: Client, seeded: Meeting
) -> None:
    body = _page(client, f"/teams/{seeded.team.slug}/calendar.ics", "en")
    assert f"Kraków NGO: branch team {ENGLISH}" in body.replace("\r\n ", "")


def test_the_api_gives_the_english_name_beside_the_polish_one(
    client: Client, seeded: Meeting
) -> None:
    rows = client.get("/api/v1/teams/").json()["results"]
    row = next(r for r in rows if r["slug"] == seeded.team.slug)
    assert (row["name"], row["name_en"]) == (POLISH, ENGLISH)


def test_breadcrumbs_name_the_whole_team(client: Client, seeded: Meeting) -> None:
    """A breadcrumb stands alone: "Branch team for …", never a bare "for …"."""
    body = _page(client, seeded.get_absolute_url(), "en")
    crumbs = body.split('<ol class="breadcrumb">', 1)[1].split("</ol>", 1)[0]
    assert f"Branch team <bdi>{ENGLISH}</bdi>" in crumbs
