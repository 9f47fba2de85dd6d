"""Reads for goals and postulated actions."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from teams.models import Meeting

from .models import Action, Goal


def actions_of_meeting(*, meeting: Meeting) -> QuerySet[Action]:
    return meeting.actions.select_related("goal").order_by("number")


def goals_of_meeting(*, meeting: Meeting) -> QuerySet[Goal]:
    return meeting.goals.prefetch_related(
        Prefetch("actions", queryset=Action.objects.order_by("number"))
    ).order_by("number")


def actions_published() -> QuerySet[Action]:
    """Every action from meetings whose results are published, grouped by team and meeting."""
    return (
        Action.objects.public()
        .select_related("team", "meeting", "goal")
        .order_by("team__position", "meeting__date", "meeting_id", "number")
    )
