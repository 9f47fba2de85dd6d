"""The consultation report: public once published, every comment with its disposition,
statistics with an accessible chart, CSV and XLSX downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.test import Client
from openpyxl import load_workbook

from consultations import services
from consultations.models import Comment, Disposition, Round, Support
from consultations.phases import Phase
from core.audit import audit_record
from documents import programme
from documents.comment_table import comment_table_rows
from documents.models import Publication
from documents.publications import publication_freeze
from teams.audit import TeamsAudit
from teams.models import Meeting, Organisation, User
from tests.confirm import CONFIRMED
from tests.pages import without_nonces

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


@pytest.fixture
def published(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    other_rep: User,
    expert: User,
) -> Round:
    round_ = make_round(Phase.REPORT_PUBLISHED)
    other = Organisation.objects.get(representations__user=other_rep)
    accepted = make_comment(
        round_,
        "Dodać termin",
        proposed_wording="do końca 2012 r.",
        disposition=Disposition.ACCEPTED,
        justification="Dopisano termin.",
    )
    make_comment(
        round_,
        '=HYPERLINK("http://evil")',
        author=other_rep,
        organisation=other,
        disposition=Disposition.NOT_ACCEPTED,
        justification="Poza zakresem programu.",
    )
    make_comment(
        round_,
        "Uwaga eksperta",
        author=expert,
        author_role="expert",
        organisation=None,
        disposition=Disposition.PARTLY_ACCEPTED,
        justification="Częściowo.",
    )
    make_comment(
        round_,
        "Obraźliwa treść",
        hidden_at="2026-01-01T00:00Z",
        hidden_reason="Obraźliwa",
        disposition=Disposition.NOT_CONSIDERED,
        justification="Naruszała regulamin.",
    )
    Support.objects.create(comment=accepted, organisation=other)
    return round_


def test_the_report_lists_every_comment_with_organisation_disposition_and_justification(
    published: Round, as_user: Login, member: User
) -> None:
    response = as_user(None).get(f"/consultations/{published.pk}/report/")
    body = response.content.decode()
    assert response.status_code == 200
    member_org = Organisation.objects.get(representations__user=member)
    for text in (
        member_org.name,
        "Dodać termin",
        "do końca 2012 r.",
        "Dopisano termin.",
        "accepted",
        "not accepted",
        "partly accepted",
        "not considered",
        "Poza zakresem programu.",
        "Expert",
        "Goal",
        "MOWIS",
    ):
        assert text in body, text
    assert "Obraźliwa treść" not in body  # hidden text stays out of the public report
    assert "Hidden by the moderators" in body


def test_the_report_has_statistics_as_a_table_with_an_svg_chart_and_no_script(
    published: Round, as_user: Login
) -> None:
    body = as_user(None).get(f"/consultations/{published.pk}/report/").content.decode()
    assert "Comments by disposition" in body
    assert "Comments by organisation" in body
    assert "Comments by item" in body
    assert "<svg" in body and 'aria-hidden="true"' in body
    text = without_nonces(body).lower()
    assert "chart.js" not in text and "cdn" not in text


@pytest.mark.parametrize("phase", [Phase.OPEN, Phase.CLOSED, Phase.SETTLED])
def test_the_report_is_not_public_before_it_is_published(
    make_round: Callable[..., Round], as_user: Login, member: User, phase: str
) -> None:
    round_ = make_round(phase)
    for suffix in ("report/", "report.csv", "report.xlsx"):
        assert as_user(member).get(f"/consultations/{round_.pk}/{suffix}").status_code == 404


def test_the_coordinating_team_previews_the_report_after_the_close(
    make_round: Callable[..., Round], as_user: Login, coordinator: User
) -> None:
    round_ = make_round(Phase.CLOSED)
    response = as_user(coordinator).get(f"/consultations/{round_.pk}/report/")
    assert response.status_code == 200
    assert "not published yet" in response.content.decode()


def test_the_csv_download_has_every_comment_and_defuses_formulas(
    published: Round, as_user: Login
) -> None:
    response = as_user(None).get(f"/consultations/{published.pk}/report.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # A file of the report: Polish, as its PDF, for a reader of the English page too.
    assert rows[0][:4] == ["Lp.", "Punkt", "Organizacja lub funkcja", "Uwaga"]
    assert len(rows) == 5
    by_text = {row[3]: row for row in rows[1:]}
    assert by_text["Dodać termin"][6] == "uwzględniona"
    assert by_text["Dodać termin"][7] == "Dopisano termin."
    assert '\'=HYPERLINK("http://evil")' in by_text
    assert not any("Obraźliwa treść" in cell for row in rows for cell in row)
    assert rows[0][8] == "Data rejestracji"


@pytest.fixture
def earlier_comment(make_round: Callable[..., Round], make_comment: Callable[..., Comment]) -> None:
    """A comment of another round, made first: the report's comments then have ids from 2."""
    make_comment(make_round(Phase.OPEN), "Uwaga innej rundy")


