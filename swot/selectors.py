"""Reads for SWOT boards."""

from __future__ import annotations

from django.db.models import Prefetch

from teams.models import Meeting

from .models import Quadrant, SwotEntry


def swot_boards(*, meeting: Meeting) -> list[dict[str, object]]:
    """One board per topic: the topic and its current entries by quadrant, in S, W, O, T order."""
    topics = meeting.swot_topics.order_by("position").prefetch_related(
        Prefetch(
            "entries",
            queryset=SwotEntry.objects.current().select_related("organisation"),
            to_attr="current_entries",
        )
    )
    boards = []
    for topic in topics:
        by_quadrant: dict[str, list[SwotEntry]] = {q.value: [] for q in Quadrant}
        for entry in topic.current_entries:
            by_quadrant[entry.quadrant].append(entry)
        boards.append(
            {
                "topic": topic,
                "quadrants": [
                    {"code": q.value, "label": q.label, "entries": by_quadrant[q.value]}
                    for q in Quadrant
                ],
            }
        )
    return boards
