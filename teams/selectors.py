"""Reads for people, teams and meetings."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import AgendaItem, Meeting, Programme, Team


def programme_current() -> Programme | None:
    """The programme the portal is working on: the current one with the latest period (of
    either kind); without a current one, the latest."""
    return Programme.objects.order_by("-is_current", "-period_start", "-pk").first()


def programme_list() -> QuerySet[Programme]:
    """Current programmes first, then the archive, newest first."""
    return Programme.objects.annotate(team_count=Count("teams")).order_by(
        "-is_current", "-period_start", "-pk"
    )


def team_list(*, programme: Programme | None) -> QuerySet[Team]:
    return (
        Team.objects.filter(programme=programme)
        .annotate(
            public_meeting_count=Count("meetings", filter=~Q(meetings__status=Meeting.Status.DRAFT))
        )
        .order_by("position", "name")
    )


def meeting_list_for_team(*, team: Team) -> QuerySet[Meeting]:
    return team.meetings.public().order_by("-date", "-start_time")


def meeting_list_for_programme(*, programme: Programme) -> QuerySet[Meeting]:
    return (
        Meeting.objects.public()
        .filter(team__programme=programme)
        .select_related("team")
        .order_by("-date", "-start_time")
    )


def meeting_with_plan(meeting_qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Meetings with their team and the plan (agenda items and their SWOT topics) prefetched."""
    return meeting_qs.select_related("team", "team__programme").prefetch_related(
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.order_by("position").prefetch_related("swot_topics"),
        )
    )
