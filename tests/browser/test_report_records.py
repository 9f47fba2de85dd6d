"""The report's records in Chromium, axe-checked: the coordinating team records where the
announcement was published and uploads the KRDPP opinion; the report page lists them; a
synthesis saved over someone else's shows both texts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.test import Client
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from consultations import services
from consultations.models import Round
from consultations.phases import Phase
from teams.models import Meeting, User

from .axe import violations


def _login(context: BrowserContext, base_url: str, user: User) -> None:
    client = Client()
    client.force_login(user)
    context.clear_cookies()
    context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url},
            {"name": "django_language", "value": "en", "url": base_url},
        ]
    )


def test_the_records_page_the_report_and_the_synthesis_conflict_pass_axe(
    live_server, page: Page, seeded: Meeting, tmp_path: Path
) -> None:
    base = live_server.url
    coordinator = User.objects.get(email="koordynator@example.org")
    now = timezone.now()
    round_ = services.round_create(
        actor=coordinator,
        title="Runda z załącznikami",
        meeting=seeded,
        goal="Cel",
        subject="Wyniki spotkania",
        responsible_office="MOWIS",
        contact="mowis@example.org",
        opens_at=now - dt.timedelta(days=10),
        closes_at=now - dt.timedelta(days=1),
    )
    Round.objects.filter(pk=round_.pk).update(status=Phase.SETTLED)
    _login(page.context, base, coordinator)

    page.goto(f"{base}/consultations/{round_.pk}/announcement-places/new/")
    page.get_by_label("Where").select_option("bip")
    page.get_by_label("Link").fill("https://www.bip.krakow.pl/?dok_id=1")
    page.get_by_label("Date published").fill(
        (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    )
    assert violations(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The place of the announcement has been saved.")).to_be_visible()

    opinion = tmp_path / "opinia.pdf"
    opinion.write_bytes(b"%PDF-1.4\n% opinia KRDPP\n")
    page.get_by_label("File").set_input_files(str(opinion))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("The annex has been saved.")).to_be_visible()
    assert violations(page) == []

    page.goto(f"{base}/consultations/{round_.pk}/report/")
    expect(page.get_by_role("heading", name="Where the announcement was published")).to_be_visible()
    expect(page.get_by_role("heading", name="Annexes")).to_be_visible()
    assert violations(page) == []

    page.goto(f"{base}/consultations/{round_.pk}/settle/")
    page.get_by_label("Synthesis of the comments").fill("Moja synteza.")
    Round.objects.filter(pk=round_.pk).update(
        synthesis="Synteza kogoś innego.", synthesis_version=1
    )
    page.get_by_role("button", name="Save the synthesis").click()
    expect(page.get_by_text("Someone else saved the synthesis meanwhile")).to_be_visible()
    expect(page.get_by_text("Synteza kogoś innego.")).to_be_visible()
    assert violations(page) == []
