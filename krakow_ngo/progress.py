"""Where the work on a programme stands, from what the portal holds (not a stored number):
the home page's "we are here". It reads teams (published meetings), consultations (rounds and
their phases, by the clock) and drafts (published and adopted versions), hence the project
layer."""

from __future__ import annotations

from dataclasses import dataclass

from consultations.models import Round
from consultations.phases import Phase
from drafts.models import DraftVersion
from teams.models import Meeting, ProcessStage, Programme


@dataclass(frozen=True)
class Progress:
    stage: ProcessStage
    open_rounds: list[Round]
    reports: list[Round]


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


def programme_progress(programme: Programme) -> Progress:
    """The furthest step the data shows, the rounds open now (soonest deadline first) and the
    published reports (newest first)."""
    reached = [ProcessStage.TEAM_MEETINGS]
    if Meeting.objects.filter(team__programme=programme, status=Meeting.Status.PUBLISHED).exists():
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
    return Progress(
        stage=max(reached),
        open_rounds=[r for r in rounds if r.phase == Phase.OPEN],
        reports=published,
    )


def programme_stage(programme: Programme) -> ProcessStage:
    return programme_progress(programme).stage
