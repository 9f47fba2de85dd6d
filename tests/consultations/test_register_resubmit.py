"""The register's forms when they come back: after a conflict the correction keeps the typed
text, shows the stored one beside it and saves on a deliberate resubmit (409, version
re-armed); a form sent back with errors says that the chosen original was not kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from consultations import register_services
from consultations.models import Channel, Comment, Round
from consultations.phases import Phase
from consultations.register_services import Submitter
from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
DAY = dt.timedelta(days=1)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def open_round(make_round: Callable[..., Round]) -> Round:
    round_ = make_round(Phase.OPEN)
    Round.objects.filter(pk=round_.pk).update(
        announced_at=timezone.now() - 10 * DAY, opens_at=timezone.now() - 5 * DAY
    )
    round_.refresh_from_db()
    return round_


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form(**fields: Any) -> dict[str, Any]:
    return {
        "channel": Channel.POST,
        "received_at": local(timezone.now() - 2 * DAY),
        "person_name": "Anna Przykładowa",
        "item": "",
        "text": "Uwaga nadesłana pocztą.",
        "proposed_wording": "",
        "submitter_justification": "",
        **fields,
    }


def test_a_correction_after_a_conflict_keeps_the_text_shows_the_stored_one_and_saves_again(
    open_round: Round, coordinator: User, second_coordinator: User, as_user: Login
) -> None:
    comment = register_services.comment_register(
        actor=coordinator,
        round_=open_round,
        channel=Channel.POST,
        received_at=timezone.now() - 2 * DAY,
        submitter=Submitter(person="Anna Przykładowa"),
        text="Uwaga nadesłana pocztą.",
    )
    seen = comment.version
    url = f"/consultations/comments/{comment.pk}/registered/"
    other = as_user(second_coordinator).post(
        url, form(text="Poprawka drugiego koordynatora.", version=seen)
    )
    assert other.status_code == 302

    mine = as_user(coordinator)
    response = mine.post(url, form(text="Moja poprawka.", version=seen))

    assert response.status_code == 409
    page = response.content.decode()
    assert "The comment changed meanwhile; nothing was saved." in page
    assert "Moja poprawka." in page  # the typed text, kept in the form
    assert "Poprawka drugiego koordynatora." in page  # the stored text, beside it
    comment.refresh_from_db()
    assert comment.text == "Poprawka drugiego koordynatora."
    # The form carries the stored version now: resubmitting it deliberately saves.
    version = response.context["form"]["version"].value()
    assert int(version) == comment.version
    again = mine.post(url, form(text="Moja poprawka.", version=version))
    assert again.status_code == 302
    comment.refresh_from_db()
    assert comment.text == "Moja poprawka."


def test_a_form_sent_back_with_errors_says_the_chosen_file_was_not_kept(
    open_round: Round, coordinator: User, as_user: Login
) -> None:
    name = "<img src=x onerror=alert(1)>skan.png"
    response = as_user(coordinator).post(
        f"/consultations/{open_round.pk}/register/",
        form(
            received_at=local(timezone.now() + DAY),
            original=SimpleUploadedFile(name, PNG, content_type="image/png"),
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The date received is in the future." in page
    assert "The file you chose (&lt;img src=x onerror=alert(1)&gt;skan.png) was not saved" in page
    assert "<img src=x" not in page
    assert not Comment.objects.filter(round=open_round).exists()


def test_no_file_note_without_a_file_or_for_a_refused_file(
    open_round: Round, coordinator: User, as_user: Login
) -> None:
    client = as_user(coordinator)
    url = f"/consultations/{open_round.pk}/register/"
    without = client.post(url, form(received_at=local(timezone.now() + DAY)))
    assert without.status_code == 400
    assert "The file you chose" not in without.content.decode()
    refused = client.post(
        url, form(original=SimpleUploadedFile("obraz.gif", b"GIF89a" + b"\x00" * 20))
    )
    assert refused.status_code == 400
    assert "must be a PDF, JPEG or PNG" in refused.content.decode()
    assert "The file you chose" not in refused.content.decode()
