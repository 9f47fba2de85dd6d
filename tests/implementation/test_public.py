"""Item 4 of issue 18: public progress — the programme's, a team's and an action's pages with
status and indicators over the years, a chart with an accessible table beside it; the
open-data API, the CSV/XLSX exports and the search."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action
from implementation import services
from teams.models import Meeting, Organisation, Programme, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


@pytest.fixture
def progress(
    adopted: Programme, seeded: Meeting, official: User, member_org: Organisation
) -> Action:
    action = Action.objects.get(meeting=seeded, number=4)
    services.plan_edit(
        actor=official,
        action=action,
        responsible_unit="Miejskie Centrum Dialogu",
        partners=[member_org],
    )
    indicator = services.indicator_add(
        actor=official,
        action=action,
        name="Liczba konsultacji",
        unit="spotkania",
        planned={2012: Decimal(6), 2013: Decimal(8)},
    )
    services.action_year_save(
        actor=official,
        action=action,
        year=2012,
        status="done",
        comment="Wszystkie spotkania odbyte",
        achieved={indicator.pk: (Decimal(7), "Protokoły MCD")},
    )
    services.figures_save(
        actor=official,
        programme=adopted,
        year=2012,
        figures=[services.FigureEntry("contracts", "", Decimal(321), "Rejestr umów")],
    )
    return action


def test_the_pages_show_status_and_indicators_with_a_chart_and_a_table(
    progress: Action, adopted: Programme, as_user: Login
) -> None:
    client = as_user(None)
    pages = [
        reverse("implementation:programme", args=[adopted.pk]),
        reverse("implementation:team", args=[progress.team.slug]),
        reverse("implementation:action", args=[progress.pk]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert '<svg class="implementation-chart"' in body and 'role="img"' in body
        assert "<table" in body
        assert "style=" not in body.split("<main", 1)[1] and "<script>" not in body
        assert "completed" in body
    action_page = client.get(pages[2]).content.decode()
    assert "Protokoły MCD" in action_page and "Liczba konsultacji" in action_page
    team_page = client.get(reverse("teams:team-detail", args=[progress.team.slug])).content.decode()
    assert pages[1] in team_page


def test_the_api_publishes_the_follow_up_and_the_figures(
    progress: Action, adopted: Programme, as_user: Login, coordinator: User
) -> None:
    client = as_user(None)
    data = client.get("/api/v1/implementation/", {"programme": adopted.pk}).json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["action"] == progress.pk
    assert row["responsible_unit"] == "Miejskie Centrum Dialogu"
    assert row["years"] == [
        {"year": 2012, "status": "done", "comment": "Wszystkie spotkania odbyte"}
    ]
    values = row["indicators"][0]["values"]
    assert {
        "year": 2012,
        "planned": "6.00",
        "achieved": "7.00",
        "source": "Protokoły MCD",
    } in values
    # The year's evaluation figures are its report's: open data once it is published.
    assert client.get("/api/v1/programme-figures/", {"year": 2012}).json()["results"] == []
    services.report_publish(actor=coordinator, programme=adopted, year=2012)
    figures = client.get("/api/v1/programme-figures/", {"year": 2012}).json()
    assert [(f["kind"], f["value"], f["source"]) for f in figures["results"]] == [
        ("contracts", 321, "Rejestr umów")  # a count: an integer
    ]
    assert client.get("/api/v1/implementation/", {"programme": "x"}).status_code == 400


def test_the_exports_hold_the_same_rows(progress: Action, as_user: Login) -> None:
    client = as_user(None)
    response = client.get(reverse("open-data:implementation-csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    found = [r for r in rows if "Protokoły MCD" in r]
    assert len(found) == 1 and "7" in found[0] and "Miejskie Centrum Dialogu" in found[0]
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("open-data:implementation-xlsx")).content)
    )
    xlsx_rows = [list(r) for r in workbook.active.iter_rows(values_only=True)]
    assert [["" if c is None else str(c) for c in r] for r in xlsx_rows] == rows
    # The action's number, the year and the values are numbers there, text in CSV.
    (row,) = [r for r in xlsx_rows if "Protokoły MCD" in r]
    assert [row[2], row[5], row[10], row[11]] == [4, 2012, 6, 7]
    assert all(isinstance(value, int) for value in [row[2], row[5], row[10], row[11]])


def test_the_search_finds_the_follow_up(progress: Action, as_user: Login) -> None:
    body = as_user(None).get(reverse("open-data:search"), {"q": "Centrum Dialogu"})
    text = body.content.decode()
    assert reverse("implementation:action", args=[progress.pk]) in text


def test_the_exports_filter_by_programme(
    progress: Action, adopted: Programme, as_user: Login
) -> None:
    client = as_user(None)
    url = reverse("open-data:implementation-csv")
    mine = client.get(url, {"programme": adopted.pk}).content.decode("utf-8-sig")
    assert "Protokoły MCD" in mine
    other = client.get(url, {"programme": adopted.pk + 1000}).content.decode("utf-8-sig")
    assert "Protokoły MCD" not in other
    response = client.get(reverse("open-data:implementation-xlsx"), {"programme": "x"})
    assert response.status_code == 400
    page = client.get(reverse("implementation:programme", args=[adopted.pk])).content.decode()
    assert f'action="{url}"' in page


def test_partner_organisations_are_listed_with_semicolons_and_no_stray_space(
    progress: Action, official: User, member_org: Organisation, as_user: Login
) -> None:
    other = Organisation.objects.exclude(pk=member_org.pk).first()
    assert other is not None
    services.plan_edit(
        actor=official,
        action=progress,
        responsible_unit="Miejskie Centrum Dialogu",
        partners=[member_org, other],
    )
    html = as_user(None).get(reverse("implementation:action", args=[progress.pk])).text
    start = html.index("Partner organisations")
    partners = html[start : html.index("</dd>", start)]
    assert re.search(r"</bdi>;\s*<bdi>", partners), partners
    assert not re.search(r"</bdi>\s+;", partners), partners


def test_an_indicator_in_zloty_shows_every_value_with_two_decimals(
    progress: Action, official: User, as_user: Login
) -> None:
    """One indicator, one format: an amount of money is "0,00" beside "1 234 567,80" on its
    page, in its XLSX cells and in the CSV, not "0" beside "1 234 567,80"."""
    services.indicator_add(
        actor=official,
        action=progress,
        name="Kwota dotacji",
        unit="zł",
        planned={2012: Decimal("1234567.8"), 2013: Decimal(0)},
    )
    client = as_user(None)
    page = client.get(reverse("implementation:action", args=[progress.pk])).content.decode()
    assert "1,234,567.80" in page and "<td>0.00</td>" in page
    text = client.get(reverse("open-data:implementation-csv")).content.decode("utf-8-sig")
    money = [r for r in csv.reader(io.StringIO(text)) if "Kwota dotacji" in r]
    assert sorted(r[10] for r in money if r[10]) == ["0.00", "1234567.80"]
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("open-data:implementation-xlsx")).content)
    )
    cells = [
        row[10]
        for row in workbook.active.iter_rows(min_row=2)
        if row[8].value == "Kwota dotacji" and row[10].value is not None
    ]
    assert len(cells) == 2
    assert {cell.number_format for cell in cells} == {"#,##0.00"}
    # Other units keep their values as measured: 6 meetings, not 6.00.
    assert "6.00" not in [r[10] for r in csv.reader(io.StringIO(text)) if "Protokoły MCD" in r]
