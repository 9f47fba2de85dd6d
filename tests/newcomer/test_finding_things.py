"""Issue 16, item 6: finding things. The home page's step of the process comes from the data
(with the open rounds and their deadlines, and the published reports); the report, the draft
and the coordination pages link to what one looks for there; a meeting published without SWOT
entries says so once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import Round
from consultations.phases import Phase
from drafts.models import DraftVersion, ProgrammeDraft
from krakow_ngo.progress import programme_stage
from swot.models import SwotEntry
from teams.models import Meeting, ProcessStage, Programme, User

pytestmark = pytest.mark.django_db


def current_step(html: str) -> str:
    found = re.search(r'<li[^>]*aria-current="step"[^>]*>\s*(\d+)\.', html)
    assert found, "one step is marked as the current one"
    return found.group(1)


@pytest.fixture
def programme(seeded: Meeting) -> Programme:
    return seeded.team.programme


def test_the_step_follows_the_rounds_not_the_stored_stage(
    programme: Programme, make_round: Callable[..., Round]
) -> None:
    # The seeded rounds out of sight, and no version of the draft yet.
    Round.objects.filter(programme=programme).update(status=Phase.DRAFT, draft_version=None)
    DraftVersion.objects.filter(draft__programme=programme).delete()
    Programme.objects.filter(pk=programme.pk).update(stage=ProcessStage.TEAM_MEETINGS)
    programme.refresh_from_db()
    # The seeded meeting's results are published.
    assert programme_stage(programme) == ProcessStage.PUBLICATION
    round_ = make_round(Phase.OPEN)
    assert programme_stage(programme) == ProcessStage.CONSULTATION
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - dt.timedelta(hours=1))
    assert programme_stage(programme) == ProcessStage.GATHERING
    Round.objects.filter(pk=round_.pk).update(status=Phase.REPORT_PUBLISHED)
    assert programme_stage(programme) == ProcessStage.SECOND_MEETING


def test_a_draft_version_and_its_consultation_move_the_step_on(
    programme: Programme, make_round: Callable[..., Round]
) -> None:
    Round.objects.filter(programme=programme).update(status=Phase.DRAFT)  # out of sight
    version = DraftVersion.objects.filter(draft__programme=programme).order_by("number").first()
    assert version is not None, "the seed publishes version 1 of the draft"
    DraftVersion.objects.filter(draft__programme=programme).update(adopted=False)
    assert programme_stage(programme) == ProcessStage.DRAFTING
    make_round(Phase.OPEN, draft_version=version)
    assert programme_stage(programme) == ProcessStage.FINAL_CONSULTATION


def test_the_home_page_marks_the_step_from_the_data_and_lists_open_rounds(
    client: Client, programme: Programme
) -> None:
    Programme.objects.filter(pk=programme.pk).update(stage=ProcessStage.PUBLICATION)
    html = client.get("/").content.decode()
    assert current_step(html) == str(int(programme_stage(programme)))
    assert current_step(html) != "2"
    open_round = next(r for r in Round.objects.filter(programme=programme) if r.phase == "open")
    assert f'href="{open_round.get_absolute_url()}"' in html
    closes = timezone.localtime(open_round.closes_at)
    assert f"do {closes:%-d}" in html  # "uwagi do 25 grudnia 2026, 12:00"
    assert f"{closes:%H:%M} (czas warszawski)" in html
    published = next(r for r in Round.objects.filter(programme=programme) if r.phase == "published")
    assert f'href="{reverse("consultations:round-report", kwargs={"pk": published.pk})}"' in html


def step_badges(html: str) -> dict[str, str]:
    """Each step's number and its badge ("" for none)."""
    steps = re.findall(r'<li class="(?:stage-\w+)?"[^>]*>\s*(\d+)\.(.*?)</li>', html, re.S)
    return {
        number: (m.group(1) if (m := re.search(r'<span class="badge[^"]*">([^<]*)<', body)) else "")
        for number, body in steps
    }


