"""Issue 13's "done when", in Chromium: the coordinator starts the 2028–2030 programme in the
portal, carries the teams over (each carried person is e-mailed), edits its title, publishes
version 1 and adopts it with the council's resolution — while the 2012–2014 archive, its
published PDFs and their checksums stay exactly as they were. axe on every new page."""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from consultations.models import Round
from drafts.models import DraftVersion
from notifications.models import Outbox
from teams.models import Meeting, Membership, Programme

from ..conftest import DEMO_PASSWORD
from ..pdf.helpers import watermarked_pages
from .axe import violations

TITLE = "Program współpracy Gminy Miejskiej Kraków z organizacjami pozarządowymi na lata 2028–2030"
EDITED = "Wieloletni program współpracy Miasta Krakowa z organizacjami pozarządowymi 2028–2030"
PARAGRAPH = "Na realizację programu w latach 2028–2030 przeznacza się 3 mln zł."
RESOLUTION = "XII/123/27"


def _coordinator_page(browser: Browser, base_url: str) -> Page:
    """A fresh session of the seeded coordinator, signed in through the form, in English."""
    context = browser.new_context()
    context.add_cookies([{"name": "django_language", "value": "en", "url": base_url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base_url}/accounts/login/?next=/programmes/")
    page.locator("#id_login").fill("koordynator@example.org")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(r"/programmes/$"))
    return page


def _clean(page: Page) -> None:
    assert violations(page) == [], page.url


def _download(page: Page, url: str) -> bytes:
    """The PDF behind a link of the page. A publication frozen at this request is made by the
    worker (eager, in-process, right after the request's commit): that first answer is the
    progress page, which polls and offers the very document asked for; the next is the PDF."""
    response = page.request.get(url)
    if response.status == 202:
        progress = response.text()
        assert "Preparing the PDF" in progress
        asked = urlsplit(url)
        again = html.escape(asked.path + (f"?{asked.query}" if asked.query else ""))
        assert f'hx-get="{again}"' in progress, progress
        assert f'href="{again}"' in progress, progress
        response = page.request.get(url)
    assert response.status == 200, (url, response.status)
    assert response.headers["content-type"] == "application/pdf"
    return response.body()


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text in content order, whitespace collapsed to single spaces."""
    path = tmp_path / f"{hashlib.sha256(pdf).hexdigest()}.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(  # noqa: S603 - a fixed tool on a file of our own
        ["/usr/bin/pdftotext", "-raw", str(path), "-"], capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


def _has_draft_mark(pdf: bytes) -> bool:
    """The "PROJEKT" watermark is painted on the pages (it is outlines, not text)."""
    return any(watermarked_pages(pdf))


def _shown_sha256(page: Page) -> str:
    record = page.locator("#publication-record")
    expect(record.locator("code")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    return record.locator("code").inner_text()


@dataclass(frozen=True)
class Archived:
    """What a reader of the archive gets for the old programme's version 1 and its report."""

    version_url: str
    pdf_url: str
    pdf: bytes
    lines_pdf: bytes
    report_pdf: bytes
    sha256: str
    document: str


def _archive_snapshot(page: Page, base: str, old: Programme, round_: Round) -> Archived:
    """Walk from the archive to the old programme's version 1 and record its documents."""
    page.goto(f"{base}/programmes/")
    page.get_by_role("link", name=re.compile(re.escape(old.title))).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(old.title)
    page.get_by_role("link", name="Version 1", exact=True).click()
    expect(page.get_by_text(re.compile(r"Version 1, published on"))).to_be_visible()
    version_url = page.url
    pdf_form = page.locator(
        "form", has=page.get_by_role("button", name="Download as PDF", exact=True)
    )
    lines_form = page.locator(
        "form", has=page.get_by_role("button", name="Download as PDF with line numbers")
    )
    pdf_url = f"{base}{pdf_form.get_attribute('action')}"
    lines_url = f"{base}{lines_form.get_attribute('action')}?lines=1"
    pdf = _download(page, pdf_url)
    lines_pdf = _download(page, lines_url)
    report_pdf = _download(page, base + reverse("drafts:round-report-pdf", args=[round_.pk]))
    page.goto(version_url)
    return Archived(
        version_url=version_url,
        pdf_url=pdf_url,
        pdf=pdf,
        lines_pdf=lines_pdf,
        report_pdf=report_pdf,
        sha256=_shown_sha256(page),
        document=page.locator("#publication").inner_html(),
    )


def test_coordinator_runs_the_2028_cycle_and_the_2012_archive_stays_unchanged(
    live_server, browser: Browser, seeded: Meeting, tmp_path: Path
) -> None:
    base = live_server.url
    old = Programme.objects.get(is_current=True, period_start=2012)
    old_team = seeded.team
    old_round = old.rounds.visible().filter(report_published_at__isnull=False).first()
    assert old_round is not None  # the seeds' settled round with its published report
    carried = {
        (m.user.email, m.team.name)
        for m in Membership.objects.filter(
            team__programme=old, status=Membership.Status.APPROVED
        ).select_related("user", "team")
    }
    assert carried  # the seeds' teams have moderators and members
    page = _coordinator_page(browser, base)

    # 1. The 2012–2014 programme's published documents, as a reader downloads them.
    before = _archive_snapshot(page, base, old, old_round)
    assert hashlib.sha256(before.pdf).hexdigest() == before.sha256
    assert _has_draft_mark(before.pdf)

    # 2. Start the 2028–2030 programme, teams carried over, the draft from the template.
    page.goto(f"{base}/programmes/")
    page.get_by_role("link", name="Start a programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a programme")
    _clean(page)
    page.get_by_label("Multi-year").check()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("First year").fill("2028")
    page.get_by_label("Last year").fill("2030")
    page.get_by_label("Carry over the teams of the current programme of this kind").check()
    page.get_by_label("the statutory template", exact=False).check()
    page.get_by_role("button", name="Start the programme").click()
    # It asks first: what is archived, who is e-mailed; the period as typed.
    expect(page.get_by_role("heading", level=1)).to_have_text("Start the programme?")
    expect(page.get_by_text("is archived", exact=False)).to_be_visible()
    _clean(page)
    assert not Programme.objects.filter(period_start=2028).exists()
    page.get_by_role("button", name="Yes, start the programme").click()
    expect(page.get_by_text("is now the current one of its kind")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("current", exact=True)).to_be_visible()
    teams = page.locator("section", has=page.get_by_role("heading", name="Branch teams"))
    expect(teams.get_by_role("link")).to_have_count(old.teams.count())
    expect(teams.get_by_role("link", name=re.compile(re.escape(old_team.name_en)))).to_be_visible()
    _clean(page)
    new = Programme.objects.get(is_current=True, kind=old.kind)
    assert (new.title, new.period_start, new.period_end) == (TITLE, 2028, 2030)

    # Each carried person was told, once per team, by e-mail with the link to leave it.
    told = Outbox.objects.filter(kind="team_carried_over")
    assert told.count() == len(carried)
    assert not told.filter(sent_at__isnull=True).exists()
    sent = {(m.to[0], m.subject) for m in mail.outbox}
    for email, team_name in carried:
        # In the recipient's language: the demo people read Polish.
        assert (email, f"[Kraków NGO] Należysz nadal do zespołu branżowego {team_name}") in sent
    assert all("/leave/" in m.body for m in mail.outbox if "Należysz nadal" in m.subject)

    # /teams/ now shows the new programme's teams and links the archive.
    page.goto(f"{base}/teams/")
    expect(
        page.get_by_role("link", name=re.compile(re.escape(old_team.name_en))).first
    ).to_be_visible()

    # 3. Edit the title.
    page.goto(base + new.get_absolute_url())
    page.get_by_role("link", name="Edit the title").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the programme's title")
    _clean(page)
    page.get_by_label("Title").fill(EDITED)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The title was saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(EDITED)

    # 4. The working copy (from the statutory template) gets a paragraph; version 1 is published.
    page.get_by_role("navigation").get_by_role("link", name="Programme draft").first.click()
    draft_section = page.locator("section", has=page.get_by_role("heading", name=EDITED))
    draft_section.get_by_role("link", name="Edit the working copy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Working copy of the programme draft")
    expect(page.get_by_text(EDITED)).to_be_visible()
    chapter = page.locator("section", has=page.locator("#chapter-8"))
    chapter.get_by_text("Add a paragraph").click()
    chapter.get_by_label("Paragraph text").fill(PARAGRAPH)
    chapter.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Paragraph added.")).to_be_visible()
    page.get_by_label("What changed in this version").fill("Pierwsza wersja programu 2028–2030.")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish version 1?")
    page.get_by_role("button", name="Yes, publish version 1").click()
    expect(page.get_by_text("Version 1 is published.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(EDITED)
    expect(page.get_by_text(PARAGRAPH)).to_be_visible()
    _clean(page)
    version = DraftVersion.objects.get(draft__programme=new, number=1)
    version_url = page.url
    published = _download(page, base + reverse("drafts:version-pdf", args=[version.pk]))
    page.reload()
    assert _shown_sha256(page) == hashlib.sha256(published).hexdigest()
    published_text = _pdf_text(published, tmp_path)
    assert _has_draft_mark(published)
    assert EDITED in published_text

    # 5. Adopt it with the council's resolution.
    today = timezone.localdate()
    page.get_by_role("link", name="Record the adoption by the council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adopt version 1")
    _clean(page)
    page.get_by_label("Resolution number").fill(RESOLUTION)
    page.get_by_label("Resolution date").fill(today.isoformat())
    page.get_by_label("Link to the resolution's publication").fill(
        "https://www.bip.krakow.pl/?dok_id=167&sub_dok_id=167&sub=uchwala&query=id%3D12345"
    )
    page.get_by_role("button", name="Adopt", exact=True).click()
    expect(page).to_have_url(version_url)
    expect(page.get_by_text(f"Adopted by the council: resolution no. {RESOLUTION}")).to_be_visible()
    _clean(page)
    version.refresh_from_db()
    assert (version.adopted, version.resolution_number) == (True, RESOLUTION)

    adopted_href = page.get_by_role("link", name="The adopted programme (PDF)").get_attribute(
        "href"
    )
    assert adopted_href is not None
    adopted_pdf = _download(page, base + adopted_href)
    adopted = _pdf_text(adopted_pdf, tmp_path)
    assert f"Załącznik do uchwały Nr {RESOLUTION} Rady Miasta Krakowa z dnia" in adopted
    assert not _has_draft_mark(adopted_pdf)
    assert EDITED in adopted
    assert PARAGRAPH in adopted

    # 6. The archive: the 2012–2014 programme, its pages, old URLs and PDFs as they were.
    page.goto(f"{base}/programmes/")
    archive = page.locator("#archive ~ *")
    expect(archive.get_by_role("link", name=re.compile(re.escape(old.title))).first).to_be_visible()
    _clean(page)
    after = _archive_snapshot(page, base, old, old_round)
    assert after == before  # same URLs, PDF bytes, SHA-256 shown and document
    page.goto(base + old.get_absolute_url())
    expect(page.get_by_text("archived", exact=True)).to_be_visible()
    _clean(page)
    for url in (
        old_team.get_absolute_url(),
        seeded.get_absolute_url(),
        old_round.get_absolute_url(),
        f"/consultations/{old_round.pk}/report/",
    ):
        response = page.goto(base + url)
        assert response is not None and response.status == 200, url
