"""The report's annexes: the KRDPP opinion and the minutes of each open meeting, PDF only
(the type read from the content), uploaded by the coordinating team before the report is
published; visible only to that team until then, public downloads after; audited; listed
in the report."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from odfdo import Document

from consultations.models import Round, RoundAnnex, RoundEvent
from consultations.phases import Phase
from consultations.register_forms import ORIGINAL_LIMIT
from core.models import AuditEntry
from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
PDF = b"%PDF-1.4\n% opinion\n"


def _pdf(name: str = "opinia.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _meeting(round_: Round) -> RoundEvent:
    starts = round_.opens_at + dt.timedelta(days=1)
    return RoundEvent.objects.create(
        round=round_,
        kind=RoundEvent.Kind.OPEN_MEETING,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place="Sala Obrad",
    )


def _upload(client: Client, round_: Round, target: str, upload: SimpleUploadedFile) -> object:
    return client.post(
        f"/consultations/{round_.pk}/annexes/new/", {"target": target, "file": upload}
    )


def test_a_coordinator_uploads_the_opinion_and_minutes_seen_only_by_the_team_until_published(
    make_round: Callable[..., Round], coordinator: User, member: User, as_user: Login
) -> None:
    round_ = make_round(Phase.SETTLED)
    event = _meeting(round_)
    client = as_user(coordinator)
    assert _upload(client, round_, "opinion", _pdf()).status_code == 302
    assert _upload(client, round_, f"minutes:{event.pk}", _pdf("protokol.pdf")).status_code == 302
    opinion = RoundAnnex.objects.get(round=round_, kind=RoundAnnex.Kind.KRDPP_OPINION)
    minutes = RoundAnnex.objects.get(round=round_, kind=RoundAnnex.Kind.MINUTES, event=event)
    assert not opinion.file.name.endswith("opinia.pdf")  # stored under a name of our own
    assert default_storage.exists(opinion.file.name)
    assert AuditEntry.objects.filter(action="round.annex_upload").count() == 2
    url = f"/consultations/annexes/{opinion.pk}/file/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == PDF
    assert as_user(member).get(url).status_code == 404
    assert as_user(None).get(url).status_code == 404
    page = client.get(f"/consultations/{round_.pk}/report/").content.decode()
    assert "Annexes" in page
    assert f"/consultations/annexes/{minutes.pk}/file/" in page
    odt = Document(io.BytesIO(client.get(f"/consultations/{round_.pk}/report.odt").content))
    text = "\n".join(p.text_recursive for p in odt.body.get_elements("//text:h|//text:p"))
    assert "Załączniki" in text
    assert "Opinia Krakowskiej Rady Działalności Pożytku Publicznego" in text
    assert f"/consultations/annexes/{opinion.pk}/file/" in text
    # Published: a public download; no more changes.
    Round.objects.filter(pk=round_.pk).update(status=Phase.REPORT_PUBLISHED)
    response = as_user(None).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert _upload(client, round_, "opinion", _pdf()).status_code == 403
    response = client.post(f"/consultations/annexes/{opinion.pk}/delete/")
    assert response.status_code == 403
    assert RoundAnnex.objects.filter(pk=opinion.pk).exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (_pdf("opinia.pdf", b"<html><script>alert(1)</script></html>"), "must be a PDF"),
        (_pdf("skan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32), "must be a PDF"),
        (_pdf("duza.pdf", b"%PDF-" + b"0" * ORIGINAL_LIMIT), "larger than 10 MB"),
    ],
)
def test_a_file_that_is_not_a_pdf_or_too_large_is_refused_and_nothing_stored(
    make_round: Callable[..., Round],
    coordinator: User,
    as_user: Login,
    upload: SimpleUploadedFile,
    message: str,
) -> None:
    round_ = make_round(Phase.SETTLED)
    response = _upload(as_user(coordinator), round_, "opinion", upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RoundAnnex.objects.exists()


def test_minutes_only_for_an_open_meeting_of_the_round_and_only_by_the_team(
    make_round: Callable[..., Round], coordinator: User, member: User, as_user: Login
) -> None:
    round_ = make_round(Phase.SETTLED)
    other = make_round(Phase.SETTLED)
    foreign = _meeting(other)
    response = _upload(as_user(coordinator), round_, f"minutes:{foreign.pk}", _pdf())
    assert response.status_code == 400
    assert _upload(as_user(member), round_, "opinion", _pdf()).status_code == 403
    assert not RoundAnnex.objects.exists()


def test_a_new_opinion_replaces_the_old_one_and_a_deleted_annex_is_gone(
    make_round: Callable[..., Round],
    coordinator: User,
    as_user: Login,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    round_ = make_round(Phase.SETTLED)
    client = as_user(coordinator)
    _upload(client, round_, "opinion", _pdf())
    first = RoundAnnex.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, round_, "opinion", _pdf(content=PDF + b"v2"))
    annex = RoundAnnex.objects.get()
    assert annex.file.name != first
    assert not default_storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/consultations/annexes/{annex.pk}/delete/")
    assert response.status_code == 302
    assert not RoundAnnex.objects.exists()
    assert not default_storage.exists(annex.file.name)
    assert AuditEntry.objects.filter(action="round.annex_delete").exists()