def test_a_step_is_done_only_when_the_data_shows_it_was_taken(
    client: Client, programme: Programme, seeded: Meeting
) -> None:
    """The demo consults version 1 of the draft (step 7) after the 2011 round's report, but no
    meeting was held after that report: step 5 was passed, not taken, and is not "done"."""
    client.cookies["django_language"] = "pl"
    badges = step_badges(client.get("/").content.decode())
    assert badges["7"] == "jesteśmy tutaj"
    assert [n for n, badge in badges.items() if badge == "zakończony"] == ["1", "2", "3", "4", "6"]
    assert badges["5"] == "" and badges["8"] == ""
    Meeting.objects.create(
        team=seeded.team,
        title="Drugie spotkanie",
        date=dt.date(2011, 9, 14),  # after the report of 29 August 2011
        status=Meeting.Status.PUBLISHED,
    )
    assert step_badges(client.get("/").content.decode())["5"] == "zakończony"


def test_the_legal_deadline_is_told_in_the_past_once_it_passed(
    client: Client, programme: Programme
) -> None:
    client.cookies["django_language"] = "pl"
    html = client.get("/").content.decode()
    assert programme.legal_deadline < timezone.localdate()  # the seeds' 2012–2016 programme
    assert "musiały zakończyć się do <strong>30 listopada 2011</strong>" in html
    Programme.objects.filter(pk=programme.pk).update(
        period_start=timezone.localdate().year + 2, period_end=timezone.localdate().year + 6
    )
    assert "muszą zakończyć się do" in client.get("/").content.decode()


def test_the_report_page_offers_its_pdf(client: Client, programme: Programme) -> None:
    published = next(r for r in Round.objects.filter(programme=programme) if r.phase == "published")
    html = client.get(reverse("consultations:round-report", kwargs={"pk": published.pk}))
    pdf = reverse("drafts:round-report-pdf", kwargs={"pk": published.pk})
    assert f'action="{pdf}"' in html.content.decode()


def test_the_draft_page_offers_the_latest_versions_pdf(
    client: Client, programme: Programme
) -> None:
    draft = ProgrammeDraft.objects.get(programme=programme)
    latest = draft.versions.order_by("-number").first()
    assert latest is not None
    html = client.get(reverse("drafts:draft-list")).content.decode()
    pdf = reverse("drafts:version-pdf", kwargs={"pk": latest.pk})
    assert f'action="{pdf}"' in html
    assert f"Pobierz wersję {latest.number} jako PDF" in html


def test_the_coordination_page_links_to_a_new_round_and_the_draft(
    client: Client, coordinator: User
) -> None:
    client.force_login(coordinator)
    html = client.get(reverse("teams:coordination")).content.decode()
    assert f'href="{reverse("consultations:round-create")}"' in html
    assert f'href="{reverse("drafts:draft-list")}"' in html


def test_a_meeting_published_without_swot_entries_says_so_once(
    client: Client, seeded: Meeting
) -> None:
    assert seeded.status == Meeting.Status.PUBLISHED
    SwotEntry.objects.filter(topic__meeting=seeded).delete()
    html = client.get(seeded.get_absolute_url()).content.decode()
    assert "Brak wpisów." not in html
    assert html.count("Na tym spotkaniu nie zapisano żadnych elementów analizy SWOT.") == 1


def test_a_topic_without_entries_says_so_once_beside_one_with_entries(
    client: Client, seeded: Meeting
) -> None:
    first, second = seeded.swot_topics.order_by("position")[:2]
    SwotEntry.objects.filter(topic__meeting=seeded).delete()
    SwotEntry.objects.create(topic=first, quadrant="S", text="Silna sieć organizacji")
    html = client.get(seeded.get_absolute_url()).content.decode()
    assert "Silna sieć organizacji" in html
    assert html.count("Brak wpisów.") == 3  # the other three quadrants of the first topic
    assert html.count("Brak wpisów w tym temacie.") == 1
