"""/meetings/<pk>/postulated-actions.pdf: the seeds' Załącznik nr 3 as a PDF."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action
from documents.meeting_annex import meeting_actions_document
from pdf import cache as pdf_cache
from pdf.models import PdfRendering
from teams.models import Meeting, User
from tests.seeds import annex_3_actions, fold

from .conftest import render_pending_publications
from .helpers import pdf_all_bytes, pdf_fonts, pdf_info, pdf_text

pytestmark = pytest.mark.django_db


def url(meeting: Meeting) -> str:
    return reverse("pdf:meeting-actions", kwargs={"pk": meeting.pk})


def download(client: Client, meeting: Meeting) -> bytes:
    response = client.get(url(meeting))
    if response.status_code == 202:  # frozen at its first request; the worker renders it
        render_pending_publications()
        response = client.get(url(meeting))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_annex_pdf_has_the_heading_and_all_18_actions_in_order(
    client: Client, seeded: Meeting
) -> None:
    text = pdf_text(download(client, seeded))
    assert text.startswith("Załącznik nr 3 POSTULOWANE DZIAŁANIA –LISTA WYPRACOWANA PODCZAS")
    assert "NA LATA 2012-2014 Postulowane działania:" in text
    assert "ZREALIZOWANEGO 6.07.2011 r. W RAMACH" in text  # the title as typed, not capitalised
    expected = annex_3_actions()
    assert len(expected) == 18
    position = 0
    for number, action in enumerate(expected, start=1):
        found = text.find(f"{number}. {fold(action)}", position)
        assert found >= 0, f"action {number} missing or out of order"
        position = found
    assert "Page 1 of" in text or "Strona 1 z" in text


def test_annex_pdf_has_metadata_and_embedded_fonts(client: Client, seeded: Meeting) -> None:
    body = download(client, seeded)
    info = pdf_info(body)
    assert info["Title"].startswith("Załącznik nr 3 – Postulowane działania")
    assert "6 lipca 2011" in info["Title"]
    assert info["Tagged"] == "yes"
    assert b"/Lang (pl)" in pdf_all_bytes(body)
    fonts = pdf_fonts(body)
    assert fonts
    assert all(font["emb"] == "yes" for font in fonts)


def test_published_annex_has_no_draft_mark_and_an_unpublished_one_does(seeded: Meeting) -> None:
    assert meeting_actions_document(str(seeded.pk)).draft is False
    Meeting.objects.filter(pk=seeded.pk).update(status=Meeting.Status.CLOSED)
    assert meeting_actions_document(str(seeded.pk)).draft is True


def test_annex_page_links_to_the_pdf(client: Client, seeded: Meeting) -> None:
    response = client.get(reverse("actions:meeting-actions", kwargs={"meeting_pk": seeded.pk}))
    assert f'href="{url(seeded)}"' in response.content.decode()


@pytest.mark.parametrize(
    "text",
    [
        '<img src="file:///etc/passwd">',
        '<a rel="attachment" href="file:///etc/passwd">passwd</a>',
    ],
)
def test_action_text_pointing_at_a_local_file_yields_no_attachment_and_no_content(
    client: Client, seeded: Meeting, text: str
) -> None:
    Action.objects.filter(meeting=seeded, number=1).update(text=text)
    body = download(client, seeded)
    everything = pdf_all_bytes(body)
    assert b"/EmbeddedFile" not in everything
    assert b"root:x:0:0" not in everything
    extracted = pdf_text(body)
    assert "root:x:0:0" not in extracted
    assert f"1. {text}" in extracted  # shown as the text the member wrote


def test_draft_meeting_pdf_is_404_for_anonymous_visitors_and_members(
    client: Client, seeded: Meeting, member: User
) -> None:
    Meeting.objects.filter(pk=seeded.pk).update(status=Meeting.Status.DRAFT)
    assert client.get(url(seeded)).status_code == 404
    client.force_login(member)
    assert client.get(url(seeded)).status_code == 404
    assert not PdfRendering.objects.exists()


def test_draft_meeting_pdf_is_served_to_its_moderator_as_a_download_nobody_stores(
    client: Client, seeded: Meeting, moderator: User
) -> None:
    Meeting.objects.filter(pk=seeded.pk).update(status=Meeting.Status.DRAFT)
    client.force_login(moderator)
    response = client.get(url(seeded))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith("attachment;")


def test_missing_meeting_pdf_is_404(client: Client, seeded: Meeting) -> None:
    assert client.get(reverse("pdf:meeting-actions", kwargs={"pk": 999999})).status_code == 404


@pytest.mark.usefixtures("work_in_progress")
def test_same_inputs_are_served_from_the_stored_file(
    client: Client, seeded: Meeting, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_body = download(client, seeded)
    rendering = PdfRendering.objects.get()
    assert rendering.status == PdfRendering.Status.DONE
    assert (media_root / rendering.file.name).read_bytes() == first_body

    def no_render(*args: object, **kwargs: object) -> None:
        raise AssertionError("rendered again")

    monkeypatch.setattr(pdf_cache, "render_document", no_render)
    assert download(client, seeded) == first_body
    assert PdfRendering.objects.count() == 1


@pytest.mark.usefixtures("work_in_progress")
def test_changed_action_text_makes_a_new_rendering_and_drops_the_old_file(
    client: Client, seeded: Meeting, media_root: Path
) -> None:
    first = download(client, seeded)
    old = PdfRendering.objects.get()
    old_path = media_root / old.file.name
    assert old_path.exists()

    Action.objects.filter(meeting=seeded, number=18).update(text="Nowe brzmienie działania 18.")
    second = download(client, seeded)
    assert second != first
    assert "Nowe brzmienie działania 18." in pdf_text(second)
    new = PdfRendering.objects.get()
    assert new.pk != old.pk
    assert not old_path.exists()


def test_a_published_annex_is_served_from_its_publication_whatever_changes(
    client: Client, seeded: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = download(client, seeded)
    Action.objects.filter(meeting=seeded, number=18).update(text="Nowe brzmienie działania 18.")
    assert download(client, seeded) == first
    response = client.get(url(seeded))
    assert response["ETag"] == f'"{hashlib.sha256(first).hexdigest()}"'
    assert client.get(url(seeded), headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_annex_without_its_own_heading_names_team_date_and_programme_period(
    client: Client, seeded: Meeting
) -> None:
    seeded.team.programme.title = "Program współpracy"
    seeded.team.programme.save()
    Meeting.objects.filter(pk=seeded.pk).update(annex_title="", annex_number=None)
    text = pdf_text(download(client, seeded))
    assert not text.startswith("Załącznik nr")
    heading = text.split("Postulowane działania:")[0]
    assert seeded.team.name.upper() in heading
    assert "6 LIPCA 2011" in heading
    assert re.search(r"PROGRAM WSPÓŁPRACY 2012–\s?2014", heading)  # may break after the dash
