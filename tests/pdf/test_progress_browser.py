"""The progress page of a PDF made in the background, in Chromium: accessible, and it offers
the PDF by itself (htmx polling) once the worker is done."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from documents.publications import render_publication
from teams.models import Meeting
from tests.browser.axe import violations
from tests.browser.conftest import (  # noqa: F401 - fixtures for this module
    _browser_tests_are_marked,
    browser_type_launch_args,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_progress_page_is_accessible_and_offers_the_pdf_when_ready(
    live_server, page: Page, seeded: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = reverse("pdf:meeting-actions", kwargs={"pk": seeded.pk})
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    queued: list[int] = []
    # The broker: the published annex is frozen at its first request, rendered by the worker.
    monkeypatch.setattr(render_publication, "delay", queued.append)

    page.goto(live_server.url + reverse("actions:meeting-actions", args=[seeded.pk]))
    page.get_by_role("link", name="Download this list as PDF").click()
    expect(page.get_by_role("heading", name="Preparing the PDF")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("waiting to be made")
    assert violations(page) == []
    assert len(queued) == 1

    render_publication(queued[0])  # the worker
    expect(page.get_by_role("status")).to_contain_text("The PDF is ready.", timeout=10_000)
    assert violations(page) == []
    link = page.get_by_role("link", name="Download the PDF")
    assert link.get_attribute("href") == url
    response = page.request.get(live_server.url + url)
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-1.7")
