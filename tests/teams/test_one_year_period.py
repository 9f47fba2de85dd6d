"""A one-year period is named by its year: an annual programme reads "2028" on its pages and
"Program realizowany jest w roku 2028." in its working copy, a multi-year one "2029–2033" and
"w latach 2029–2033"."""

from __future__ import annotations

import pytest

from drafts.models import DraftElement, DraftParagraph
from teams.models import Programme, ProgrammeKind
from tests.confirm import CONFIRMED

from .conftest import login

pytestmark = pytest.mark.django_db


def _start(client, coordinator, kind: str, first: str, last: str) -> Programme:
    response = login(client, coordinator).post(
        "/programmes/new/",
        {
            "kind": kind,
            "title": f"Program współpracy {first}",
            "period_start": first,
            "period_end": last,
            "working_copy": "template",
            **CONFIRMED,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Programme.objects.get(period_start=int(first))


def _period_paragraphs(programme: Programme) -> list[str]:
    return list(
        DraftParagraph.objects.filter(
            section__draft__programme=programme, section__element=DraftElement.PERIOD
        ).values_list("text", flat=True)
    )


def test_an_annual_programme_is_named_by_its_year(client, coordinator, seeded):
    programme = _start(client, coordinator, ProgrammeKind.ANNUAL, "2028", "")
    assert programme.period == "2028"
    assert _period_paragraphs(programme) == ["Program realizowany jest w roku 2028."]
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "2028–2028" not in page
    assert "roczny, 2028." in page
    from drafts import services as draft_services
    from drafts.models import ProgrammeDraft

    draft = ProgrammeDraft.objects.get(programme=programme)
    version = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    assert version.snapshot["period"] == "2028"
    assert '<li class="breadcrumb-item active" aria-current="page">2028</li>' in page
    assert "2028–2028" not in client.get("/programmes/").content.decode()


def test_a_multi_year_programme_is_named_by_its_years(client, coordinator, seeded):
    programme = _start(client, coordinator, ProgrammeKind.MULTI_YEAR, "2029", "2033")
    assert programme.period == "2029–2033"
    assert _period_paragraphs(programme) == ["Program realizowany jest w latach 2029–2033."]
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "wieloletni, 2029–2033." in page


@pytest.mark.parametrize(
    ("kind", "first", "last", "expected", "unexpected"),
    [
        (ProgrammeKind.ANNUAL, "2028", "", "for the year 2028 must end", "2028–2028"),
        (ProgrammeKind.MULTI_YEAR, "2029", "2033", "for 2029–2033 must end", "for the year"),
    ],
)
def test_the_home_page_names_the_period_by_its_length(
    client, coordinator, seeded, kind, first, last, expected, unexpected
):
    _start(client, coordinator, kind, first, last)
    client.cookies["django_language"] = "en"
    page = " ".join(client.get("/").content.decode().split())
    assert expected in page
    assert unexpected not in page
