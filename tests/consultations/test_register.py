"""The register: comments received outside the portal (e-mail, post, …) are recorded by the
coordinating team with their original, numbered like every comment, settled, reported and
exported with their channel."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from consultations import numbering, register_services, services
from consultations.audit import ConsultationsAudit
from consultations.models import AuthorRole, Channel, Comment, Disposition, Round
from consultations.phases import Phase
from consultations.register_services import Original
from core.models import AuditEntry
from demo.consultations import SETTLED_TITLE
from documents.models import Publication
from teams.models import Organisation, User
from tests.confirm import CONFIRMED

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
DAY = dt.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
NUMBER = re.compile(r"^KZ/\d{4}/\d{4}$")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def announced_round(make_round: Callable[..., Round]) -> Round:
    """An open round announced ten days ago, open for five."""
    round_ = make_round(Phase.OPEN)
    now = timezone.now()
    Round.objects.filter(pk=round_.pk).update(announced_at=now - 10 * DAY, opens_at=now - 5 * DAY)
    round_.refresh_from_db()
    return round_


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form(**fields: Any) -> dict[str, Any]:
    data = {
        "channel": Channel.POST,
        "received_at": local(timezone.now() - 2 * DAY),
        "person_name": "Anna Przykładowa",
        "item": "",
        "text": "Uwaga nadesłana pocztą.",
        "proposed_wording": "",
        "submitter_justification": "",
    }
    data.update(fields)
    return data


def register(client: Client, round_: Round, **fields: Any):
    return client.post(f"/consultations/{round_.pk}/register/", form(**fields))


# --- The whole path -------------------------------------------------------------------------


def test_it_registers_paper_and_email_comments_settles_them_with_online_ones_and_reports_them(
    announced_round: Round,
    coordinator: User,
    member: User,
    member_org: Organisation,
    as_user: Login,
) -> None:
    round_ = announced_round
    online = services.comment_post(
        actor=member,
        round_=round_,
        text="Uwaga z portalu.",
        author_role=AuthorRole.ORGANISATION,
        organisation=member_org,
        submitter_justification="Bo tak trzeba.",
    )
    client = as_user(coordinator)
    by_post = register(
        client,
        round_,
        original=SimpleUploadedFile("skan.pdf", PDF, content_type="application/pdf"),
        submitter_justification="Uzasadnienie z listu.",
    )
    by_email = register(
        client,
        round_,
        channel=Channel.EMAIL,
        person_name="",
        new_organisation="Stowarzyszenie Nowe",
        text="Uwaga z e-maila.",
        original=SimpleUploadedFile("zdjecie.png", PNG, content_type="image/png"),
    )
    assert by_post.status_code == by_email.status_code == 302
    # The round closes; a letter arrives after the deadline.
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - 1.5 * DAY)
    late = register(client, round_, text="Spóźniony list.", received_at=local(timezone.now() - DAY))
    assert late.status_code == 302
    registered = list(Comment.objects.filter(round=round_).exclude(channel=Channel.ONLINE))
    assert len(registered) == 3
    post, email, late_comment = sorted(registered, key=lambda c: c.pk)
    assert post.channel == Channel.POST and email.channel == Channel.EMAIL
    assert post.author is None and post.registered_by == coordinator
    assert email.organisation is not None and email.organisation.name == "Stowarzyszenie Nowe"
    assert not email.organisation.is_verified
    assert late_comment.is_late and not post.is_late
    numbers = [online.registration_number, post.registration_number, email.registration_number]
    assert all(NUMBER.match(n or "") for n in numbers) and len(set(numbers)) == 3

    # The settle page offers the late comment "not considered" with the suggested reason.
    settle_url = f"/consultations/{round_.pk}/settle/"
    page = client.get(settle_url).content.decode()
    assert "The comment was received after the consultation closed." in page
    assert page.count("Uzasadnienie z listu.") == 1  # the letter's justification, once
    assert 'id="late-comments"' in page and late_comment.registration_number in page
    # The coordinator who registered them settles them: they did not write them.
    late_settled = client.post(
        settle_url,
        {
            "comments": [late_comment.pk],
            f"version-{late_comment.pk}": late_comment.version,
            "disposition": Disposition.NOT_CONSIDERED,
            "justification": "The comment was received after the consultation closed.",
        },
    )
    rest = [Comment.objects.get(pk=c.pk) for c in (online, post, email)]
    others = client.post(
        settle_url,
        {
            "comments": [c.pk for c in rest],
            **{f"version-{c.pk}": c.version for c in rest},
            "disposition": Disposition.ACCEPTED,
            "justification": "Przyjęto.",
        },
    )
    assert late_settled.status_code == others.status_code == 302
    assert client.post(f"/consultations/{round_.pk}/step/settled/", CONFIRMED).status_code == 302
    assert client.post(f"/consultations/{round_.pk}/step/publish/", CONFIRMED).status_code == 302

    report = as_user(None).get(f"/consultations/{round_.pk}/report/").content.decode()
    for comment in (online, post, email, late_comment):
        assert comment.registration_number in report
    assert "post," in report and "e-mail," in report and "Private person" in report
    assert "Anna Przykładowa" not in report  # no consent to publish the name
    assert "Uzasadnienie z listu." in report
    assert "not considered" in report

    rows = list(
        csv.reader(
            io.StringIO(
                as_user(None)
                .get(f"/consultations/{round_.pk}/report.csv")
                .content.decode("utf-8-sig")
            )
        )
    )
    header = rows[0]
    by_number = {row[header.index("Numer rejestracyjny")]: row for row in rows[1:]}
    # A file of the report: Polish, as its PDF, for a reader of the English page too.
    assert by_number[post.registration_number][header.index("Kanał")] == "poczta"
    assert by_number[email.registration_number][header.index("Kanał")] == "e-mail"
    assert by_number[online.registration_number][header.index("Kanał")] == "portal"
    assert (
        by_number[post.registration_number][header.index("Uzasadnienie uwagi")]
        == "Uzasadnienie z listu."
    )
    # Late, as the page and the PDF say.
    assert {
        number: row[header.index("Wpłynęła po terminie")] for number, row in by_number.items()
    } == {
        online.registration_number: "",
        post.registration_number: "",
        email.registration_number: "",
        late_comment.registration_number: "tak",
    }
    xlsx = as_user(None).get(f"/consultations/{round_.pk}/report.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == header
    assert [row[header.index("Numer rejestracyjny")] for row in values[1:]] == [
        row[header.index("Numer rejestracyjny")] for row in rows[1:]
    ]
    assert {row[header.index("Kanał")] for row in values[1:]} == {"portal", "poczta", "e-mail"}

    # A report published before "Received late" was appended: worked out from its frozen
    # "Received at", as its page and PDF marked it.
    publication = Publication.objects.get(kind="report", object_id=round_.pk)
    Publication.objects.filter(pk=publication.pk).update(
        page={
            code: {**frozen, "rows": [row[:-1] for row in frozen["rows"]]}
            for code, frozen in publication.page.items()
        }
    )
    older = list(
        csv.reader(
            io.StringIO(
                as_user(None)
                .get(f"/consultations/{round_.pk}/report.csv")
                .content.decode("utf-8-sig")
            )
        )
    )
    assert older == rows


def test_registering_and_correcting_a_comment_is_audited_and_keeps_its_number(
    announced_round: Round, coordinator: User, as_user: Login
) -> None:
    client = as_user(coordinator)
    assert register(client, announced_round).status_code == 302
    comment = Comment.objects.get(round=announced_round)
    number = comment.registration_number
    page = client.get(f"/consultations/comments/{comment.pk}/registered/")
    assert page.status_code == 200 and "Uwaga nadesłana pocztą." in page.content.decode()
    fixed = client.post(
        f"/consultations/comments/{comment.pk}/registered/",
        form(text="Poprawiona treść.", channel=Channel.EPUAP, version=comment.version),
    )
    assert fixed.status_code == 302
    comment.refresh_from_db()
    assert (comment.text, comment.channel, comment.registration_number) == (
        "Poprawiona treść.",
        Channel.EPUAP,
        number,
    )
    assert comment.revisions.get().text == "Uwaga nadesłana pocztą."
    actions = list(
        AuditEntry.objects.filter(target_id=str(comment.pk)).values_list("action", flat=True)
    )
    assert ConsultationsAudit.COMMENT_REGISTER.value in actions
    assert ConsultationsAudit.COMMENT_REGISTER_EDIT.value in actions


def test_a_settled_registered_comment_says_it_cannot_be_corrected_before_anything_is_typed(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.CLOSED)
    comment = Comment.objects.create(
        round=round_,
        author=None,
        author_role=AuthorRole.PERSON,
        channel=Channel.POST,
        registered_by=coordinator,
        received_at=round_.opens_at,
        text="List",
    )
    services.comments_settle(
        actor=coordinator,
        round_=round_,
        versions={comment.pk: comment.version},
        disposition=Disposition.ACCEPTED,
        justification="Tak.",
    )
    page = as_user(coordinator).get(f"/consultations/comments/{comment.pk}/registered/")
    assert page.status_code == 409
    body = page.content.decode()
    assert "A settled or withdrawn comment can no longer be corrected." in body
    assert "<textarea" not in body
    assert f'href="/consultations/{round_.pk}/settle/"' in body  # back where it is listed


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("duzy.pdf", PDF + b"0" * (10 * 1024 * 1024), "larger than 10 MB"),
        ("obraz.gif", b"GIF89a" + b"\x00" * 20, "must be a PDF, JPEG or PNG"),
        ("strona.pdf", b"<!DOCTYPE html><html><script>alert(1)</script>", "must be a PDF"),
    ],
)
def test_a_wrong_original_is_refused_and_nothing_is_stored(
    announced_round: Round,
    coordinator: User,
    as_user: Login,
    media: Path,
    name: str,
    content: bytes,
    message: str,
) -> None:
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = register(as_user(coordinator), announced_round, original=upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.filter(round=announced_round).exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (DAY, "The date received is in the future."),
        (-20 * DAY, "The date received is before the round was announced"),
    ],
)
def test_a_received_date_in_the_future_or_before_the_announcement_is_refused(
    announced_round: Round,
    coordinator: User,
    as_user: Login,
    media: Path,
    when: dt.timedelta,
    message: str,
) -> None:
    response = register(
        as_user(coordinator),
        announced_round,
        received_at=local(timezone.now() + when),
        original=SimpleUploadedFile("skan.pdf", PDF),
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not Comment.objects.filter(round=announced_round).exists()
    assert stored_files(media) == []


def test_a_letter_received_in_the_minute_of_the_announcement_is_in_time(
    announced_round: Round, coordinator: User
) -> None:
    """The form takes minutes: 12:05 for a round announced at 12:05:55 is not "before"."""
    announced = announced_round.announced_at.replace(second=55, microsecond=0)
    Round.objects.filter(pk=announced_round.pk).update(announced_at=announced)
    announced_round.refresh_from_db()
    same_minute = announced.replace(second=0)
    assert register_services.received_at_problem(announced_round, same_minute) is None
    earlier = same_minute - dt.timedelta(minutes=1)
    assert "before the round was announced" in str(
        register_services.received_at_problem(announced_round, earlier)
    )


def test_a_refusal_after_the_file_was_stored_leaves_no_file(
    announced_round: Round, coordinator: User, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(round_: Round) -> str:
        raise services.Refused("no number")

    monkeypatch.setattr(numbering, "registration_number_next", refuse)
    with pytest.raises(services.Refused):
        register_services.comment_register(
            actor=coordinator,
            round_=announced_round,
            channel=Channel.POST,
            received_at=timezone.now() - DAY,
            submitter=register_services.Submitter(person="X"),
            text="Tekst",
            original=Original(file=SimpleUploadedFile("a.pdf", PDF), extension="pdf", name="a.pdf"),
        )
    assert not Comment.objects.filter(round=announced_round).exists()
    assert stored_files(media) == []


def test_the_submitter_is_given_once(
    announced_round: Round, coordinator: User, as_user: Login
) -> None:
    for fields in ({"person_name": ""}, {"new_organisation": "Druga"}):
        response = register(as_user(coordinator), announced_round, **fields)
        assert response.status_code == 400
        assert "Give the submitter once" in response.content.decode()
    assert not Comment.objects.filter(round=announced_round).exists()


# --- The original, for the coordinating team only --------------------------------------------


def test_the_original_is_served_only_to_the_coordinating_team_as_a_download_not_stored(
    announced_round: Round, coordinator: User, member: User, expert: User, as_user: Login
) -> None:
    upload = SimpleUploadedFile("skan.pdf", PDF, content_type="application/pdf")
    register(as_user(coordinator), announced_round, original=upload)
    comment = Comment.objects.get(round=announced_round)
    assert comment.attachment_name == "skan.pdf"
    assert "skan" not in comment.attachment.name  # stored under a name of our own
    url = f"/consultations/comments/{comment.pk}/original/"
    response = as_user(coordinator).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    for user in (member, expert):
        assert as_user(user).get(url).status_code == 404
    assert as_user(None).get(url).status_code == 302  # to the login page
    assert as_user(None).get(f"/media/{comment.attachment.name}").status_code == 404


# --- Permissions and phases ------------------------------------------------------------------


def test_only_the_coordinating_team_registers(
    announced_round: Round, member: User, expert: User, moderator: User, as_user: Login
) -> None:
    url = f"/consultations/{announced_round.pk}/register/"
    for user in (member, expert, moderator):
        assert as_user(user).get(url).status_code == 403
        assert register(as_user(user), announced_round).status_code == 403
    assert not Comment.objects.filter(round=announced_round).exists()


@pytest.mark.parametrize(
    ("phase", "allowed"),
    [
        (Phase.DRAFT, False),
        (Phase.ANNOUNCED, True),
        (Phase.OPEN, True),
        (Phase.CLOSED, True),
        (Phase.SETTLED, False),
        (Phase.REPORT_PUBLISHED, False),
    ],
)
def test_the_register_is_open_from_the_announcement_until_settling(
    make_round: Callable[..., Round], coordinator: User, as_user: Login, phase: str, allowed: bool
) -> None:
    round_ = make_round(phase)
    response = as_user(coordinator).get(f"/consultations/{round_.pk}/register/")
    assert response.status_code == (200 if allowed else 403)


# --- Numbers ---------------------------------------------------------------------------------


def test_a_withdrawn_comments_number_is_not_given_again(
    announced_round: Round, member: User, member_org: Organisation
) -> None:
    def post(text: str) -> Comment:
        return services.comment_post(
            actor=member,
            round_=announced_round,
            text=text,
            author_role=AuthorRole.ORGANISATION,
            organisation=member_org,
        )

    first = post("Pierwsza")
    services.comment_withdraw(actor=member, comment=first)
    second = post("Druga")
    assert first.registration_number != second.registration_number
    assert int(second.registration_number.rsplit("/", 1)[1]) == (
        int(first.registration_number.rsplit("/", 1)[1]) + 1
    )
    year = timezone.localtime(announced_round.opens_at).year
    assert first.registration_number.startswith(f"KZ/{year}/")


def test_replies_get_no_registration_number(
    announced_round: Round, member: User, member_org: Organisation, expert: User
) -> None:
    comment = services.comment_post(
        actor=member,
        round_=announced_round,
        text="Uwaga",
        author_role=AuthorRole.ORGANISATION,
        organisation=member_org,
    )
    reply = services.comment_post(
        actor=expert,
        round_=announced_round,
        text="Odpowiedź",
        author_role=AuthorRole.EXPERT,
        parent=comment,
    )
    assert comment.registration_number and reply.registration_number is None


def test_the_demo_settled_round_has_comments_by_post_and_by_email_with_their_channel(
    seeded: Any, as_user: Login
) -> None:
    round_ = Round.objects.get(title=SETTLED_TITLE)
    channels = set(round_.comments.values_list("channel", flat=True))
    assert {Channel.POST, Channel.EMAIL} <= channels
    assert not round_.comments.filter(parent=None, registration_number=None).exists()
    report = as_user(None).get(f"/consultations/{round_.pk}/report/").content.decode()
    assert "post," in report and "e-mail," in report


def test_the_round_page_shows_a_registered_comment_with_its_number_and_channel(
    announced_round: Round, coordinator: User, as_user: Login
) -> None:
    register(as_user(coordinator), announced_round, submitter_justification="Bo tak.")
    comment = Comment.objects.get(round=announced_round)
    page = as_user(None).get(announced_round.get_absolute_url()).content.decode()
    assert f"({comment.registration_number})" in page
    assert "received by post" in page and "Bo tak." in page
    assert "Private person" in page and "Anna Przykładowa" not in page
