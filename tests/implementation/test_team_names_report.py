"""The implementation report names each action's team in the report's language, the Polish
name marked as such where it has no English one (its page and PDF share the partial)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from documents.implementation_report import report_data
from teams.models import Programme, Team, User

pytestmark = pytest.mark.django_db

POLISH = "ds. aktywizacji grup zagrożonych wykluczeniem"
ENGLISH = "for the activation of groups at risk of exclusion"


def _teams(programme: Programme) -> set[tuple[str, str]]:
    return {(a["team"], a["team_lang"]) for a in report_data(programme.pk, 2012)["actions"]}


def test_the_report_names_the_team_in_its_language(adopted: Programme) -> None:
    with translation.override("en"):
        assert _teams(adopted) == {(ENGLISH, "")}
    with translation.override("pl"):
        assert _teams(adopted) == {(POLISH, "")}
    Team.objects.filter(name=POLISH).update(name_en="")
    with translation.override("en"):
        assert _teams(adopted) == {(POLISH, "pl")}


def test_the_report_page_marks_a_polish_only_team_name(
    client: Client, adopted: Programme, coordinator: User
) -> None:
    Team.objects.filter(name=POLISH).update(name_en="")
    client.force_login(coordinator)  # the preview, before the year's report is published
    client.cookies["django_language"] = "en"
    body = client.get(reverse("implementation:report", args=[adopted.pk, 2012])).content.decode()
    assert f'<bdi lang="pl">{POLISH}</bdi>' in body
