"""Where the work on a programme stands, from what the portal holds (not a stored number):
the home page's "we are here". It reads teams (published meetings), consultations (rounds and
their phases, by the clock) and drafts (published and adopted versions), hence the project
layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from consultations.models import Round
from consultations.phases import Phase
from drafts.models import DraftVersion
from teams.models import Meeting, ProcessStage, Programme


@dataclass(frozen=True)
class Progress:
    stage: ProcessStage
    open_rounds: list[Round]
    reports: list[Round]
    #: The steps before ``stage`` that the data shows were taken. A step the work passed
    #: without it (a draft prepared with no second meeting held) is not among them: the page
    #: must not say "done" of what never happened.
    done: frozenset[ProcessStage] = frozenset()


def _round_stage(round_: Round) -> ProcessStage | None:
    """The step a round shows the work has reached: a round on a version of the draft is the
    final consultation; one on a meeting's results is the consultation, then the gathering of
    comments while they are settled, then (its report out) the next meeting."""
    phase = round_.phase
    if round_.draft_version_id is not None:
        if phase in (Phase.OPEN, Phase.CLOSED, Phase.SETTLED, Phase.REPORT_PUBLISHED):
            return ProcessStage.FINAL_CONSULTATION
        return None
    return {
        Phase.OPEN: ProcessStage.CONSULTATION,
        Phase.CLOSED: ProcessStage.GATHERING,
        Phase.SETTLED: ProcessStage.GATHERING,
        Phase.REPORT_PUBLISHED: ProcessStage.SECOND_MEETING,
    }.get(phase)


def _done(rounds: list[Round], versions: Any, published_meetings: Any) -> set[ProcessStage]:
    """The steps whose own evidence is in the data, each read for itself."""
    done = set()
    if published_meetings.exists():
        done |= {ProcessStage.TEAM_MEETINGS, ProcessStage.PUBLICATION}
    on_results = [r for r in rounds if r.draft_version_id is None]
    gathered = {Phase.SETTLED, Phase.REPORT_PUBLISHED}
    if any(r.phase in (Phase.CLOSED, *gathered) for r in on_results):
        done.add(ProcessStage.CONSULTATION)
    reported = [r for r in on_results if r.phase == Phase.REPORT_PUBLISHED]
    if any(r.phase in gathered for r in on_results):
        done.add(ProcessStage.GATHERING)
    first_report = min(
        (timezone.localdate(r.report_published_at or r.closes_at) for r in reported), default=None
    )
    if first_report is not None and published_meetings.filter(date__gt=first_report).exists():
        done.add(ProcessStage.SECOND_MEETING)  # a meeting held after comments were settled
    if versions.exists():
        done.add(ProcessStage.DRAFTING)
    if any(r.draft_version_id is not None and r.phase in (Phase.CLOSED, *gathered) for r in rounds):
        done.add(ProcessStage.FINAL_CONSULTATION)
    if versions.filter(adopted=True).exists():
        done.add(ProcessStage.ADOPTION)
    return done


def programme_progress(programme: Programme) -> Progress:
    """The furthest step the data shows, the rounds open now (soonest deadline first) and the
    published reports (newest first)."""
    reached = [ProcessStage.TEAM_MEETINGS]
    published_meetings = Meeting.objects.filter(
        team__programme=programme, status=Meeting.Status.PUBLISHED
    )
    if published_meetings.exists():
        reached.append(ProcessStage.PUBLICATION)
    rounds = list(Round.objects.visible().filter(programme=programme).order_by("closes_at"))
    reached.extend(stage for stage in map(_round_stage, rounds) if stage is not None)
    versions = DraftVersion.objects.filter(draft__programme=programme)
    if versions.filter(adopted=True).exists():
        reached.append(ProcessStage.ADOPTION)
    elif versions.exists():
        reached.append(ProcessStage.DRAFTING)
    published = [r for r in rounds if r.phase == Phase.REPORT_PUBLISHED]
    published.sort(key=lambda r: r.report_published_at or r.closes_at, reverse=True)
    stage = max(reached)
    done = _done(rounds, versions, published_meetings)
    return Progress(
        stage=stage,
        open_rounds=[r for r in rounds if r.phase == Phase.OPEN],
        reports=published,
        done=frozenset(step for step in done if step < stage),
    )


def programme_stage(programme: Programme) -> ProcessStage:
    return programme_progress(programme).stage
