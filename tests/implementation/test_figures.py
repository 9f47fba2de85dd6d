"""Item 2 of issue 18: the programme's own evaluation figures (art. 5a ust. 4 pkt 9), entered
per year with the source of each, by officials and the coordinating team; shown publicly."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from implementation import services
from implementation.models import ProgrammeFigure
from teams.models import Programme, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def _url(programme: Programme, year: int) -> str:
    return reverse("implementation:figures", args=[programme.pk, year])


def test_officials_enter_the_years_figures_with_their_sources(
    adopted: Programme, official: User, member: User, as_user: Login
) -> None:
    response = as_user(official).post(
        _url(adopted, 2012),
        {
            "value_organisations": "154",
            "source_organisations": "Rejestr współpracy WPS",
            "value_funds_spent": "1250000.50",
            "source_funds_spent": "Sprawozdanie z wykonania budżetu",
            "other_name": "Liczba zespołów branżowych",
            "value_other": "12",
            "source_other": "Zarządzenie Prezydenta",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    figures = {
        f.label: (f.value, f.source) for f in ProgrammeFigure.objects.filter(programme=adopted)
    }
    assert figures == {
        "organisations cooperating with the city": (Decimal(154), "Rejestr współpracy WPS"),
        "funds spent (PLN)": (Decimal("1250000.50"), "Sprawozdanie z wykonania budżetu"),
        "Liczba zespołów branżowych": (Decimal(12), "Zarządzenie Prezydenta"),
    }
    assert AuditEntry.objects.filter(action="programme_figure.save").exists()
    # Shown again as typed: a count without decimals, an amount with the Polish comma.
    client = as_user(official)
    client.cookies["django_language"] = "pl"
    form = client.get(_url(adopted, 2012)).content.decode()
    assert 'name="value_organisations" value="154"' in form
    assert 'name="value_funds_spent" value="1250000,50"' in form
    # The year's figures are its report's draft: on the programme's page for those who enter
    # them, for everyone once the year's report is published (as in the open-data API).
    programme_page = reverse("implementation:programme", args=[adopted.pk])
    assert "Rejestr współpracy WPS" in as_user(official).get(programme_page).content.decode()
    for person in (None, member):
        text = as_user(person).get(programme_page).content.decode()
        assert "Rejestr współpracy WPS" not in text and "Zarządzenie Prezydenta" not in text
    # Emptied again: the figure is removed.
    as_user(official).post(
        _url(adopted, 2012),
        {"value_funds_spent": "1250000.50", "source_funds_spent": "Sprawozdanie"},
    )
    assert ProgrammeFigure.objects.filter(programme=adopted).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value_offers": "-4", "source_offers": "Generator ofert"}, "cannot be negative"),
        ({"value_offers": "4.5", "source_offers": "Generator ofert"}, "whole number"),
        ({"value_contracts": "30"}, "needs its source"),
        ({"value_other": "3", "source_other": "X"}, "needs its name"),
    ],
)
def test_bad_figures_are_refused_with_nothing_stored(
    adopted: Programme, official: User, as_user: Login, data: dict[str, str], message: str
) -> None:
    response = as_user(official).post(_url(adopted, 2013), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProgrammeFigure.objects.exists()


def test_a_year_outside_the_period_and_people_without_the_role_are_refused(
    adopted: Programme, member: User, as_user: Login
) -> None:
    assert as_user(member).post(_url(adopted, 2013), {}).status_code == 403
    response = as_user(member).get(_url(adopted, 2011))
    assert response.status_code == 404
    assert not ProgrammeFigure.objects.exists()


def test_a_years_figures_are_public_once_its_report_is_published(
    adopted: Programme, official: User, coordinator: User, as_user: Login
) -> None:
    as_user(official).post(
        _url(adopted, 2012),
        {"value_organisations": "154", "source_organisations": "Rejestr współpracy WPS"},
    )
    programme_page = reverse("implementation:programme", args=[adopted.pk])
    assert "Rejestr współpracy WPS" not in as_user(None).get(programme_page).content.decode()
    services.report_publish(actor=coordinator, programme=adopted, year=2012)
    text = as_user(None).get(programme_page).content.decode()
    assert "Rejestr współpracy WPS" in text and "154" in text
