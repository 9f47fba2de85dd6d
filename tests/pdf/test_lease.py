"""Nothing stuck at "being made": a claim on a rendering lasts a lease, and a render inside a web
request stops at its own limit and goes to the Celery task instead.

A web worker killed by gunicorn's timeout, or a pool process killed by Celery's hard time
limit, leaves its rendering ``running`` with nobody rendering it; these tests leave such a row
behind the way the kill does (``started_at`` in the past) and ask again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import Round
from consultations.phases import Phase
from documents.meeting_annex import meeting_actions_document
from documents.programme import round_report_document
from pdf import cache as pdf_cache
from pdf import render as pdf_render
from pdf.models import PdfRendering
from teams.models import Meeting, User

from .helpers import pdf_text
from .test_programme_pdf import published_round

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("work_in_progress")]


def annex_url(meeting: Meeting) -> str:
    return reverse("pdf:meeting-actions", kwargs={"pk": meeting.pk})


def left_running(builder: pdf_cache.Builder, object_id: str, *, ago: dt.timedelta) -> PdfRendering:
    """The row a render killed mid-way leaves: claimed (``running``) ``ago``, no file."""
    document = builder(object_id)
    started = timezone.now() - ago
    rendering = PdfRendering.objects.create(
        key=document.key(),
        builder=pdf_cache.builder_path(builder),
        object_id=object_id,
        stamp=pdf_cache.document_stamp(builder, object_id),
        template_name=document.template_name,
        filename=document.filename,
        status=PdfRendering.Status.RUNNING,
        started_at=started,
    )
    PdfRendering.objects.filter(pk=rendering.pk).update(requested_at=started)
    return rendering


def past_the_lease() -> dt.timedelta:
    return dt.timedelta(seconds=pdf_cache.lease_seconds() + 1)


def test_a_rendering_left_running_past_its_lease_is_rendered_on_the_next_request(
    client: Client, seeded: Meeting
) -> None:
    abandoned = left_running(meeting_actions_document, str(seeded.pk), ago=past_the_lease())
    response = client.get(annex_url(seeded))
    assert response.status_code == 200
    assert "Załącznik" in pdf_text(b"".join(response.streaming_content))
    abandoned.refresh_from_db()
    assert abandoned.status == PdfRendering.Status.DONE


def test_a_rendering_left_running_past_its_lease_is_reclaimed_through_its_stamp(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    round_ = published_round(seeded, coordinator, ["Uwaga do raportu."])
    Round.objects.filter(pk=round_.pk).update(status=Phase.SETTLED)  # not frozen yet
    abandoned = left_running(round_report_document, str(round_.pk), ago=past_the_lease())
    response = client.get(reverse("drafts:round-report-pdf", args=[round_.pk]))
    assert response.status_code == 200
    assert "Uwaga do raportu." in pdf_text(b"".join(response.streaming_content))
    abandoned.refresh_from_db()
    assert abandoned.status == PdfRendering.Status.DONE


def test_a_rendering_running_within_its_lease_is_left_to_its_renderer(
    client: Client, seeded: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    running = left_running(meeting_actions_document, str(seeded.pk), ago=dt.timedelta(seconds=5))
    renders: list[object] = []
    monkeypatch.setattr(pdf_cache, "render_document", lambda *a, **k: renders.append(a))
    assert client.get(annex_url(seeded)).status_code == 202
    assert renders == []
    running.refresh_from_db()
    assert running.status == PdfRendering.Status.RUNNING


def test_a_pool_process_killed_by_the_hard_time_limit_leaves_a_rendering_the_task_claims_again(
    seeded: Meeting,
) -> None:
    """The task was acknowledged when the pool process died; whatever runs render_pdf next
    (the next request's restart queues it) finds the row past its lease and renders it."""
    killed = left_running(
        meeting_actions_document,
        str(seeded.pk),
        ago=dt.timedelta(seconds=pdf_cache.RENDER_TASK_TIME_LIMIT + 1),
    )
    assert timezone.now() - killed.started_at < past_the_lease()  # not yet lost
    pdf_cache.render_pdf(killed.pk)
    killed.refresh_from_db()
    assert killed.status == PdfRendering.Status.RUNNING  # still within its lease

    PdfRendering.objects.filter(pk=killed.pk).update(started_at=timezone.now() - past_the_lease())
    pdf_cache.render_pdf(killed.pk)
    killed.refresh_from_db()
    assert killed.status == PdfRendering.Status.DONE


def test_the_lease_outlasts_every_limit_a_render_runs_under(settings) -> None:
    assert pdf_cache.lease_seconds() > pdf_cache.RENDER_TASK_TIME_LIMIT
    assert pdf_cache.lease_seconds() > pdf_render.setting("PDF_RENDER_TIMEOUT")
    settings.PDF_RENDER_TIMEOUT = 600
    assert pdf_cache.lease_seconds() > 600


def test_a_render_over_the_request_limit_is_stopped_and_handed_to_the_task(
    english: Client,
    seeded: Meeting,
    settings,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    """A real render of the annex takes far longer than a millisecond: the child render
    process is stopped, the reader gets the progress page, the task gets the rendering."""
    settings.PDF_REQUEST_SECONDS = 0.001
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = english.get(annex_url(seeded))
    assert response.status_code == 202
    assert "The PDF is waiting to be made" in response.content.decode()
    rendering = PdfRendering.objects.get()
    assert rendering.status == PdfRendering.Status.PENDING
    assert rendering.started_at is None and not rendering.error
    assert len(callbacks) == 1

    callbacks[0]()  # the worker runs render_pdf, under PDF_RENDER_TIMEOUT, not the request's
    rendering.refresh_from_db()
    assert rendering.status == PdfRendering.Status.DONE
    assert english.get(annex_url(seeded)).status_code == 200


def test_a_request_limit_above_the_render_limit_leaves_the_render_limit_in_charge(
    english: Client, seeded: Meeting, settings, django_capture_on_commit_callbacks: Callable
) -> None:
    """The worker would stop the render at the same PDF_RENDER_TIMEOUT: handing it over would
    only fail later, so it fails now (503, retried after PDF_RETRY_FAILED_AFTER)."""
    settings.PDF_REQUEST_SECONDS = 60
    settings.PDF_RENDER_TIMEOUT = 0.001
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = english.get(annex_url(seeded))
    assert response.status_code == 503
    assert callbacks == []
    assert PdfRendering.objects.get().status == PdfRendering.Status.FAILED
