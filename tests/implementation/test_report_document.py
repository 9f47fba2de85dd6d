"""The implementation report as an official document (a city official's and the city
lawyer's review): it names who submits it to whom, on what legal basis and by when; cites
the adopting resolution as the council's, dated in words; its spreadsheets number the rows
and put each figure in its column, as numbers; a year without evaluation figures is
published only with a reason, which the report prints; and the figures form takes amounts
as Polish officials type them."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import docx
import pytest
from django.test import Client
from django.urls import reverse
from odfdo import Document
from openpyxl import load_workbook

from actions.models import Action
from core.confirm import CONFIRM_FIELD, CONFIRM_VALUE
from core.models import AuditEntry
from documents import implementation_report
from drafts.models import DraftVersion
from implementation import services
from implementation.models import ProgrammeFigure, ReportPublication
from pdf import render as pdf_render
from pdf import watermark as pdf_watermark
from teams.models import Meeting, Programme, User
from tests.pdf.conftest import render_pending_publications
from tests.pdf.helpers import pdf_text
from tests.seeds import fold

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
YEAR = 2012
CITATION = "uchwała nr XXIV/300/11 Rady Miasta Krakowa z dnia 5 grudnia 2011 r."


def _url(name: str, programme: Programme, year: int = YEAR) -> str:
    return reverse(f"implementation:{name}", args=[programme.pk, year])


def _polish(client: Client) -> Client:
    client.cookies["django_language"] = "pl"
    return client


@pytest.fixture
def resolution(adopted: Programme) -> Programme:
    """The programme adopted by the resolution of 5 December 2011 (the adoption page refuses
    a date before the version's publication, which the seeds date today)."""
    DraftVersion.objects.filter(draft__programme=adopted, adopted=True).update(
        resolution_number="XXIV/300/11", resolution_date=dt.date(2011, 12, 5)
    )
    return adopted


@pytest.fixture
def figures(resolution: Programme, seeded: Meeting, official: User) -> Programme:
    """One indicator of action 1 and the year's evaluation figures, funds planned and spent
    among them."""
    action = Action.objects.filter(meeting=seeded).order_by("number").first()
    assert action is not None
    indicator = services.indicator_add(
        actor=official,
        action=action,
        name="Liczba uczestników",
        unit="osoby",
        planned={YEAR: Decimal(120)},
    )
    services.action_year_save(
        actor=official,
        action=action,
        year=YEAR,
        status="in_progress",
        comment="",
        achieved={indicator.pk: (Decimal(97), "Listy obecności")},
    )
    services.figures_save(
        actor=official,
        programme=resolution,
        year=YEAR,
        figures=[
            services.FigureEntry("organisations", "", Decimal(154), "Rejestr współpracy"),
            services.FigureEntry("funds_planned", "", Decimal("45000000.50"), "Budżet miasta"),
            services.FigureEntry("funds_spent", "", Decimal("43250000.75"), "Wykonanie budżetu"),
        ],
    )
    return resolution


def _pdf(client: Client, programme: Programme) -> str:
    response = client.get(_url("report-pdf", programme))
    assert response.status_code == 200
    return pdf_text(b"".join(response.streaming_content))


def _docx(client: Client, programme: Programme) -> str:
    document = docx.Document(io.BytesIO(client.get(_url("report-docx", programme)).content))
    return fold(" ".join(p.text for p in document.paragraphs))


def _odt(client: Client, programme: Programme) -> str:
    document = Document(io.BytesIO(client.get(_url("report-odt", programme)).content))
    return fold(" ".join(p.text_recursive for p in document.body.get_elements("//text:p")))


# --- 1. Who submits the report, to whom, on what basis, by when ------------------------------


def test_the_report_names_who_submits_it_to_whom_its_legal_basis_and_deadline(
    figures: Programme, official: User, as_user: Login
) -> None:
    client = as_user(official)
    page = fold(_polish(as_user(official)).get(_url("report", figures)).content.decode())
    for text in (page, _pdf(client, figures), _docx(client, figures), _odt(client, figures)):
        assert "Prezydent Miasta Krakowa" in text
        assert "Rada Miasta Krakowa" in text
        assert "art. 5a ust. 3 ustawy z dnia 24 kwietnia 2003 r." in text
        assert "31 maja 2013" in text  # 31 May of the year after the report's


def test_the_submitting_authority_and_the_council_are_settings(
    figures: Programme, official: User, as_user: Login, settings: Any
) -> None:
    settings.CITY_MAYOR = "Burmistrz Miasta Testowa"
    settings.CITY_COUNCIL = "Rada Miejska w Testowie"
    settings.CITY_COUNCIL_GENITIVE = "Rady Miejskiej w Testowie"
    client = as_user(official)
    for text in (fold(client.get(_url("report", figures)).content.decode()), _pdf(client, figures)):
        assert "Burmistrz Miasta Testowa" in text
        assert "Rada Miejska w Testowie" in text
        assert "uchwała nr XXIV/300/11 Rady Miejskiej w Testowie" in text
        assert "Prezydent Miasta Krakowa" not in text


# --- 2. The adopting resolution --------------------------------------------------------------


def test_the_adopting_resolution_is_the_councils_and_dated_in_words(
    figures: Programme, official: User, as_user: Login
) -> None:
    client = as_user(official)
    page = fold(_polish(as_user(official)).get(_url("report", figures)).content.decode())
    for text in (page, _pdf(client, figures), _docx(client, figures), _odt(client, figures)):
        assert CITATION in text
        assert "05.12.2011" not in text


# --- 3. The spreadsheets ---------------------------------------------------------------------

HEADER = [
    "Lp.",
    "Działanie",
    # the column's own heading: "Indicator or evaluation figure", Polish once translated
    None,
    "Jednostka miary",
    "Planowane",
    "Osiągnięte",
    "Źródło danych",
]


def _rows(rows: list[list[Any]]) -> list[list[Any]]:
    """The header without the third column's text, and the cells with empty ones as None."""
    header, *body = rows
    return [
        [None if i == 2 else cell for i, cell in enumerate(header)],
        *[[None if cell == "" else cell for cell in row] for row in body],
    ]


def test_the_spreadsheets_number_the_rows_and_put_each_figure_in_its_column_as_a_number(
    figures: Programme, official: User, as_user: Login
) -> None:
    # Read in English (as_user), the files are in the portal's language all the same: the
    # figures' names too, not only the headers.
    client = as_user(official)
    organisations, planned, spent = (
        "liczba organizacji współpracujących z miastem",
        "wysokość środków planowanych (zł)",
        "wysokość środków wydatkowanych (zł)",
    )
    expected = [
        HEADER,
        [1, 1, "Liczba uczestników", "osoby", 120, 97, "Listy obecności"],
        [2, None, organisations, None, None, 154, "Rejestr współpracy"],
        [3, None, planned, None, Decimal("45000000.5"), None, "Budżet miasta"],
        [4, None, spent, None, None, Decimal("43250000.75"), "Wykonanie budżetu"],
    ]
    workbook = load_workbook(io.BytesIO(client.get(_url("report-xlsx", figures)).content))
    sheet = workbook.active
    assert sheet is not None
    xlsx = _rows([list(row) for row in sheet.iter_rows(values_only=True)])
    assert xlsx == [[float(c) if isinstance(c, Decimal) else c for c in row] for row in expected]
    assert all(isinstance(row[0], int) for row in xlsx[1:])  # numbers, not text
    ods = Document(io.BytesIO(client.get(_url("report-ods", figures)).content))
    table = ods.body.get_table(0)
    assert table is not None
    assert _rows(table.get_values()) == expected
    assert {table.get_cell((4, 3)).type, table.get_cell((5, 4)).type} == {"float"}


# --- 4. Publishing a year without evaluation figures ----------------------------------------


def test_a_year_without_figures_is_published_only_with_a_reason_which_the_report_prints(
    resolution: Programme,
    coordinator: User,
    as_user: Login,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    client = as_user(coordinator)
    confirm = client.get(_url("report-publish", resolution)).content.decode()
    assert "No evaluation figures are entered for 2012" in confirm
    assert 'name="reason"' in confirm

    response = client.post(_url("report-publish", resolution), {CONFIRM_FIELD: CONFIRM_VALUE})
    assert response.status_code == 400
    assert "give the reason for publishing the report without them" in response.content.decode()
    response = client.post(
        _url("report-publish", resolution), {CONFIRM_FIELD: CONFIRM_VALUE, "reason": "   "}
    )
    assert response.status_code == 400
    assert not ReportPublication.objects.exists()
    with pytest.raises(services.ReportReasonRequired):
        services.report_publish(actor=coordinator, programme=resolution, year=YEAR)
    assert not ReportPublication.objects.exists()

    reason = "Dane z wydziałów nie wpłynęły przed terminem ustawowym."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("report-publish", resolution), {CONFIRM_FIELD: CONFIRM_VALUE, "reason": reason}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    render_pending_publications()
    assert (
        ReportPublication.objects.get(programme=resolution, year=YEAR).no_figures_reason == reason
    )
    entry = AuditEntry.objects.get(action="implementation_report.publish")
    assert entry.data["no_figures_reason"] == reason
    anyone = as_user(None)
    page = anyone.get(_url("report", resolution)).content.decode()
    pdf = pdf_text(b"".join(anyone.get(_url("report-pdf", resolution)).streaming_content))
    for text in (page, pdf, _docx(anyone, resolution)):
        assert reason in text
        assert "No figures entered yet." not in text
        assert "Nie wprowadzono jeszcze mierników." not in text


def test_a_year_with_figures_needs_no_reason_and_keeps_none(
    figures: Programme,
    coordinator: User,
    as_user: Login,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    client = as_user(coordinator)
    assert 'name="reason"' not in client.get(_url("report-publish", figures)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("report-publish", figures), {CONFIRM_FIELD: CONFIRM_VALUE, "reason": "Zbędne"}
        )
    assert response.status_code == 302
    assert ReportPublication.objects.get(programme=figures).no_figures_reason == ""


# --- 5. Amounts as Polish officials type them -----------------------------------------------


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize(
    "typed",
    [
        "43 250 000,75",
        "43\u00a0250\u00a0000,75",  # no-break spaces, as Word and Excel copy them
        "43\u202f250\u202f000,75",  # narrow no-break spaces
        "43250000,75",
        "43250000.75",
        " 43 250 000.75 ",
    ],
)
def test_the_figures_form_takes_amounts_as_polish_officials_type_them(
    resolution: Programme, official: User, as_user: Login, typed: str, language: str
) -> None:
    client = as_user(official)
    client.cookies["django_language"] = language
    response = client.post(
        _url("figures", resolution, 2013),
        {"value_funds_spent": typed, "source_funds_spent": "Wykonanie budżetu"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    figure = ProgrammeFigure.objects.get(programme=resolution, year=2013)
    assert figure.value == Decimal("43250000.75")
    assert str(figure.value) == "43250000.75"


@pytest.mark.parametrize(
    "typed",
    [
        "43,250,000.75",  # commas between thousands: 43,250 would be read two ways
        "1.250.000,75",
        "43 25 000",  # a group of thousands is three digits
        "12 zł",
        "1e6",
        "abc",
        "4,5,6",
        ",5",
    ],
)
def test_garbage_is_refused_with_a_clear_message_and_nothing_is_stored(
    resolution: Programme, official: User, as_user: Login, typed: str
) -> None:
    response = as_user(official).post(
        _url("figures", resolution, 2013),
        {"value_funds_spent": typed, "source_funds_spent": "Wykonanie budżetu"},
    )
    assert response.status_code == 400
    assert "Enter a number, for example 43 250 000,75" in response.content.decode()
    assert not ProgrammeFigure.objects.exists()


def test_the_other_value_forms_take_the_same_amounts(
    resolution: Programme, seeded: Meeting, official: User, as_user: Login
) -> None:
    """The planned values of an indicator (and the achieved ones, the same field)."""
    action = Action.objects.filter(meeting=seeded).order_by("number").first()
    assert action is not None
    response = as_user(official).post(
        reverse("implementation:indicator-add", args=[action.pk]),
        {"name": "Kwota dotacji", "unit": "zł", "planned_2012": "1 200 000,5"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert action.plan.indicators.get().values.get(year=2012).planned == Decimal("1200000.5")


# --- A preview is a draft, as a consultation report's is -------------------------------------


def test_the_report_is_marked_projekt_until_it_is_published(
    figures: Programme,
    coordinator: User,
    as_user: Login,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    """Before publication the PDF carries the PROJEKT watermark and the files the PROJEKT
    line (documents.office), from the same decision; once published, neither."""
    client = as_user(coordinator)
    key = implementation_report.object_id(figures.pk, YEAR)
    watermark = pdf_watermark.watermark_data_url("PROJEKT")  # its outlines, not text
    document = implementation_report.implementation_report_document(key)
    assert document.draft is True
    assert watermark in pdf_render.document_html(document)
    first = docx.Document(io.BytesIO(client.get(_url("report-docx", figures)).content))
    assert first.paragraphs[0].text == "PROJEKT – dokument przed publikacją"
    sheet = load_workbook(io.BytesIO(client.get(_url("report-xlsx", figures)).content)).active
    assert sheet is not None and sheet.title.startswith("PROJEKT")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("report-publish", figures), {CONFIRM_FIELD: CONFIRM_VALUE})
    document = implementation_report.implementation_report_document(key)
    assert document.draft is False
    assert watermark not in pdf_render.document_html(document)
    after = docx.Document(io.BytesIO(client.get(_url("report-docx", figures)).content))
    assert "PROJEKT" not in after.paragraphs[0].text
