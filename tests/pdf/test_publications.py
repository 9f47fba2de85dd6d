"""Publications that never change: a published version of the programme, a consultation
report and a meeting's annex are frozen when published (annexes included), rendered once and
served from the stored bytes, whatever changes afterwards."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from consultations import services
from consultations.models import Comment, Round
from consultations.phases import Phase
from core.models import AuditEntry
from documents.models import Publication
from documents.publications import publication_erratum, publication_render
from drafts import services as draft_services
from drafts.models import ProgrammeDraft
from pdf import render as pdf_render
from teams.meeting_services import meeting_advance
from teams.models import Meeting, Organisation, Representation, Team, User

from .helpers import Download, pdf_text
from .test_stamp_cache import _comment, make_round

pytestmark = pytest.mark.django_db


def _document_part(html: str) -> str:
    """The published document on its page (the header and menus around it are the portal's,
    not the publication's)."""
    match = re.search(r'<article id="publication".*?</article>', html, re.DOTALL)
    assert match, "the page shows the document in <article id=publication>"
    return match.group(0)


def test_it_keeps_version_1_its_report_and_the_meeting_annex_byte_for_byte(
    client: Client,
    download: Download,
    seeded: Meeting,
    coordinator: User,
    member: User,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    member.first_name, member.last_name, member.show_name_publicly = "Anna", "Nowak", True
    member.save()
    organisation = Representation.objects.get(user=member).organisation
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    report = make_round(seeded, coordinator, "Runda ze sprawozdaniem", Phase.SETTLED)
    _comment(report, member, organisation, "Uwaga Anny Nowak")
    with django_capture_on_commit_callbacks(execute=True):
        version = draft_services.draft_version_publish(actor=coordinator, draft=draft)
        services.round_publish_report(actor=coordinator, round_=report)
    urls = [
        reverse("drafts:version-pdf", args=[version.pk]),
        reverse("drafts:version-pdf", args=[version.pk]) + "?lines=1",
        reverse("drafts:round-report-pdf", args=[report.pk]),
        reverse("pdf:meeting-actions", args=[seeded.pk]),
    ]
    page = reverse("drafts:version-detail", args=[version.pk])
    before = {url: download(client, url) for url in urls}
    page_before = _document_part(client.get(page).content.decode())
    assert "Anna Nowak" in pdf_text(before[urls[2]])
    annexes_before = pdf_text(before[urls[0]]).count("Runda ze sprawozdaniem")

    # Later: a new meeting is published, another report, teams and organisations are renamed,
    # the author withdraws consent to show her name, the meeting's actions change.
    later = Meeting.objects.create(
        team=seeded.team, date="2011-09-01", status=Meeting.Status.PUBLISHED
    )
    Action.objects.create(team=seeded.team, meeting=later, number=1, text="Nowe działanie")
    Action.objects.filter(meeting=seeded, number=1).update(text="Zmieniony tekst")
    second = make_round(seeded, coordinator, "Późniejsza runda", Phase.SETTLED)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish_report(actor=coordinator, round_=second)
    Team.objects.filter(pk=seeded.team_id).update(name="Zespół o nowej nazwie")
    Organisation.objects.filter(pk=organisation.pk).update(name="Nowa nazwa organizacji")
    member.show_name_publicly = False
    member.save()

    for url in urls:
        assert download(client, url) == before[url], url
    assert _document_part(client.get(page).content.decode()) == page_before
    assert pdf_text(before[urls[0]]).count("Runda ze sprawozdaniem") == annexes_before
    assert "Późniejsza runda" not in pdf_text(before[urls[0]])
    # Each publication was rendered once (each published report's comment table too).
    assert Publication.objects.filter(status=Publication.Status.DONE).count() == 7


def test_it_shows_the_sha256_of_the_served_file_and_the_publication_record(
    client: Client,
    download: Download,
    seeded: Meeting,
    coordinator: User,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    with django_capture_on_commit_callbacks(execute=True):
        version = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    served = download(client, reverse("drafts:version-pdf", args=[version.pk]))
    page = client.get(reverse("drafts:version-detail", args=[version.pk])).content.decode()
    assert hashlib.sha256(served).hexdigest() in page
    assert "Urząd Miasta Krakowa" in page  # the publishing body
    assert coordinator.get_full_name() in page  # the responsible person


def test_it_does_not_render_a_publication_again_when_the_code_changes(
    client: Client,
    download: Download,
    seeded: Meeting,
    coordinator: User,
    django_capture_on_commit_callbacks: Callable,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    with django_capture_on_commit_callbacks(execute=True):
        version = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    url = reverse("drafts:version-pdf", args=[version.pk])
    first = download(client, url)
    monkeypatch.setattr(pdf_render, "code_version", lambda: "a later deployment")
    monkeypatch.setattr(pdf_render, "render_html", _no_render)
    assert download(client, url) == first


def _no_render(*args: object, **kwargs: object) -> None:
    raise AssertionError("a publication is never rendered again")


def test_an_erratum_is_dated_and_signed_and_leaves_the_bytes_alone(
    client: Client,
    download: Download,
    seeded: Meeting,
    coordinator: User,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    with django_capture_on_commit_callbacks(execute=True):
        version = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    url = reverse("drafts:version-pdf", args=[version.pk])
    first = download(client, url)
    publication = Publication.objects.get(kind="version", object_id=str(version.pk))
    client.force_login(coordinator)
    response = client.post(
        reverse("documents:erratum", args=[publication.pk]),
        {"text": "W § 3 zamiast „2012” powinno być „2013”."},
    )
    assert response.status_code == 302
    assert download(client, url) == first
    page = client.get(reverse("drafts:version-detail", args=[version.pk])).content.decode()
    assert "W § 3 zamiast „2012” powinno być „2013”." in page
    assert publication.changes.get().by_name == str(coordinator)
    assert AuditEntry.objects.filter(
        action="publication.erratum", target_id=str(publication.pk), actor=coordinator
    ).exists()


def test_only_the_coordinating_team_adds_an_erratum(
    client: Client,
    seeded: Meeting,
    coordinator: User,
    member: User,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    with django_capture_on_commit_callbacks(execute=True):
        version = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    publication = Publication.objects.get(kind="version", object_id=str(version.pk))
    client.force_login(member)
    response = client.post(reverse("documents:erratum", args=[publication.pk]), {"text": "x"})
    assert response.status_code == 404
    assert not publication.changes.exists()
    client.force_login(coordinator)
    response = client.post(reverse("documents:erratum", args=[publication.pk]), {"text": "  "})
    assert response.status_code == 302
    assert not publication.changes.exists()
    assert not AuditEntry.objects.filter(action="publication.erratum").exists()


def test_the_meeting_annex_page_shows_its_publication_record(
    client: Client, download: Download, seeded: Meeting
) -> None:
    served = download(client, reverse("pdf:meeting-actions", args=[seeded.pk]))
    page = client.get(reverse("actions:meeting-actions", kwargs={"meeting_pk": seeded.pk}))
    assert hashlib.sha256(served).hexdigest() in page.content.decode()


def test_a_round_report_before_publication_is_not_frozen(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    settled = make_round(seeded, coordinator, "Runda w toku", Phase.SETTLED)
    client.force_login(coordinator)
    client.get(reverse("drafts:round-report-pdf", args=[settled.pk]))
    assert not Publication.objects.filter(kind="report").exists()
    assert Round.objects.get(pk=settled.pk).status == Phase.SETTLED


def test_publishing_a_meetings_results_freezes_its_annex_signed_by_who_published(
    seeded: Meeting,
    moderator: User,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    Meeting.objects.filter(pk=seeded.pk).update(status=Meeting.Status.CLOSED)
    seeded.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_advance(actor=moderator, meeting=seeded, expected_status=Meeting.Status.CLOSED)
    publication = Publication.objects.get(kind="meeting-actions", object_id=str(seeded.pk))
    assert publication.responsible == str(moderator)
    assert publication.status == Publication.Status.DONE
    assert publication.published_at == Meeting.objects.get(pk=seeded.pk).published_at


def test_a_publication_whose_file_is_gone_is_a_503_and_is_not_rendered_again(
    client: Client,
    download: Download,
    seeded: Meeting,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = reverse("pdf:meeting-actions", args=[seeded.pk])
    download(client, url)
    publication = Publication.objects.get()
    publication.file.storage.delete(publication.file.name)
    monkeypatch.setattr(pdf_render, "render_html", _no_render)
    assert client.get(url).status_code == 503
    publication.refresh_from_db()
    assert publication.status == Publication.Status.DONE


def _anonymous_page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_published_report_page_shows_what_was_published_and_its_record(
    client: Client,
    download: Download,
    seeded: Meeting,
    coordinator: User,
    member: User,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    member.first_name, member.last_name, member.show_name_publicly = "Anna", "Nowak", True
    member.save()
    organisation = Representation.objects.get(user=member).organisation
    report = make_round(seeded, coordinator, "Runda ze sprawozdaniem", Phase.SETTLED)
    comment = _comment(report, member, organisation, "Uwaga Anny Nowak")
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish_report(actor=coordinator, round_=report)
    url = reverse("consultations:round-report", args=[report.pk])
    before = _document_part(_anonymous_page(url))
    assert "Uwaga Anny Nowak" in before
    assert organisation.name in before

    # Later: renamed team and organisation, consent withdrawn, the comment edited and hidden
    # by an administrator, another round's report published.
    Team.objects.filter(pk=seeded.team_id).update(name="Zespół o nowej nazwie")
    organisation.name = "Nowa nazwa organizacji"
    organisation.save()
    member.show_name_publicly = False
    member.save()
    comment.text = "Tekst zmieniony później"
    comment.justification = "Inne uzasadnienie"
    comment.save()
    Comment.objects.filter(pk=comment.pk).update(hidden_at=timezone.now(), hidden_reason="x")
    Round.objects.filter(pk=report.pk).update(comments_changed_at=timezone.now())
    second = make_round(seeded, coordinator, "Późniejsza runda", Phase.SETTLED)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish_report(actor=coordinator, round_=second)

    for visitor in (Client(), client):
        if visitor is client:
            client.force_login(coordinator)
        page = visitor.get(url).content.decode()
        assert _document_part(page) == before
    served = download(client, reverse("drafts:round-report-pdf", args=[report.pk]))
    page = _anonymous_page(url)
    assert hashlib.sha256(served).hexdigest() in page
    assert 'id="publication-record-report"' in page
    assert "MOWIS" in page  # the publishing body: the round's responsible office


def test_an_erratum_shows_at_once_on_the_cached_report_page(
    client: Client,
    seeded: Meeting,
    coordinator: User,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    report = make_round(seeded, coordinator, "Runda z erratą", Phase.SETTLED)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish_report(actor=coordinator, round_=report)
    url = reverse("consultations:round-report", args=[report.pk])
    _anonymous_page(url)  # now in the page cache
    publication = Publication.objects.get(kind="report", object_id=str(report.pk))
    client.force_login(coordinator)
    response = client.post(
        reverse("documents:erratum", args=[publication.pk]), {"text": "Errata nr 1"}
    )
    assert response["Location"].endswith(f"/report/#{publication.anchor}")
    assert f'id="{publication.anchor}"' in _anonymous_page(url)
    assert "Errata nr 1" in _anonymous_page(url)


def test_the_report_page_shows_the_sha256_once_the_pdf_is_made_even_from_the_cache(
    seeded: Meeting,
    coordinator: User,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    report = make_round(seeded, coordinator, "Runda renderowana później", Phase.SETTLED)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.round_publish_report(actor=coordinator, round_=report)
    url = reverse("consultations:round-report", args=[report.pk])
    for callback in queued:  # the commit: the freeze; the rendering is queued in turn
        with django_capture_on_commit_callbacks(execute=False):
            callback()
    assert "Plik PDF jest w przygotowaniu." in _anonymous_page(url)  # now in the page cache
    publication = Publication.objects.get(kind="report", object_id=str(report.pk))
    publication_render(publication_id=publication.pk)
    publication.refresh_from_db()
    assert publication.sha256 and publication.sha256 in _anonymous_page(url)


def test_the_report_exports_of_a_published_report_agree_with_it(
    seeded: Meeting,
    coordinator: User,
    member: User,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    organisation = Representation.objects.get(user=member).organisation
    report = make_round(seeded, coordinator, "Runda z eksportem", Phase.SETTLED)
    comment = _comment(report, member, organisation, "Uwaga do eksportu")
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish_report(actor=coordinator, round_=report)
    csv_url = reverse("consultations:round-report-csv", args=[report.pk])
    xlsx_url = reverse("consultations:round-report-xlsx", args=[report.pk])
    csv_before = Client().get(csv_url).content
    xlsx_before = _xlsx_cells(Client().get(xlsx_url).content)
    organisation.name = "Nowa nazwa organizacji"
    organisation.save()
    comment.text = "Tekst zmieniony później"
    comment.save()
    assert Client().get(csv_url).content == csv_before
    assert _xlsx_cells(Client().get(xlsx_url).content) == xlsx_before
    # The frozen rows keep the times as text; the XLSX still stores them as date cells.
    header = list(xlsx_before[0])
    (row,) = [row for row in xlsx_before if "Uwaga do eksportu" in row]
    registered = timezone.localtime(comment.created_at).replace(tzinfo=None)
    assert row[header.index("Data rejestracji")] == registered.replace(second=0, microsecond=0)
    assert "Uwaga do eksportu" in csv_before.decode("utf-8-sig")


def _xlsx_cells(data: bytes) -> list[tuple[object, ...]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


def test_the_published_meeting_annex_page_shows_what_was_published(
    download: Download,
    seeded: Meeting,
    coordinator: User,
) -> None:
    url = reverse("actions:meeting-actions", kwargs={"meeting_pk": seeded.pk})
    served = download(Client(), reverse("pdf:meeting-actions", args=[seeded.pk]))
    before = _document_part(_anonymous_page(url))
    assert Action.objects.get(meeting=seeded, number=1).text in before
    Action.objects.filter(meeting=seeded, number=1).update(text="Zmieniony tekst")
    Team.objects.filter(pk=seeded.team_id).update(name="Zespół o nowej nazwie")
    Meeting.objects.filter(pk=seeded.pk).update(annex_number="99")
    page = _anonymous_page(url)
    assert _document_part(page) == before
    assert hashlib.sha256(served).hexdigest() in page
    publication = Publication.objects.get(kind="meeting-actions", object_id=str(seeded.pk))
    publication_erratum(actor=coordinator, publication=publication, text="Errata do załącznika")
    assert "Errata do załącznika" in _anonymous_page(url)


def test_a_cached_published_report_page_loads_neither_the_html_nor_the_page(
    seeded: Meeting,
    coordinator: User,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    report = make_round(seeded, coordinator, "Runda w pamięci podręcznej", Phase.SETTLED)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish_report(actor=coordinator, round_=report)
    url = reverse("consultations:round-report", args=[report.pk])
    _anonymous_page(url)
    with CaptureQueriesContext(connection) as queries:
        _anonymous_page(url)
    assert len(queries) == 2  # the round and its publication's stamp
    selected = " ".join(query["sql"].split(" FROM ")[0] for query in queries)
    assert '"html"' not in selected
    assert '"page"' not in selected.replace('"page" IS NOT NULL', "")
