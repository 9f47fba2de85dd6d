"""Spreadsheets of the published postulated actions: public rows only, formulas defused."""

from __future__ import annotations

import csv
import io

from django.test import Client
from openpyxl import load_workbook

from actions.models import Action

from .conftest import World, assert_no_secret


def csv_rows(client: Client, **params: object) -> list[list[str]]:
    response = client.get("/actions.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert_no_secret(body)
    return list(csv.reader(io.StringIO(body)))


def test_csv_lists_the_published_actions_only(client: Client, world: World) -> None:
    rows = csv_rows(client)
    assert rows[0][:2] == ["Id", "Branch team"]
    ids = {int(row[0]) for row in rows[1:]}
    assert ids == set(Action.objects.public().values_list("pk", flat=True))
    assert any(row[5] == "Public źródła finansowania action" for row in rows)


def test_csv_filters_by_meeting_and_rejects_bad_ids(client: Client, world: World) -> None:
    rows = csv_rows(client, meeting=world.unpublished.pk)
    assert rows[1:] == []
    assert client.get("/actions.csv", {"team": "x"}).status_code == 400
    assert client.get("/actions.csv", {"meeting": "²"}).status_code == 400


def test_spreadsheet_formulas_in_user_text_are_defused(client: Client, world: World) -> None:
    action = Action.objects.public().first()
    assert action is not None
    Action.objects.filter(pk=action.pk).update(text='=HYPERLINK("http://evil")')
    rows = csv_rows(client)
    assert '\'=HYPERLINK("http://evil")' in [row[5] for row in rows]
    response = client.get("/actions.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[5] for row in sheet.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in values
    assert "SECRET unpublished action" not in values
    assert len(values) == len(rows)


def test_the_xlsx_keeps_ids_numbers_and_dates_as_such(client: Client, world: World) -> None:
    """Id and No. (Lp.) sort 2 before 10 and the meeting's date sorts and filters as a date in
    Excel; the CSV keeps their text as before."""
    rows = csv_rows(client)
    sheet = load_workbook(io.BytesIO(client.get("/actions.xlsx").content)).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == rows[0][:5] == ["Id", "Branch team", "Meeting", "Meeting date", "No."]
    cells = list(sheet.iter_rows(min_row=2))
    assert [str(row[0].value) for row in cells] == [row[0] for row in rows[1:]]
    for row in cells:
        assert type(row[0].value) is int and type(row[4].value) is int
        assert row[3].is_date and row[3].number_format == "yyyy-mm-dd"
    action = Action.objects.get(pk=cells[0][0].value)
    assert cells[0][3].value.date() == action.meeting.date
    assert rows[1][3] == action.meeting.date.isoformat() and rows[1][4] == str(action.number)
    assert sheet.freeze_panes == "A2"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABDF"}
    assert widths["A"] == 8 and widths["D"] == len("Meeting date") + 2
    assert widths["F"] == min(max(len(row[5]) + 2 for row in rows[1:]), 60)  # capped
