"""Writes for SWOT topics and entries.

Callers check ``teams.meeting_permissions`` first; these services re-check the meeting's phase
inside their transaction and refuse (``core.errors.Refused``), so a stale page never changes a
frozen (published) meeting. Edits and merges are conditional on the ``version`` the user saw:
if someone else saved first, nothing is saved and ``ConflictError`` carries the entry as it is
now.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import Refused
from core.text import collapse_spaces
from teams.meeting_phases import Feature
from teams.meeting_services import (
    merge_if_current,
    neighbour,
    organisation_of,
    require_feature,
    save_if_current,
)
from teams.models import AgendaItem, Meeting, User

from .audit import SwotAudit
from .models import SwotEntry, SwotTopic


class DuplicateTopic(Refused):
    """The meeting already has a SWOT topic of this title (letter case and spaces aside)."""


class TopicHasEntries(Refused):
    """The SWOT topic has entries: they are contributions, so the topic is not deleted."""


def _same_title(meeting: Meeting, title: str, *, exclude: SwotTopic | None = None) -> None:
    """Refuse (``DuplicateTopic``) a title another topic of the meeting already has."""
    others = meeting.swot_topics.filter(title__iexact=title)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise DuplicateTopic(
            _("This meeting already has the SWOT topic “%(title)s”.") % {"title": title}
        )


def _renumber(meeting: Meeting, ids: list[int]) -> None:
    """Give the meeting's topics ``ids`` the positions 1..n in that order. Positions are unique
    per meeting and checked row by row, so the rows first step aside past the highest one."""
    topics = SwotTopic.objects.filter(meeting=meeting)
    aside = (topics.aggregate(m=Max("position"))["m"] or 0) + 1
    for offset, pk in enumerate(ids):
        topics.filter(pk=pk).update(position=aside + offset)
    for position, pk in enumerate(ids, start=1):
        topics.filter(pk=pk).update(position=position)


@transaction.atomic
def swot_topic_add(
    *, actor: User, meeting: Meeting, title: str, agenda_item: AgendaItem | None = None
) -> SwotTopic:
    """A SWOT topic at the end of the meeting's plan; a second topic of the same title is
    refused (``DuplicateTopic``): each would be its own board, and a topic cannot be removed
    once the workspace is open, so the duplicate would stay in the published results."""
    require_feature(meeting, Feature.PLAN)
    title = collapse_spaces(title)
    _same_title(meeting, title)
    last = meeting.swot_topics.aggregate(m=Max("position"))["m"] or 0
    topic = SwotTopic.objects.create(
        meeting=meeting, agenda_item=agenda_item, position=last + 1, title=title
    )
    audit_record(actor=actor, action=SwotAudit.SWOT_TOPIC_ADD, target=topic)
    return topic


@transaction.atomic
def swot_topic_edit(
    *, actor: User, topic: SwotTopic, title: str, agenda_item: AgendaItem | None = None
) -> SwotTopic:
    """Rename the topic (and set its agenda item) while the meeting is planned; its entries
    stay with it. A title another topic of the meeting has is refused (``DuplicateTopic``)."""
    meeting = require_feature(topic.meeting, Feature.PLAN)
    title = collapse_spaces(title)
    _same_title(meeting, title, exclude=topic)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValueError("A SWOT topic's agenda item is one of its own meeting's.")
    if not SwotTopic.objects.filter(pk=topic.pk).update(title=title, agenda_item=agenda_item):
        raise Refused(_("This SWOT topic has been removed meanwhile; nothing was saved."))
    if (title, agenda_item.pk if agenda_item else None) == (topic.title, topic.agenda_item_id):
        return topic  # sent as it was: nothing changed, nothing to put on record
    audit_record(
        actor=actor,
        action=SwotAudit.SWOT_TOPIC_EDIT,
        target=topic,
        data={
            "before": topic.title,
            "after": title,
            "agenda_item": agenda_item.pk if agenda_item else None,
        },
    )
    return SwotTopic.objects.get(pk=topic.pk)


@transaction.atomic
def swot_topic_move(*, actor: User, topic: SwotTopic, direction: str) -> None:
    """Move the topic one place up or down in the meeting's plan (positions renumbered 1..n);
    nothing happens (and nothing is audited) at either end."""
    meeting = require_feature(topic.meeting, Feature.PLAN)
    ids = list(meeting.swot_topics.order_by("position", "pk").values_list("pk", flat=True))
    if (swap := neighbour(ids, topic.pk, direction)) is None:
        return
    index, other = swap
    ids[index], ids[other] = ids[other], ids[index]
    _renumber(meeting, ids)
    audit_record(
        actor=actor, action=SwotAudit.SWOT_TOPIC_MOVE, target=topic, data={"direction": direction}
    )


@transaction.atomic
def swot_topic_delete(*, actor: User, topic: SwotTopic) -> None:
    """Delete a topic nobody has written in yet; the topics after it move up. A topic with any
    entry (merged ones too) is refused (``TopicHasEntries``): entries are contributions and
    are never lost. The meeting is locked first, so no entry can arrive between the check and
    the deletion (``swot_entry_add`` locks it too)."""
    meeting = require_feature(topic.meeting, Feature.PLAN)
    if not meeting.swot_topics.filter(pk=topic.pk).exists():
        return  # another moderator deleted it first
    if SwotEntry.objects.filter(topic_id=topic.pk).exists():
        raise TopicHasEntries(
            _(
                "The SWOT topic “%(title)s” already has entries, so it cannot be removed: "
                "entries are contributions and are kept. You can rename it instead."
            )
            % {"title": topic.title}
        )
    audit_record(
        actor=actor,
        action=SwotAudit.SWOT_TOPIC_DELETE,
        target=topic,
        data={"title": topic.title, "position": topic.position},
    )
    SwotTopic.objects.filter(pk=topic.pk).delete()
    _renumber(
        meeting, list(meeting.swot_topics.order_by("position", "pk").values_list("pk", flat=True))
    )


@transaction.atomic
def swot_entry_add(*, actor: User, topic: SwotTopic, quadrant: str, text: str) -> SwotEntry:
    """A new entry at the end of its quadrant, under the author's organisation."""
    require_feature(topic.meeting, Feature.ADD_ENTRIES)
    last = topic.entries.filter(quadrant=quadrant).aggregate(m=Max("position"))["m"] or 0
    return SwotEntry.objects.create(
        topic=topic,
        quadrant=quadrant,
        text=text,
        position=last + 1,
        author=actor,
        organisation=organisation_of(actor),
    )


