"""Every CSV export comes in two dialects: the standard comma CSV for programs and open data,
and ``?dialect=excel`` for Excel set to Polish, which splits on semicolons (a comma file opens
there as a single column). Both read back to the same table."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client

from consultations.models import Comment, Disposition, Round
from consultations.phases import Phase

pytestmark = pytest.mark.django_db

TEXT = "Mieszkania; lokale socjalne, „chronione” – Żłobki"


@pytest.fixture
def published(make_round: Callable[..., Round], make_comment: Callable[..., Comment]) -> Round:
    round_ = make_round(Phase.REPORT_PUBLISHED)
    make_comment(round_, TEXT, disposition=Disposition.ACCEPTED, justification="Tak; dopisano.")
    return round_


def _table(content: bytes, *, delimiter: str) -> list[list[str]]:
    assert content.startswith("\ufeff".encode()), "UTF-8 with a BOM, so Excel reads Polish letters"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def _both(client: Client, url: str) -> tuple[list[list[str]], list[list[str]], bytes]:
    standard = client.get(url)
    excel = client.get(url, {"dialect": "excel"})
    assert standard.status_code == excel.status_code == 200
    assert excel["Content-Type"] == "text/csv; charset=utf-8"
    return (
        _table(standard.content, delimiter=","),
        _table(excel.content, delimiter=";"),
        excel.content,
    )


def _export_urls(round_: Round) -> list[str]:
    return [
        "/actions.csv",
        f"/consultations/{round_.pk}/report.csv",
        f"/consultations/{round_.pk}/comment-table.csv",
    ]


def test_the_excel_dialect_reads_back_to_the_same_table_split_on_semicolons(
    published: Round,
) -> None:
    client = Client()
    for url in _export_urls(published):
        standard, excel, raw = _both(client, url)
        assert len(standard[0]) > 3, url
        assert excel == standard, url
        # The header line splits into its columns on semicolons, as Polish Excel does.
        header = raw.decode("utf-8-sig").split("\r\n", 1)[0]
        assert len(header.split(";")) == len(standard[0]), url
    report = _both(client, f"/consultations/{published.pk}/report.csv")[1]
    assert any(TEXT in row for row in report)  # a cell with both separators survives


def test_an_unknown_dialect_is_refused_with_a_clear_message(published: Round) -> None:
    for url in _export_urls(published):
        response = Client().get(url, {"dialect": "lotus"})
        assert response.status_code == 400, url
        assert "excel" in response.content.decode(), url


def test_every_page_that_offers_a_csv_offers_the_excel_one(published: Round) -> None:
    client = Client()
    pages = ["/api/", f"/consultations/{published.pk}/report/"]
    pages.append(f"/consultations/{published.pk}/comment-table/")
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert "CSV dla Excela (średniki)" in html, page
        assert 'name="dialect" value="excel"' in html or "?dialect=excel" in html, page
