"""Slow documents are made by the render_pdf Celery task while a page shows progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from pdf import cache as pdf_cache
from pdf import render as pdf_render
from pdf.models import PdfRendering
from teams.models import Meeting

from .helpers import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("work_in_progress")]


def url(meeting: Meeting) -> str:
    return reverse("pdf:meeting-actions", kwargs={"pk": meeting.pk})


@pytest.fixture
def slow_last_time(client: Client, seeded: Meeting) -> PdfRendering:
    """The meeting's annex was rendered once and took 10 s; then an action changed."""
    client.get(url(seeded))
    PdfRendering.objects.update(render_seconds=10.0)
    Action.objects.filter(meeting=seeded, number=2).update(text="Zmienione działanie 2.")
    return PdfRendering.objects.get()


def test_document_slow_last_time_is_queued_and_the_page_shows_progress(
    english: Client,
    seeded: Meeting,
    slow_last_time: PdfRendering,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = english.get(url(seeded))
    assert response.status_code == 202
    body = response.content.decode()
    assert "Preparing the PDF" in body
    assert "The PDF is waiting to be made" in body
    assert f'hx-get="{url(seeded)}"' in body
    assert f'<a href="{url(seeded)}">Check again</a>' in body
    pending = PdfRendering.objects.exclude(pk=slow_last_time.pk).get()
    assert pending.status == PdfRendering.Status.PENDING
    assert len(callbacks) == 1

    # polling neither queues the task again nor renders in the request
    with django_capture_on_commit_callbacks(execute=False) as more:
        poll = english.get(url(seeded), headers={"HX-Request": "true"})
    assert more == []
    assert poll.status_code == 200
    assert "<h1>" not in poll.content.decode()
    assert "The PDF is waiting to be made" in poll.content.decode()

    callbacks[0]()  # the worker runs render_pdf (eager here)
    pending.refresh_from_db()
    assert pending.status == PdfRendering.Status.DONE

    ready = english.get(url(seeded), headers={"HX-Request": "true"})
    assert "The PDF is ready." in ready.content.decode()
    assert "hx-get" not in ready.content.decode()
    download = english.get(url(seeded))
    assert download["Content-Type"] == "application/pdf"
    assert "2. Zmienione działanie 2." in pdf_text(b"".join(download.streaming_content))


def test_render_pdf_task_renders_a_rendering_only_once(
    client: Client, seeded: Meeting, slow_last_time: PdfRendering, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.get(url(seeded))  # queued on commit, which the test transaction never reaches
    pending = PdfRendering.objects.get(status=PdfRendering.Status.PENDING)
    pdf_cache.render_pdf(pending.pk)
    pending.refresh_from_db()
    assert pending.status == PdfRendering.Status.DONE
    assert pending.page_count == 2

    # Counted, not raised: the cache catches a render's exceptions (the rendering is marked
    # failed), so a raising guard could not fail this test.
    renders: list[object] = []
    monkeypatch.setattr(pdf_cache, "render_document", lambda *args, **kwargs: renders.append(args))
    pdf_cache.render_pdf(pending.pk)
    assert renders == []
    pending.refresh_from_db()
    assert pending.status == PdfRendering.Status.DONE


def test_task_for_inputs_that_changed_since_it_was_queued_renders_nothing(
    client: Client, seeded: Meeting, slow_last_time: PdfRendering
) -> None:
    client.get(url(seeded))
    pending = PdfRendering.objects.get(status=PdfRendering.Status.PENDING)
    Action.objects.filter(meeting=seeded, number=3).update(text="Jeszcze inna treść.")
    pdf_cache.render_pdf(pending.pk)
    pending.refresh_from_db()
    assert pending.status == PdfRendering.Status.FAILED
    assert "superseded" in pending.error
    assert not pending.file


def test_a_render_that_fails_shows_a_message_and_is_not_retried_at_once(
    english: Client, seeded: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []

    def broken(*args: object, **kwargs: object) -> None:
        calls.append(args)
        raise pdf_render.PdfError("broken")

    monkeypatch.setattr(pdf_cache, "render_document", broken)
    response = english.get(url(seeded))
    assert response.status_code == 503
    assert "The PDF could not be made" in response.content.decode()
    assert english.get(url(seeded)).status_code == 503
    assert len(calls) == 1

    PdfRendering.objects.update(finished_at=timezone.now() - dt.timedelta(hours=1))
    monkeypatch.undo()
    assert english.get(url(seeded)).status_code == 200