@transaction.atomic
def swot_entry_edit(
    *, actor: User, entry: SwotEntry, text: str, quadrant: str, expected_version: int
) -> SwotEntry:
    """Change the text (and quadrant). Audited when a moderator edits someone else's entry."""
    require_feature(entry.topic.meeting, Feature.ADD_ENTRIES, Feature.MODERATE)
    save_if_current(SwotEntry, entry, expected_version, text=text, quadrant=quadrant)
    if entry.author_id != actor.pk:
        audit_record(
            actor=actor,
            action=SwotAudit.SWOT_ENTRY_EDIT,
            target=entry,
            data={"before": entry.text, "after": text, "quadrant": quadrant},
        )
    return SwotEntry.objects.get(pk=entry.pk)


@transaction.atomic
def swot_entry_merge(
    *, actor: User, entry: SwotEntry, into: SwotEntry, expected_version: int
) -> SwotEntry:
    """Merge a duplicate ``entry`` into ``into``. The duplicate stays on record, marked as
    merged. Both rows' versions move on, so a concurrent edit or merge of either conflicts."""
    require_feature(entry.topic.meeting, Feature.MODERATE)
    if into.pk == entry.pk or into.topic.meeting_id != entry.topic.meeting_id:
        raise ValueError("An entry can only be merged into another entry of the same meeting.")
    merge_if_current(SwotEntry, entry, into, expected_version)
    audit_record(
        actor=actor,
        action=SwotAudit.SWOT_ENTRY_MERGE,
        target=entry,
        data={"into": into.pk, "text": entry.text, "into_text": into.text},
    )
    return SwotEntry.objects.get(pk=entry.pk)


@transaction.atomic
def swot_entry_move(*, actor: User, entry: SwotEntry, direction: str) -> None:
    """Move an entry one place up or down within its quadrant (positions renumbered 1..n)."""
    require_feature(entry.topic.meeting, Feature.MODERATE)
    siblings = list(
        SwotEntry.objects.current()
        .filter(topic_id=entry.topic_id, quadrant=entry.quadrant)
        .order_by("position", "pk")
    )
    ids = [s.pk for s in siblings]
    if (swap := neighbour(ids, entry.pk, direction)) is None:
        return
    index, other = swap
    ids[index], ids[other] = ids[other], ids[index]
    for position, pk in enumerate(ids, start=1):
        SwotEntry.objects.filter(pk=pk).update(position=position)
    audit_record(
        actor=actor, action=SwotAudit.SWOT_ENTRY_MOVE, target=entry, data={"direction": direction}
    )
