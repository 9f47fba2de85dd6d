"""The open data of an adopted programme: its evaluation figures with counts as JSON integers
and amounts as decimal strings, and the council's resolution on the adopted version, without
the person who recorded it."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from drafts import services as draft_services
from drafts.models import DraftVersion
from implementation import services
from teams.models import Meeting, Programme, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(seeded: Meeting) -> Programme:
    return seeded.team.programme


def _adopt(programme: Programme, coordinator: User) -> DraftVersion:
    version = DraftVersion.objects.get(draft__programme=programme, number=1)
    return draft_services.draft_version_adopt(
        actor=coordinator,
        version=version,
        number="XXI/123/11",
        date=timezone.localdate(),
        url="https://www.bip.krakow.pl/?dok_id=167&sub_dok_id=167",
    )


def test_counts_are_integers_and_amounts_decimal_strings(
    client: Client, programme: Programme, coordinator: User, official: User
) -> None:
    _adopt(programme, coordinator)
    services.figures_save(
        actor=official,
        programme=programme,
        year=2012,
        figures=[
            services.FigureEntry("offers", "", Decimal(412), "Rejestr ofert"),
            services.FigureEntry("funds_spent", "", Decimal("41250000.5"), "Wykonanie budżetu"),
            services.FigureEntry("funds_planned", "", Decimal(45000000), "Budżet miasta"),
            services.FigureEntry("other", "Liczba godzin", Decimal("12.5"), "Sprawozdania"),
        ],
    )
    # Before the year's report is published its figures are its draft: not open data.
    assert client.get("/api/v1/programme-figures/", {"year": 2012}).json()["results"] == []
    services.report_publish(actor=coordinator, programme=programme, year=2012)
    rows = client.get("/api/v1/programme-figures/", {"year": 2012}).json()["results"]
    values = {row["kind"]: row["value"] for row in rows}
    assert values == {
        "offers": 412,
        "funds_spent": "41250000.50",
        "funds_planned": "45000000.00",
        "other": "12.50",
    }
    # As JSON: a number without quotes for the count, a string for the amounts.
    body = client.get("/api/v1/programme-figures/", {"year": 2012, "kind": "offers"}).content
    assert b'"value":412,' in body
    (offers,) = [row for row in rows if row["kind"] == "offers"]
    assert client.get(f"/api/v1/programme-figures/{offers['id']}/").json()["value"] == 412


def test_the_schema_says_which_figures_are_integers_and_still_validates(client: Client) -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    # Served, as JSON and YAML, with the descriptions.
    served = client.get("/api/schema/", {"format": "json"}).json()
    assert served["components"]["schemas"]["ProgrammeFigure"]["properties"]["value"][
        "description"
    ].startswith("A count (kinds organisations")
    assert b"adoption_recorded_at:" in client.get("/api/schema/").content
    value = schema["components"]["schemas"]["ProgrammeFigure"]["properties"]["value"]
    assert [option["type"] for option in value["oneOf"]] == ["integer", "string"]
    version = schema["components"]["schemas"]["ProgrammeVersion"]["properties"]
    for name in (
        "resolution_number",
        "resolution_date",
        "resolution_url",
        "adoption_recorded_at",
        "adopted_pdf_url",
    ):
        assert version[name]["nullable"] is True, name
    assert "adopted_by" not in version


def test_an_adopted_version_names_its_resolution_but_not_who_recorded_it(
    client: Client, programme: Programme, coordinator: User
) -> None:
    version = DraftVersion.objects.get(draft__programme=programme, number=1)
    url = f"/api/v1/programme-versions/{version.pk}/"
    before = client.get(url).json()
    assert before["adopted"] is False
    assert [
        before[name]
        for name in (
            "resolution_number",
            "resolution_date",
            "resolution_url",
            "adoption_recorded_at",
            "adopted_pdf_url",
        )
    ] == [None] * 5

    version = _adopt(programme, coordinator)
    row = client.get(url).json()
    assert row["adopted"] is True
    assert row["resolution_number"] == "XXI/123/11"
    assert row["resolution_date"] == timezone.localdate().isoformat()
    assert row["resolution_url"] == "https://www.bip.krakow.pl/?dok_id=167&sub_dok_id=167"
    # The binding annex to the resolution, beside the draft's PDF (which says PROJEKT).
    assert row["adopted_pdf_url"].endswith(f"/programme-draft/versions/{version.pk}/adopted.pdf")
    assert row["pdf_url"].endswith(f"/programme-draft/versions/{version.pk}.pdf")
    assert client.get(row["adopted_pdf_url"]).status_code in (200, 202)  # 202: being rendered
    assert version.adopted_at is not None
    recorded = timezone.localtime(version.adopted_at).isoformat()
    assert row["adoption_recorded_at"] == recorded
    # The list says the same.
    listed = client.get("/api/v1/programme-versions/", {"page_size": 200}).json()["results"]
    assert [r for r in listed if r["id"] == version.pk] == [row]
    # Never the coordinator who recorded it (personal data).
    assert "adopted_by" not in row
    text = json.dumps(listed, ensure_ascii=False)
    for personal in (coordinator.email, coordinator.get_full_name()):
        assert personal and personal not in text
