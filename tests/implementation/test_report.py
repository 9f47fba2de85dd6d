"""Item 3 of issue 18 and its "done when": a year run. The 18 actions of the seeds get units
and indicators, officials enter the year's values, an organisation's proposed update is
accepted, the implementation report is generated and published, and its PDF and editable
documents read back with the same figures. After publication the year is frozen; a
correction is a dated erratum."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import docx
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from odfdo import Document
from openpyxl import load_workbook

from actions.models import Action
from core.confirm import CONFIRM_FIELD, CONFIRM_VALUE
from core.models import AuditEntry
from documents.models import Publication, PublicationChange
from implementation import services
from implementation.models import IndicatorValue, Proposal, ReportPublication
from notifications.models import Outbox
from notifications.outbox import outbox_sweep, schedule
from teams.models import Meeting, Organisation, Programme, User
from tests.pdf.conftest import render_pending_publications
from tests.pdf.helpers import pdf_text
from tests.seeds import annex_3_actions, fold

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
YEAR = 2012


def _url(name: str, programme: Programme, year: int = YEAR) -> str:
    return reverse(f"implementation:{name}", args=[programme.pk, year])


def _run_the_year(
    programme: Programme,
    seeded: Meeting,
    official: User,
    member: User,
    member_org: Organisation,
    coordinator: User,
) -> None:
    actions = list(Action.objects.filter(meeting=seeded).order_by("number"))
    assert len(actions) == 18
    for action in actions:
        services.plan_edit(
            actor=official,
            action=action,
            responsible_unit=f"Wydział Polityki Społecznej – zadanie {action.number}",
            partners=[member_org],
        )
        indicator = services.indicator_add(
            actor=official,
            action=action,
            name="Liczba uczestników",
            unit="osoby",
            planned={YEAR: Decimal(100 + action.number), YEAR + 1: Decimal(200)},
        )
        if action.number < 18:
            services.action_year_save(
                actor=official,
                action=action,
                year=YEAR,
                status="in_progress",
                comment=f"Postęp działania {action.number}",
                achieved={indicator.pk: (Decimal(50 + action.number), "Rejestr WPS")},
            )
    last = actions[-1]
    indicator = last.plan.indicators.get()
    proposal = services.proposal_submit(
        actor=member,
        action=last,
        organisation=member_org,
        year=YEAR,
        status="done",
        comment="Zrealizowane przez organizację",
        achieved={indicator.pk: (Decimal(777), "Listy obecności organizacji")},
    )
    services.proposal_decide(actor=coordinator, proposal=proposal, accept=True, reason="")
    services.figures_save(
        actor=official,
        programme=programme,
        year=YEAR,
        figures=[
            services.FigureEntry("organisations", "", Decimal(154), "Rejestr współpracy"),
            services.FigureEntry("funds_spent", "", Decimal("1250000.50"), "Wykonanie budżetu"),
        ],
    )


@pytest.fixture
def year_run(
    adopted: Programme,
    seeded: Meeting,
    official: User,
    member: User,
    member_org: Organisation,
    coordinator: User,
) -> Programme:
    _run_the_year(adopted, seeded, official, member, member_org, coordinator)
    return adopted


def _publish(client: Client, programme: Programme, capture: Callable) -> None:
    with capture(execute=True):
        response = client.post(_url("report-publish", programme), {CONFIRM_FIELD: CONFIRM_VALUE})
    assert response.status_code == 302, response.content.decode()[:2000]
    render_pending_publications()


def test_a_year_run_ends_in_a_published_report_that_reads_back(
    year_run: Programme,
    coordinator: User,
    official: User,
    as_user: Login,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    anyone = as_user(None)
    assert anyone.get(_url("report", year_run)).status_code == 404  # not published yet
    preview = as_user(official).get(_url("report", year_run))
    assert preview.status_code == 200
    assert "Postęp działania 3" in preview.content.decode()

    # Publishing asks first.
    confirm = as_user(coordinator).get(_url("report-publish", year_run))
    assert confirm.status_code == 200 and CONFIRM_FIELD in confirm.content.decode()
    assert as_user(official).post(_url("report-publish", year_run), {}).status_code == 403
    _publish(as_user(coordinator), year_run, django_capture_on_commit_callbacks)
    assert ReportPublication.objects.filter(programme=year_run, year=YEAR).exists()
    assert AuditEntry.objects.filter(action="implementation_report.publish").exists()
    publication = Publication.objects.get(kind="implementation-report")
    assert publication.is_ready and len(publication.sha256) == 64

    page = anyone.get(_url("report", year_run)).content.decode()
    pdf = anyone.get(_url("report-pdf", year_run))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    pdf_words = pdf_text(b"".join(pdf.streaming_content))
    odt = Document(io.BytesIO(anyone.get(_url("report-odt", year_run)).content))
    odt_words = fold(" ".join(p.text_recursive for p in odt.body.get_elements("//text:h|//text:p")))
    docx_document = docx.Document(io.BytesIO(anyone.get(_url("report-docx", year_run)).content))
    docx_words = fold(
        " ".join(
            [p.text for p in docx_document.paragraphs]
            + [
                cell.text
                for table in docx_document.tables
                for row in table.rows
                for cell in row.cells
            ]
        )
    )
    workbook = load_workbook(io.BytesIO(anyone.get(_url("report-xlsx", year_run)).content))
    xlsx_words = fold(
        " ".join(str(c) for row in workbook.active.iter_rows(values_only=True) for c in row if c)
    )
    ods = Document(io.BytesIO(anyone.get(_url("report-ods", year_run)).content))
    ods_words = fold(
        " ".join(str(v) for row in ods.body.get_table(0).get_values() for v in row if v)
    )
    first_words = fold(annex_3_actions()[0])[:40]
    for text in (page, pdf_words, odt_words, docx_words):
        for figure in (
            "Wydział Polityki Społecznej – zadanie 7",
            "Postęp działania 17",
            "Zrealizowane przez organizację",
            "Listy obecności organizacji",
            "Rejestr współpracy",
            "Wykonanie budżetu",
        ):
            assert figure in text
        assert first_words in fold(text)
    for text in (pdf_words, odt_words, docx_words, xlsx_words, ods_words):
        assert "777" in text  # the accepted proposal's value
        assert "67" in text  # action 17: 50 + 17
        assert "118" in text  # action 18's plan: 100 + 18
        assert "154" in text
        assert "Listy obecności organizacji" in text
    # The figures are frozen: data entered later does not change the published report.
    before = anyone.get(_url("report-xlsx", year_run)).content
    IndicatorValue.objects.filter(year=YEAR, achieved=777).update(achieved=1)
    workbook = load_workbook(io.BytesIO(anyone.get(_url("report-xlsx", year_run)).content))
    assert "777" in " ".join(
        str(c) for row in workbook.active.iter_rows(values_only=True) for c in row if c
    )
    assert len(before) > 0


def test_a_published_year_refuses_updates_and_takes_errata(
    year_run: Programme,
    seeded: Meeting,
    coordinator: User,
    official: User,
    member: User,
    member_org: Organisation,
    as_user: Login,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    action = Action.objects.get(meeting=seeded, number=1)
    proposal = services.proposal_submit(
        actor=member,
        action=action,
        organisation=member_org,
        year=YEAR,
        status="done",
        comment="Późna propozycja",
        achieved={},
    )
    _publish(as_user(coordinator), year_run, django_capture_on_commit_callbacks)
    before = list(IndicatorValue.objects.order_by("pk").values_list("achieved", "source"))
    response = as_user(official).post(
        reverse("implementation:action-year", args=[action.pk, YEAR]), {"status": "abandoned"}
    )
    assert response.status_code == 400
    assert "is published" in response.content.decode()
    response = as_user(official).post(
        _url("figures", year_run), {"value_offers": "3", "source_offers": "Generator"}
    )
    assert response.status_code == 400
    response = as_user(coordinator).post(
        reverse("implementation:proposal-decide", args=[proposal.pk]), {"decision": "accept"}
    )
    assert response.status_code == 400
    assert Proposal.objects.get(pk=proposal.pk).state == Proposal.State.PENDING
    assert list(IndicatorValue.objects.order_by("pk").values_list("achieved", "source")) == before
    # Published once.
    response = as_user(coordinator).post(
        _url("report-publish", year_run), {CONFIRM_FIELD: CONFIRM_VALUE}
    )
    assert response.status_code == 409
    assert ReportPublication.objects.count() == 1
    # A correction is a dated erratum in the change register.
    publication = Publication.objects.get(kind="implementation-report")
    response = as_user(coordinator).post(
        reverse("documents:erratum", args=[publication.pk]),
        {"text": "W działaniu 7 jednostka to Wydział Edukacji."},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(_url("report", year_run))
    assert PublicationChange.objects.filter(publication=publication).exists()
    page = as_user(None).get(_url("report", year_run)).content.decode()
    assert "W działaniu 7 jednostka to Wydział Edukacji." in page


def test_a_year_not_over_cannot_be_reported(
    adopted: Programme, coordinator: User, as_user: Login
) -> None:
    Programme.objects.filter(pk=adopted.pk).update(period_end=2100)
    response = as_user(coordinator).post(
        _url("report-publish", adopted, 2100), {CONFIRM_FIELD: CONFIRM_VALUE}
    )
    assert response.status_code == 400
    assert not ReportPublication.objects.exists()


def test_the_programme_page_lists_the_reports_and_the_next_round_links_to_them(
    year_run: Programme,
    coordinator: User,
    as_user: Login,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    _publish(as_user(coordinator), year_run, django_capture_on_commit_callbacks)
    page = as_user(None).get(reverse("implementation:programme", args=[year_run.pk]))
    assert _url("report", year_run) in page.content.decode()
    assert _url("report", year_run, YEAR + 1) not in page.content.decode()
    successor = Programme.objects.create(
        title="Program 2015–2017",
        kind=year_run.kind,
        period_start=2015,
        period_end=2017,
    )
    round_ = year_run.rounds.first()
    assert round_ is not None
    round_.programme = successor
    round_.save()
    page = as_user(None).get(reverse("consultations:round-detail", args=[round_.pk]))
    assert _url("report", year_run) in page.content.decode()


def test_the_coordinating_team_is_reminded_before_31_may(
    year_run: Programme, coordinator: User
) -> None:
    """The reminder is the programme cycle's one, declared once (teams.notices, issue 13):
    ``PROGRAMME_REMINDER_DAYS`` before 31 May, in Warsaw's calendar."""
    Programme.objects.filter(pk=year_run.pk).update(is_current=True)
    warsaw = timezone.get_current_timezone()
    schedule(now=dt.datetime(2013, 5, 20, 9, 0, tzinfo=warsaw))
    row = Outbox.objects.get(
        kind="programme_deadline_reminder",
        recipient=coordinator,
        occasion=f"implementation-report-{YEAR}-2013-05-31",
    )
    assert row.data["key"] == f"implementation-report-{YEAR}"


