"""Reads for goals and postulated actions."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from teams.models import Meeting

from .models import Action, Goal


def actions_of_meeting(*, meeting: Meeting) -> QuerySet[Action]:
    """Every action of the meeting by number, merged ones too (they keep their numbers)."""
    return meeting.actions.select_related("goal", "merged_into").order_by("number")


def goals_of_meeting(*, meeting: Meeting) -> QuerySet[Goal]:
    """The meeting's current goals, each with its current actions."""
    return (
        meeting.goals.filter(merged_into__isnull=True)
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.filter(merged_into__isnull=True).order_by("number"),
            )
        )
        .order_by("number")
    )


def merged_goals_of_meeting(*, meeting: Meeting) -> QuerySet[Goal]:
    return meeting.goals.filter(merged_into__isnull=False).select_related("merged_into")


def actions_published() -> QuerySet[Action]:
    """Every action from meetings whose results are published, grouped by team and meeting."""
    return (
        Action.objects.public()
        .select_related("team", "meeting", "goal", "merged_into")
        .order_by("team__position", "meeting__date", "meeting_id", "number")
    )
