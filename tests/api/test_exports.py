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
