"""The comment table (tabela uwag): one row model, the same rows in HTML, CSV, XLSX, ODS,
ODT, DOCX and the tagged PDF, with replies, supports, registered and hidden comments."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from collections.abc import Callable

import docx
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from odfdo import Document
from openpyxl import load_workbook

from consultations.models import AuthorRole, Channel, Comment, Disposition, Round, Support
from consultations.numbering import registration_number_next
from consultations.phases import Phase
from core.spreadsheets import safe
from documents.comment_table import COLUMNS, comment_table_document, comment_table_rows
from documents.pages import report_page
from pdf.cache import rendering_ensure
from teams.models import Organisation, User
from tests.pdf.helpers import _poppler, pdf_info

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


@pytest.fixture
def published(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    other_rep: User,
) -> Round:
    round_ = make_round(Phase.REPORT_PUBLISHED)
    other = Organisation.objects.get(representations__user=other_rep)
    online = make_comment(
        round_,
        "Dodać termin",
        proposed_wording="do końca 2027 r.",
        submitter_justification="Bez terminu nie da się rozliczyć.",
        registration_number=registration_number_next(round_),
        disposition=Disposition.ACCEPTED,
        justification="Dopisano termin.",
    )
    make_comment(
        round_,
        "Zwiększyć kwotę",
        channel=Channel.POST,
        registration_number=registration_number_next(round_),
        received_at=timezone.now() - dt.timedelta(days=3),
        author=None,
        organisation=None,
        author_role=AuthorRole.PERSON,
        submitter_name="Jan Kowalski",
        submitter_name_public=True,
        disposition=Disposition.NOT_ACCEPTED,
        justification="Brak środków.",
    )
    make_comment(
        round_,
        "Obraźliwa treść",
        hidden_at=timezone.now(),
        hidden_reason="Obraźliwa",
        disposition=Disposition.NOT_CONSIDERED,
        justification="Naruszała regulamin.",
    )
    make_comment(
        round_, "Zgadzamy się z terminem", parent=online, author=other_rep, organisation=other
    )
    make_comment(
        round_,
        "Wulgarna odpowiedź",
        parent=online,
        hidden_at=timezone.now(),
        hidden_reason="Wulgaryzmy",
    )
    Support.objects.create(comment=online, organisation=other)
    return round_


def _expected(round_: Round) -> list[list[str]]:
    """The rows as the files hold them: in the portal's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return [row.cells() for row in comment_table_rows(round_)]


def _columns() -> list[str]:
    with translation.override(settings.LANGUAGE_CODE):
        return [str(column) for column in COLUMNS]


def test_it_builds_one_row_per_comment_with_registration_replies_supports_and_reasons(
    published: Round, other_rep: User
) -> None:
    # The files are Polish whatever the page's language (the views render them under
    # translation.override("pl")); the cells hold lazy labels, so they are read there too.
    with translation.override("pl"):
        rows = comment_table_rows(published)
        online, posted, hidden = rows
        cells = {row.number: row.cells() for row in rows}
    assert len(rows) == 3
    other = Organisation.objects.get(representations__user=other_rep).name
    assert online.registration_number and online.registration_number in cells[1][1]
    assert posted.registration_number and posted.registration_number in cells[2][1]
    assert "Jan Kowalski" in cells[2][1]
    assert f"Poparcie: {other}" in cells[1][1]
    assert "Zgadzamy się z terminem" in cells[1][4]
    assert "Wulgaryzmy" in cells[1][4] and "Wulgarna" not in cells[1][4]
    assert cells[1][5] == "Bez terminu nie da się rozliczyć."
    assert "Obraźliwa treść" not in " ".join(cells[3])
    assert "Obraźliwa" in cells[3][4]
    assert [row.number for row in rows] == [1, 2, 3]


def test_the_html_table_shows_the_columns_and_every_row_in_order(
    published: Round, as_user: Login
) -> None:
    response = Client().get(f"/consultations/{published.pk}/comment-table/")
    assert response.status_code == 200
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    text = re.sub(r"\s+", " ", text)
    position = 0
    for cell in _columns() + [c for row in _expected(published) for c in row]:
        for line in cell.splitlines():
            found = text.find(re.sub(r"\s+", " ", line).strip(), position)
            assert found >= 0, line
            position = found


def test_the_report_page_links_to_the_table(published: Round, as_user: Login) -> None:
    body = as_user(None).get(f"/consultations/{published.pk}/report/").content.decode()
    assert f"/consultations/{published.pk}/comment-table/" in body


def test_the_table_is_not_shown_before_the_report_is_to_outsiders(
    make_round: Callable[..., Round], as_user: Login, coordinator: User
) -> None:
    round_ = make_round(Phase.SETTLED)
    assert as_user(None).get(f"/consultations/{round_.pk}/comment-table/").status_code == 404
    assert as_user(None).get(f"/consultations/{round_.pk}/comment-table.xlsx").status_code == 404
    coordinator_client = as_user(coordinator)
    assert coordinator_client.get(f"/consultations/{round_.pk}/comment-table/").status_code == 200


