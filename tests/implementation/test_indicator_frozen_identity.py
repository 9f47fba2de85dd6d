"""Once a year's implementation report is published, an indicator with a value in that year
keeps its name and unit (implementation.rules.check_indicator_identity): renamed, the
published values would read as another measure on the action's page, in the API and the CSV
while the frozen report says otherwise. The form shows the message beside the field and keeps
what was typed; the service refuses too; its other corrections stay allowed."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action
from core.models import AuditEntry
from implementation import rules, services
from implementation.models import Indicator
from teams.models import Meeting, Programme, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
PUBLISHED, OPEN = 2012, 2013
NAME, UNIT = "Kwota dotacji na promocję", "zł"


@pytest.fixture
def action(seeded: Meeting) -> Action:
    return Action.objects.get(meeting=seeded, number=1)


def _publish(programme: Programme, coordinator: User) -> None:
    services.report_publish(
        actor=coordinator, programme=programme, year=PUBLISHED, reason="Brak danych."
    )


@pytest.fixture
def reported(adopted: Programme, action: Action, official: User, coordinator: User) -> Indicator:
    """An indicator with its planned and achieved value of 2012, whose report is published."""
    indicator = services.indicator_add(
        actor=official,
        action=action,
        name=NAME,
        unit=UNIT,
        planned={PUBLISHED: Decimal(5000), OPEN: Decimal(6000)},
    )
    services.action_year_save(
        actor=official,
        action=action,
        year=PUBLISHED,
        status="done",
        comment="",
        achieved={indicator.pk: (Decimal(4800), "Sprawozdanie finansowe")},
    )
    _publish(adopted, coordinator)
    return indicator


def _edit(indicator: Indicator) -> str:
    return reverse("implementation:indicator-edit", args=[indicator.pk])


def _post(name: str, unit: str, **planned: str) -> dict[str, str]:
    data = {"name": name, "unit": unit, f"planned_{PUBLISHED}": "5000", f"planned_{OPEN}": "6000"}
    data.update({f"planned_{year[1:]}": value for year, value in planned.items()})
    return data


def test_it_refuses_to_rename_an_indicator_of_a_published_year_beside_the_field(
    reported: Indicator, official: User, as_user: Login
) -> None:
    typed = "Liczba odwiedzających punkt MOWIS"
    response = as_user(official).post(_edit(reported), _post(typed, UNIT))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "The implementation report for 2012 is published" in errors["name"][0]
    assert "unit" not in errors
    assert f'value="{typed}"' in response.content.decode()  # what was typed is kept
    reported.refresh_from_db()
    assert (reported.name, reported.unit) == (NAME, UNIT)
    assert not AuditEntry.objects.filter(action="indicator.edit").exists()


def test_it_refuses_to_change_the_unit_of_an_indicator_of_a_published_year(
    reported: Indicator, official: User, as_user: Login
) -> None:
    response = as_user(official).post(_edit(reported), _post(NAME, "osoby"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "its name and unit cannot change any more" in errors["unit"][0]
    assert "name" not in errors
    assert 'value="osoby"' in response.content.decode()
    reported.refresh_from_db()
    assert reported.unit == UNIT


def test_the_service_refuses_it_whatever_the_page_let_through(
    reported: Indicator, coordinator: User
) -> None:
    with pytest.raises(rules.IndicatorFrozen) as refused:
        services.indicator_edit(
            actor=coordinator,
            indicator=reported,
            name="Liczba odwiedzających punkt MOWIS",
            unit="osoby",
            planned={OPEN: Decimal(6000)},
        )
    assert refused.value.fields == ["name", "unit"]
    reported.refresh_from_db()
    assert (reported.name, reported.unit) == (NAME, UNIT)


def test_its_open_years_planned_values_can_still_be_corrected(
    reported: Indicator, official: User, as_user: Login
) -> None:
    response = as_user(official).post(_edit(reported), _post(NAME, UNIT, y2013="6500"))
    assert response.status_code == 302
    assert reported.values.get(year=OPEN).planned == Decimal(6500)
    assert reported.values.get(year=PUBLISHED).planned == Decimal(5000)


def test_an_indicator_without_a_value_in_a_published_year_can_be_renamed(
    adopted: Programme, action: Action, official: User, coordinator: User, as_user: Login
) -> None:
    indicator = services.indicator_add(
        actor=official, action=action, name=NAME, unit=UNIT, planned={OPEN: Decimal(6000)}
    )
    _publish(adopted, coordinator)
    response = as_user(official).post(
        _edit(indicator),
        {"name": "Kwota dotacji", "unit": "PLN", f"planned_{OPEN}": "6000"},
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.unit) == ("Kwota dotacji", "PLN")