def test_the_report_numbers_its_comments_as_the_comment_table_does(
    earlier_comment: None, published: Round, as_user: Login
) -> None:
    """Lp. is the row's number in the report's order, as in the comment table: never the
    comment's id, which two documents of one round would otherwise print under one header."""
    response = as_user(None).get(f"/consultations/{published.pk}/report.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    table = comment_table_rows(published)
    assert [row.pk for row in table] != [row.number for row in table]
    assert [row[0] for row in rows[1:]] == [str(row.number) for row in table]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4"]
    assert [row[9] for row in rows[1:]] == [row.registration_number for row in table]


def test_the_xlsx_download_has_every_comment(published: Round, as_user: Login) -> None:
    response = as_user(None).get(f"/consultations/{published.pk}/report.xlsx")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][6] == "Sposób rozpatrzenia"  # Polish, as the report's PDF
    assert len(rows) == 5
    assert [r[0] for r in rows[1:]] == [1, 2, 3, 4]  # numbers, which sort as numbers
    assert {r[6] for r in rows[1:]} == {
        "uwzględniona",
        "nieuwzględniona",
        "częściowo uwzględniona",
        "nierozpatrzona",
    }


def test_the_xlsx_report_holds_warsaw_times_as_dates(published: Round, as_user: Login) -> None:
    """XLSX has no time zones: "Registered at" and "Received at" are date cells holding the
    Warsaw wall-clock time the CSV shows (23:30 UTC on 12 July is 01:30 on 13 July in
    Kraków), so that officials sort and filter by them; Lp. is a number, user text that
    starts with "=" stays defused."""
    comment = published.comments.get(text="Dodać termin")
    late_evening = dt.datetime(2011, 7, 12, 23, 30, tzinfo=dt.UTC)
    Comment.objects.filter(pk=comment.pk).update(created_at=late_evening)
    client = as_user(None)
    text = client.get(f"/consultations/{published.pk}/report.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    registered, received = header.index("Data rejestracji"), header.index("Data wpływu")
    (csv_row,) = [row for row in rows if row[3] == "Dodać termin"]
    assert csv_row[registered] == csv_row[received] == "2011-07-13 01:30"
    response = client.get(f"/consultations/{published.pk}/report.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    (row,) = [row for row in sheet.iter_rows(min_row=2) if row[3].value == "Dodać termin"]
    for cell in (row[registered], row[received]):
        assert cell.is_date and cell.number_format == "yyyy-mm-dd hh:mm"
        assert cell.value == dt.datetime.fromisoformat("2011-07-13 01:30")
    assert all(type(row[0].value) is int for row in sheet.iter_rows(min_row=2))
    assert '\'=HYPERLINK("http://evil")' in [row[3].value for row in sheet.iter_rows()]
    assert sheet.column_dimensions["I"].width == len("yyyy-mm-dd hh:mm") + 2
    assert sheet.freeze_panes == "A2"


def test_authors_see_the_disposition_on_their_own_page_once_settled(
    published: Round,
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    member: User,
    as_user: Login,
) -> None:
    closed = make_round(Phase.CLOSED)
    make_comment(closed, "Jeszcze w toku", disposition="accepted", justification="Wstępnie")
    body = as_user(member).get("/consultations/my-comments/").content.decode()
    assert "Dodać termin" in body and "Dopisano termin." in body
    assert "Jeszcze w toku" in body and "Wstępnie" not in body


def test_publishing_the_report_is_a_coordinating_team_step_after_settling(
    make_round: Callable[..., Round], coordinator: User, member: User, as_user: Login
) -> None:
    round_ = make_round(Phase.SETTLED)
    assert (
        as_user(member).post(f"/consultations/{round_.pk}/step/publish/", CONFIRMED).status_code
        == 403
    )
    response = as_user(coordinator).post(f"/consultations/{round_.pk}/step/publish/", CONFIRMED)
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.phase == Phase.REPORT_PUBLISHED and round_.report_published_at is not None


def test_publishing_the_report_freezes_and_renders_its_pdf_after_the_commit(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    coordinator: User,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    round_ = make_round(Phase.SETTLED)
    make_comment(round_, "Uwaga w raporcie", disposition=Disposition.ACCEPTED, justification="Tak")
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish_report(actor=coordinator, round_=round_)
    publication = Publication.objects.get(kind="report", object_id=str(round_.pk))
    assert publication.status == Publication.Status.DONE
    assert publication.responsible == str(coordinator)


def test_the_responsible_person_is_who_published_whoever_freezes_the_report(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    coordinator: User,
) -> None:
    """The report is frozen when first asked for if its publishing did not (a worker down):
    the record names the coordinator who published it, not the anonymous reader who asked."""
    round_ = make_round(Phase.SETTLED)
    make_comment(round_, "Uwaga w raporcie", disposition=Disposition.ACCEPTED, justification="Tak")
    services.round_publish_report(actor=coordinator, round_=round_)  # no commit: nothing frozen
    assert not Publication.objects.filter(kind="report", object_id=str(round_.pk)).exists()
    assert Client().get(f"/consultations/{round_.pk}/report.pdf").status_code in (200, 202)
    publication = Publication.objects.get(kind="report", object_id=str(round_.pk))
    assert publication.responsible == str(coordinator)


def test_a_meeting_annex_names_who_published_the_results_not_who_froze_them(
    make_round: Callable[..., Round], coordinator: User
) -> None:
    meeting = make_round(Phase.OPEN).meeting
    assert meeting is not None
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PUBLISHED)
    audit_record(actor=coordinator, action=TeamsAudit.MEETING_PUBLISHED, target=meeting)
    publication = publication_freeze(kind="meeting-actions", object_id=meeting.pk, actor=None)
    assert publication is not None
    assert publication.responsible == str(coordinator)


def test_every_format_of_the_report_downloads_under_one_name(
    published: Round, as_user: Login
) -> None:
    """The report's PDF, ODT, DOCX, CSV and XLSX keep side by side in an official's folder:
    one name, its extension aside (Round.report_filename)."""
    client = as_user(None)
    for ext in ("csv", "xlsx", "odt", "docx"):
        response = client.get(f"/consultations/{published.pk}/report.{ext}")
        assert response.status_code == 200, ext
        disposition = response["Content-Disposition"]
        assert f'filename="consultation-{published.pk}-report.{ext}"' in disposition, disposition
    # The PDF is rendered by a task; its builder names it.
    pdf = programme.round_report_document(str(published.pk))
    assert pdf.filename == f"consultation-{published.pk}-report.pdf"


def test_my_comments_names_each_comment_by_the_registration_number_the_report_uses(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    member: User,
    as_user: Login,
) -> None:
    """The report names comments by their registration number only: My comments gave only the
    portal's own number, so an organisation could not find its row in the report."""
    round_ = make_round(Phase.REPORT_PUBLISHED)
    comment = make_comment(round_, "Dodać termin", registration_number="KZ/2026/0042")
    body = as_user(member).get("/consultations/my-comments/").content.decode()
    assert f"#{comment.pk} (KZ/2026/0042)" in body
