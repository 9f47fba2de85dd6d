"""A PDF through a real gunicorn whose timeout a render would outlive, and a rendering left
``running`` by a killed worker: the reader sees progress, never an error, and nothing stays
"being made" for good."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from documents.meeting_annex import meeting_actions_document
from pdf import cache as pdf_cache
from pdf.models import PdfRendering
from teams.models import Meeting, User

from .conftest import RedisServer, redis_server  # noqa: F401 - fixture
from .gunicorn import Gunicorn, gunicorn_server  # noqa: F401 - fixture

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

#: gunicorn kills a worker busy with one request for longer than this (seconds); the request's
#: render limit keeps the documented relation (timeout >= 2 × PDF_REQUEST_SECONDS).
WEB_TIMEOUT = 5
REQUEST_SECONDS = 2.0
#: Actions of 900 characters: about 150 pages, which take WeasyPrint far longer than
#: WEB_TIMEOUT (some 10 s on an idle 2-core machine, 25 s on a busy one).
BIG_ANNEX_ACTIONS = 500


def queued_renders(redis_url: str) -> list[str]:
    """The render_pdf tasks waiting in the broker (no worker runs here), by their arguments."""
    messages = redis.Redis.from_url(redis_url).lrange("celery", 0, -1)
    headers = [json.loads(message)["headers"] for message in messages]
    return [h["argsrepr"] for h in headers if h["task"] == "krakow_ngo.tasks.render_pdf"]


def coordinator_reading_work_in_progress(meeting: Meeting) -> dict[str, str]:
    """The meeting's results not yet published, and the session cookie of the coordinating
    team, who see them: the annex is then the live document made through the PDF cache (a
    published one is a frozen publication, rendered once by the worker)."""
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
    client = Client()
    client.force_login(User.objects.get(email="koordynator@example.org"))
    name = settings.SESSION_COOKIE_NAME
    return {name: client.cookies[name].value}


#: The server reads the sessions this process signs (see coordinator_reading_work_in_progress).
SAME_SECRET_KEY = f"SECRET_KEY = {settings.SECRET_KEY!r}\n"


def timed_get(server: Gunicorn, path: str, cookies: dict[str, str]) -> tuple[int, str, float]:
    started = time.monotonic()
    try:
        status, _headers, body = server.get(path, timeout=3 * WEB_TIMEOUT, cookies=cookies)
    except OSError as error:  # the worker was killed mid-request: the connection dropped
        pytest.fail(f"no answer ({error!r}); gunicorn says:\n{server.output()[-3000:]}")
    return status, body.decode(errors="replace"), time.monotonic() - started


def test_a_render_the_web_timeout_would_kill_is_handed_to_the_worker_and_the_reader_sees_progress(
    gunicorn_server: Callable[..., Gunicorn],  # noqa: F811
    redis_server: RedisServer,  # noqa: F811
    seeded: Meeting,
    tmp_path: Path,
) -> None:
    server = gunicorn_server(
        timeout=WEB_TIMEOUT,
        settings=f"PDF_REQUEST_SECONDS = {REQUEST_SECONDS}\n{SAME_SECRET_KEY}",
        env={"REDIS_URL": redis_server.url, "DJANGO_MEDIA_ROOT": str(tmp_path / "media")},
    )
    redis.Redis.from_url(redis_server.url).delete("celery")
    cookies = coordinator_reading_work_in_progress(seeded)
    url = reverse("pdf:meeting-actions", kwargs={"pk": seeded.pk})
    # Quick the first time (and the worker's render fork server is warm now) ...
    status, _body, _seconds = timed_get(server, url, cookies)
    assert status == 200, server.output()[-3000:]
    # ... so the big annex's first render is tried inside the request.
    text = ("Aktywizacja zawodowa osób zagrożonych wykluczeniem społecznym w Krakowie. " * 13)[:900]
    Action.objects.bulk_create(
        Action(team=seeded.team, meeting=seeded, number=100 + n, text=text)
        for n in range(BIG_ANNEX_ACTIONS)
    )

    status, body, seconds = timed_get(server, url, cookies)
    assert status == 202, server.output()[-3000:]
    assert "PDF" in body and seconds < WEB_TIMEOUT
    big = PdfRendering.objects.get(key=meeting_actions_document(str(seeded.pk)).key())
    assert big.status == PdfRendering.Status.PENDING
    assert big.started_at is None
    assert queued_renders(redis_server.url) == [f"({big.pk},)"]

    # Polling shows progress and queues nothing more; the gunicorn worker was never killed.
    status, _body, _seconds = timed_get(server, url, cookies)
    assert status == 202
    assert queued_renders(redis_server.url) == [f"({big.pk},)"]
    assert "WORKER TIMEOUT" not in server.output()


def test_a_rendering_left_running_by_a_killed_worker_is_rendered_on_the_next_request(
    gunicorn_server: Callable[..., Gunicorn],  # noqa: F811
    seeded: Meeting,
    tmp_path: Path,
) -> None:
    """What a web worker killed mid-render (or a pool process killed by Celery's hard time
    limit) leaves behind: the rendering claimed, ``running``, longer ago than the lease."""
    cookies = coordinator_reading_work_in_progress(seeded)
    document = meeting_actions_document(str(seeded.pk))
    killed_at = timezone.now() - dt.timedelta(seconds=pdf_cache.lease_seconds() + 1)
    abandoned = PdfRendering.objects.create(
        key=document.key(),
        builder=pdf_cache.builder_path(meeting_actions_document),
        object_id=str(seeded.pk),
        template_name=document.template_name,
        filename=document.filename,
        status=PdfRendering.Status.RUNNING,
        started_at=killed_at,
    )
    PdfRendering.objects.filter(pk=abandoned.pk).update(requested_at=killed_at)
    server = gunicorn_server(
        settings=SAME_SECRET_KEY, env={"DJANGO_MEDIA_ROOT": str(tmp_path / "media")}
    )

    url = reverse("pdf:meeting-actions", kwargs={"pk": seeded.pk})
    status, headers, body = server.get(url, cookies=cookies)
    assert status == 200, server.output()[-3000:]
    assert headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-")
    abandoned.refresh_from_db()
    assert abandoned.status == PdfRendering.Status.DONE
