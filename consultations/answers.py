"""Consultations' side of drafts.answers: the settled comments a paragraph of the programme
draft can cite and cites, and the rounds whose reports are published. Registered by
consultations.apps when the app registry is ready."""

from __future__ import annotations

from collections.abc import Iterable

from drafts.answers import Citable, Report, Unfinished
from drafts.models import DraftParagraph
from teams.models import Programme

from .models import Comment, Disposition, Round
from .phases import Feature, Phase, phase_of, phase_opens, reached


def _citable(comment: Comment) -> Citable:
    return Citable(
        pk=comment.pk,
        round_id=comment.round_id,
        round_title=comment.round.title,
        text=comment.text,
        number=comment.registration_number or "",
    )


class CommentSource:
    def citable(self, programme: Programme) -> list[Citable]:
        """Settled counted comments of the programme's rounds, in the rounds' order."""
        comments = (
            Comment.objects.counted()
            .filter(round__programme=programme)
            .exclude(disposition="")
            .select_related("round")
            .order_by("round__opens_at", "round_id", "created_at", "pk")
        )
        return [_citable(comment) for comment in comments]

    def cited(self, paragraph_ids: Iterable[int]) -> dict[int, list[Citable]]:
        through = Comment.draft_paragraphs.through
        found: dict[int, list[Citable]] = {}
        rows = through.objects.filter(draftparagraph_id__in=list(paragraph_ids)).select_related(
            "comment__round"
        )
        for row in rows.order_by("comment_id"):
            found.setdefault(row.draftparagraph_id, []).append(_citable(row.comment))
        return found

    def cite(self, paragraph: DraftParagraph, comment_ids: list[int]) -> None:
        paragraph.answers.set(Comment.objects.filter(pk__in=comment_ids))

    def reports(self, programme: Programme) -> list[Report]:
        rounds = Round.objects.filter(programme=programme).order_by("opens_at")
        return [
            Report(pk=round_.pk, title=round_.title)
            for round_ in rounds
            if phase_opens(round_, Feature.REPORT)
        ]

    def unfinished(self, programme: Programme) -> list[Unfinished]:
        """Rounds of the programme announced but not yet settled (open, or closed with
        comments still being settled): the consultation is not over."""
        rounds = Round.objects.filter(programme=programme).order_by("opens_at")
        return [
            Unfinished(pk=round_.pk, title=round_.title, phase=str(phase.label))
            for round_ in rounds
            if (phase := phase_of(round_)) != Phase.DRAFT and not reached(phase, Phase.SETTLED)
        ]

    def accepted(self, programme: Programme) -> list[Citable]:
        """Counted comments of the programme's rounds accepted in whole or in part."""
        comments = (
            Comment.objects.counted()
            .filter(
                round__programme=programme,
                disposition__in=(Disposition.ACCEPTED, Disposition.PARTLY_ACCEPTED),
            )
            .select_related("round")
            .order_by("round__opens_at", "round_id", "created_at", "pk")
        )
        return [_citable(comment) for comment in comments]
