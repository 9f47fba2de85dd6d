"""Reads for SWOT boards."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from teams.models import Meeting

from .models import Quadrant, SwotEntry


def swot_boards(*, meeting: Meeting, topic_pk: int | None = None) -> list[dict[str, Any]]:
    """One board per topic (or only ``topic_pk``'s): the topic, its current entries by quadrant
    in S, W, O, T order, and the entries merged into others (kept on record, shown apart)."""
    topics = meeting.swot_topics.order_by("position")
    if topic_pk is not None:
        topics = topics.filter(pk=topic_pk)
    topics = topics.prefetch_related(
        Prefetch(
            "entries",
            queryset=SwotEntry.objects.select_related("organisation", "merged_into").order_by(
                "quadrant", "position", "pk"
            ),
            to_attr="all_entries",
        )
    )
    boards = []
    for topic in topics:
        by_quadrant: dict[str, list[SwotEntry]] = {q.value: [] for q in Quadrant}
        merged = []
        for entry in topic.all_entries:
            if entry.merged_into_id is None:
                by_quadrant[entry.quadrant].append(entry)
            else:
                merged.append(entry)
        boards.append(
            {
                "topic": topic,
                "quadrants": [
                    {"code": q.value, "label": q.label, "entries": by_quadrant[q.value]}
                    for q in Quadrant
                ],
                "merged": merged,
            }
        )
    return boards