def test_csv_and_xlsx_hold_the_same_rows(published: Round, as_user: Login) -> None:
    client = as_user(None)
    expected = [[safe(c) for c in _columns()]] + [
        [safe(c) for c in row] for row in _expected(published)
    ]
    response = client.get(f"/consultations/{published.pk}/comment-table.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == expected
    response = client.get(f"/consultations/{published.pk}/comment-table.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    # The same cells, "Lp." a number (tests/documents/test_office_files.py).
    numbered = [expected[0], *([int(row[0]), *row[1:]] for row in expected[1:])]
    assert [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)] == numbered


def test_ods_holds_the_same_rows(published: Round, as_user: Login) -> None:
    response = as_user(None).get(f"/consultations/{published.pk}/comment-table.ods")
    assert response.status_code == 200
    table = Document(io.BytesIO(response.content)).body.get_table(0)
    got = [[str(v or "") for v in row] for row in table.get_values()]
    expected = [[safe(c) for c in _columns()]] + [
        [safe(c) for c in row] for row in _expected(published)
    ]
    assert got == expected


def test_odt_holds_the_same_rows(published: Round, as_user: Login) -> None:
    response = as_user(None).get(f"/consultations/{published.pk}/comment-table.odt")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    layout = next(s for s in document.get_styles() if s.tag == "style:page-layout")
    properties = layout.get_element("style:page-layout-properties")
    assert properties is not None
    assert properties.get_attribute("style:print-orientation") == "landscape"
    table = document.body.get_table(0)
    got = [
        ["\n".join(p.get_formatted_text().strip() for p in cell.paragraphs) for cell in row.cells]
        for row in table.traverse()
    ]
    assert got == [_columns(), *_expected(published)]


def test_docx_holds_the_same_rows_on_landscape_pages(published: Round, as_user: Login) -> None:
    response = as_user(None).get(f"/consultations/{published.pk}/comment-table.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert section.page_width > section.page_height
    got = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert got == [_columns(), *_expected(published)]


def test_the_pdf_has_the_columns_in_order(published: Round) -> None:
    rendering = rendering_ensure(
        builder=comment_table_document, object_id=published.pk, render_here=True
    )
    assert rendering.is_ready
    pdf = rendering.file.read()
    text = _poppler("pdftotext", pdf, "-layout")
    info = pdf_info(pdf)
    assert info["Tagged"] == "yes"
    width, height = map(float, re.findall(r"([\d.]+) x ([\d.]+)", info["Page size"])[0])
    assert width > height  # landscape
    flat = re.sub(r"\s+", " ", text)
    position = 0
    for word in ("Lp.", "Zgłaszający", "Jednostka", "Obecne", "Treść", "Uzasadnienie", "Sposób"):
        found = flat.find(word, position)
        assert found >= 0, word
        position = found
    assert "Zgadzamy się" in flat and "Poparcie" in flat


def test_the_table_page_costs_the_same_queries_with_more_comments(
    published: Round,
    as_user: Login,
    make_comment: Callable[..., Comment],
    other_rep: User,
    coordinator: User,
) -> None:
    # The live table (a published one is frozen: tests/documents/test_frozen_exports.py).
    Round.objects.filter(pk=published.pk).update(status=Phase.SETTLED)
    client = as_user(coordinator)
    url = f"/consultations/{published.pk}/comment-table/"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    other = Organisation.objects.get(representations__user=other_rep)
    for i in range(5):
        comment = make_comment(published, f"Kolejna {i}", disposition=Disposition.ACCEPTED)
        make_comment(published, "Odp.", parent=comment, author=other_rep, organisation=other)
        Support.objects.create(comment=comment, organisation=other)
    published.refresh_from_db()
    assert count() == before


def test_the_report_page_names_each_item_in_the_language_it_is_rendered_in(
    published: Round,
) -> None:
    """The report's page is rendered in Polish, then in English, from the same rows: each
    comment's item label was kept from the Polish pass, so the English table said "Runda jako
    całość" beside English statistics."""
    page = report_page(str(published.pk))
    polish, english = "".join(page["pl"]["pages"]), "".join(page["en"]["pages"])
    assert "Runda jako całość" in polish
    assert "The round as a whole" in english
    assert "Runda jako całość" not in english


def test_the_report_page_names_the_supporting_organisations_as_its_files_do(
    published: Round,
) -> None:
    (support,) = Support.objects.filter(comment__round=published).select_related("organisation")
    page = report_page(str(published.pk))
    polish, english = "".join(page["pl"]["pages"]), "".join(page["en"]["pages"])
    assert "Poparcie" in polish and support.organisation.name in polish
    assert "Supported by" in english