def test_the_next_rounds_cached_page_shows_a_report_as_soon_as_it_is_published(
    year_run: Programme,
    coordinator: User,
    as_user: Login,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    """The anonymous copy of the next programme's round page (core.page_cache) is seen
    before the report exists; publishing it shows at once, not after PAGE_CACHE_SECONDS."""
    successor = Programme.objects.create(
        title="Program 2015–2017", kind=year_run.kind, period_start=2015, period_end=2017
    )
    round_ = year_run.rounds.first()
    assert round_ is not None
    round_.programme = successor
    round_.save()
    url = reverse("consultations:round-detail", args=[round_.pk])
    assert _url("report", year_run) not in as_user(None).get(url).content.decode()

    _publish(as_user(coordinator), year_run, django_capture_on_commit_callbacks)

    assert _url("report", year_run) in as_user(None).get(url).content.decode()


def test_no_reminder_goes_out_for_a_year_whose_report_is_published(
    year_run: Programme,
    coordinator: User,
    as_user: Login,
    django_capture_on_commit_callbacks: Callable,
    mailoutbox: list,
) -> None:
    """The 31 May reminder is checked when it is sent: a report published meanwhile needs no
    reminder (the reminder of another year still goes)."""
    Programme.objects.filter(pk=year_run.pk).update(is_current=True)
    _publish(as_user(coordinator), year_run, django_capture_on_commit_callbacks)
    warsaw = timezone.get_current_timezone()
    now = dt.datetime(2013, 5, 20, 9, 0, tzinfo=warsaw)
    schedule(now=now)
    outbox_sweep()
    assert not [m for m in mailoutbox if coordinator.email in m.to]
    row = Outbox.objects.get(kind="programme_deadline_reminder", recipient=coordinator)
    assert row.sent_at is None and row.cancelled_at is not None

    later = dt.datetime(2014, 5, 20, 9, 0, tzinfo=warsaw)
    schedule(now=later)
    outbox_sweep()
    assert [m for m in mailoutbox if coordinator.email in m.to]
