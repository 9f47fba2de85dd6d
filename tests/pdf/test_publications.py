"""Publications that never change: a published version of the programme, a consultation
report and a meeting's annex are frozen when published (annexes included), rendered once and
served from the stored bytes, whatever changes afterwards."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action
from consultations import services
from consultations.models import Round
from consultations.phases import Phase
from core.models import AuditEntry
from documents.models import Publication
from drafts import services as draft_services
from drafts.models import ProgrammeDraft
from pdf import render as pdf_render
from teams.meeting_services import meeting_advance
from teams.models import Meeting, Organisation, Representation, Team, User

from .helpers import Download, pdf_text
from .test_stamp_cache import _comment, make_round

pytestmark = pytest.mark.django_db


def _document_part(html: str) -> str:
    """The published document on the version page (the header and menus around it are the
    portal's, not the publication's)."""
    match = re.search(r'<article id="publication".*?</article>', html, re.DOTALL)
    assert match, "the version page shows the document in <article id=publication>"
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
    # Each publication was rendered once.
    assert Publication.objects.filter(status=Publication.Status.DONE).count() == 5


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
