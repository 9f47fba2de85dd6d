"""Access helpers for SWOT topics and entries: the object, or 404 for missing and forbidden
alike (someone else's entry by id looks exactly like a missing one)."""

from __future__ import annotations

from django.http import Http404

from teams import meeting_permissions as perms
from teams.permissions import AnyUser, can_view_meeting

from .models import SwotEntry, SwotTopic


def get_topic_for_user(user: AnyUser, pk: int) -> SwotTopic:
    topic = SwotTopic.objects.select_related("meeting__team").filter(pk=pk).first()
    if topic is None or not can_view_meeting(user, topic.meeting):
        raise Http404("No such SWOT topic.")
    return topic


def _entry(pk: int) -> SwotEntry | None:
    return SwotEntry.objects.select_related("topic__meeting__team").filter(pk=pk).first()


def get_entry_to_edit(user: AnyUser, pk: int) -> SwotEntry:
    entry = _entry(pk)
    if (
        entry is None
        or entry.merged_into_id is not None
        or not perms.can_edit_entry(user, entry.topic.meeting, entry.author_id)
    ):
        raise Http404("No such SWOT entry.")
    return entry


def get_entry_to_moderate(user: AnyUser, pk: int) -> SwotEntry:
    entry = _entry(pk)
    if (
        entry is None
        or entry.merged_into_id is not None
        or not perms.can_moderate_entries(user, entry.topic.meeting)
    ):
        raise Http404("No such SWOT entry.")
    return entry
