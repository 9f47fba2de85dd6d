"""Writes for meetings: planning, phases, attendance, the speakers list and the minutes.

Every function is one transaction. Callers check the predicates in ``meeting_permissions``
first; the services re-check the phase where a stale page could otherwise slip a change into a
frozen meeting, and refuse with ``core.errors.Refused``. Moderation-relevant changes write an
audit entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import ConflictError, Refused

from . import notices
from .audit import TeamsAudit
from .meeting_phases import Feature, agenda_item_misfit, out_of_time, phase_of, phase_opens
from .models import (
    AgendaItem,
    Attendance,
    Meeting,
    Organisation,
    Representation,
    Speaker,
    Team,
    User,
)
from .signals import meeting_results_published

Item = TypeVar("Item", bound=models.Model)

PLAN_FIELDS = [
    "title",
    "date",
    "start_time",
    "end_time",
    "place",
    "online_url",
    "rules",
    "next_steps",
    "speaking_time_seconds",
]


def organisation_of(user: User) -> Organisation | None:
    """The organisation a person's contributions are shown under: the first one they speak for
    (``Representation.objects.active()``: approved, the organisation verified), or none."""
    representation = (
        Representation.objects.active()
        .filter(user=user)
        .select_related("organisation")
        .order_by("created_at", "pk")
        .first()
    )
    return representation.organisation if representation else None


def _locked(meeting: Meeting) -> Meeting:
    """Re-read the meeting inside the transaction, so the phase check sees committed state."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def require_feature(meeting: Meeting, *features: Feature) -> Meeting:
    """Re-read the meeting (locked for the transaction) and refuse (``Refused``) unless its
    phase opens one of ``features``: a stale page never changes a frozen meeting. The swot and
    actions services ask it too."""
    locked = _locked(meeting)
    if not any(phase_opens(locked, feature) for feature in features):
        raise Refused(_("This is not possible in the meeting's current phase."))
    return locked


def neighbour(ids: list[int], pk: int, direction: str) -> tuple[int, int] | None:
    """Moving ``pk`` one place ``direction`` ("up" or anything else for down) in ``ids``: its
    index and the index it swaps with; None when it is not there or already at that end.
    For every reorderable list of a meeting (SWOT topics and entries, goals, actions)."""
    if pk not in ids:
        return None
    index = ids.index(pk)
    other = index - 1 if direction == "up" else index + 1
    return (index, other) if 0 <= other < len(ids) else None


def save_if_current(model: type[Item], item: Item, expected_version: int, **fields: Any) -> None:
    """Write ``fields`` to a SWOT entry, goal or action still on the board, if nobody saved it
    since ``expected_version`` (its version moves on); else ConflictError with it as it is now.
    For the swot and actions services, inside their transaction."""
    updated = model._default_manager.filter(
        pk=item.pk, version=expected_version, merged_into__isnull=True
    ).update(version=F("version") + 1, **fields)
    if not updated:
        raise ConflictError(current=model._default_manager.get(pk=item.pk))


def merge_if_current(
    model: type[Item], item: Item, into: Item, expected_version: int, **fields: Any
) -> None:
    """Mark ``item`` merged into ``into`` (with ``fields``), if both are still on the board and
    nobody saved ``item`` since ``expected_version``. Both versions move on, so a concurrent edit
    or merge of either conflicts; on a conflict ConflictError carries ``item`` as it is now, and
    the caller's transaction undoes the half that was written."""
    target_ok = model._default_manager.filter(pk=into.pk, merged_into__isnull=True).update(
        version=F("version") + 1
    )
    source_ok = model._default_manager.filter(
        pk=item.pk, version=expected_version, merged_into__isnull=True
    ).update(merged_into=into, version=F("version") + 1, **fields)
    if not (target_ok and source_ok):
        raise ConflictError(current=model._default_manager.get(pk=item.pk))


@transaction.atomic
def meeting_create(*, actor: User, team: Team, data: dict[str, Any]) -> Meeting:
    """A draft meeting of ``team``; only its planners see it until it is announced."""
    meeting = Meeting.objects.create(
        team=team, status=Meeting.Status.DRAFT, **{k: data[k] for k in PLAN_FIELDS if k in data}
    )
    audit_record(actor=actor, action=TeamsAudit.MEETING_CREATE, target=meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *, actor: User, meeting: Meeting, data: dict[str, Any], expected_version: int
) -> Meeting:
    """Save the plan if nobody saved it since ``expected_version``; else ConflictError."""
    require_feature(meeting, Feature.PLAN)
    fields = {k: data[k] for k in PLAN_FIELDS if k in data}
    start, end = (
        fields.get("start_time", meeting.start_time),
        fields.get("end_time", meeting.end_time),
    )
    for item in meeting.agenda_items.all():
        if misfit := agenda_item_misfit(start, end, item.starts_at, item.duration_minutes):
            raise Refused(f"{item}: {misfit[1]}")
    updated = Meeting.objects.filter(pk=meeting.pk, version=expected_version).update(
        version=F("version") + 1, **fields
    )
    if not updated:
        raise ConflictError(current=Meeting.objects.get(pk=meeting.pk))
    audit_record(actor=actor, action=TeamsAudit.MEETING_UPDATE, target=meeting)
    saved = Meeting.objects.get(pk=meeting.pk)
    notices.notify_meeting_changed(meeting, saved)
    return saved


def _refuse_misfit(meeting: Meeting, starts_at: dt.time | None, minutes: int | None) -> None:
    if misfit := agenda_item_misfit(meeting.start_time, meeting.end_time, starts_at, minutes):
        raise Refused(misfit[1])


@transaction.atomic
def agenda_item_add(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    numeral: str = "",
    starts_at: dt.time | None = None,
    duration_minutes: int | None = None,
) -> AgendaItem:
    require_feature(meeting, Feature.PLAN)
    _refuse_misfit(meeting, starts_at, duration_minutes)
    last = meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=last + 1,
        numeral=numeral,
        title=title,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
    )
    audit_record(actor=actor, action=TeamsAudit.AGENDA_ITEM_ADD, target=item)
    return item


@transaction.atomic
def agenda_item_update(*, actor: User, item: AgendaItem, data: dict[str, Any]) -> AgendaItem:
    require_feature(item.meeting, Feature.PLAN)
    fields = ["numeral", "title", "starts_at", "duration_minutes"]
    planned = {k: data.get(k, getattr(item, k)) for k in ("starts_at", "duration_minutes")}
    _refuse_misfit(item.meeting, planned["starts_at"], planned["duration_minutes"])
    AgendaItem.objects.filter(pk=item.pk).update(**{k: data[k] for k in fields if k in data})
    audit_record(
        actor=actor, action=TeamsAudit.AGENDA_ITEM_UPDATE, target=item, data={"before": item.title}
    )
    return AgendaItem.objects.get(pk=item.pk)


@transaction.atomic
def agenda_item_delete(*, actor: User, item: AgendaItem) -> None:
    require_feature(item.meeting, Feature.PLAN)
    audit_record(
        actor=actor, action=TeamsAudit.AGENDA_ITEM_DELETE, target=item, data={"title": item.title}
    )
    item.delete()


class ReasonRequired(Refused):
    """Publishing a meeting without results needs a reason (``Meeting.has_results``)."""


@transaction.atomic
def meeting_advance(
    *, actor: User, meeting: Meeting, expected_status: str, reason: str = ""
) -> Meeting:
    """Move the meeting one phase on. ``expected_status`` is the phase the moderator saw; if
    another moderator moved it meanwhile, ConflictError (so a double click never skips a phase).
    Publishing dates the results (``published_at``); a meeting without results is published
    only with a ``reason`` (else ReasonRequired), which is stored on it and audited."""
    locked = _locked(meeting)
    phase = phase_of(locked)
    if locked.status != expected_status or phase.next_status is None:
        raise ConflictError(current=Meeting.objects.get(pk=meeting.pk))
    if too_soon_or_late := out_of_time(locked, timezone.localdate()):
        raise Refused(too_soon_or_late)
    fields: dict[str, Any] = {"status": phase.next_status, "version": F("version") + 1}
    audit_data = {"from": expected_status, "to": str(phase.next_status)}
    if phase.next_status == Meeting.Status.PUBLISHED:
        fields["published_at"] = timezone.now()
        if not locked.has_results():
            reason = reason.strip()
            if not reason:
                raise ReasonRequired(
                    _("This meeting has no results; give the reason for publishing it anyway.")
                )
            fields["empty_results_reason"] = reason
            audit_data["reason"] = reason
    updated = Meeting.objects.filter(pk=meeting.pk, status=expected_status).update(**fields)
    if not updated:
        raise ConflictError(current=Meeting.objects.get(pk=meeting.pk))
    audit_record(
        actor=actor,
        action=TeamsAudit(f"meeting.{phase.next_status}"),
        target=meeting,
        data=audit_data,
    )
    notices.notify_meeting_advanced(Meeting.objects.get(pk=meeting.pk))
    if phase.next_status == Meeting.Status.PUBLISHED:
        meeting_id, actor_id = meeting.pk, actor.pk
        transaction.on_commit(
            lambda: meeting_results_published.send(
                sender=Meeting, meeting_id=meeting_id, actor_id=actor_id
            ),
            robust=True,
        )
    return Meeting.objects.get(pk=meeting.pk)


@transaction.atomic
def attendance_register(*, actor: User, meeting: Meeting) -> Attendance:
    require_feature(meeting, Feature.REGISTER)
    attendance, _created = Attendance.objects.get_or_create(
        meeting=meeting, user=actor, defaults={"organisation": organisation_of(actor)}
    )
    if attendance.walk_in:  # recorded by the moderator; now the person's own registration too
        Attendance.objects.filter(pk=attendance.pk).update(walk_in=False)
        attendance.walk_in = False
    return attendance


@transaction.atomic
def attendance_unregister(*, actor: User, meeting: Meeting) -> None:
    """Withdraw one's registration; refused once the moderator recorded that the person
    attended (``attendance_mark``): that is the meeting's record (its minutes list it), which
    only the moderator corrects."""
    require_feature(meeting, Feature.REGISTER)
    if Attendance.objects.filter(meeting=meeting, user=actor, attended=True).exists():
        raise Refused(
            _(
                "The moderator has recorded that you attended this meeting, so the registration "
                "stays; if that is wrong, ask the moderator to correct the attendance."
            )
        )
    Attendance.objects.filter(meeting=meeting, user=actor).delete()


def recordable_members(meeting: Meeting) -> QuerySet[User]:
    """Whom the moderator may record as present without a registration: the meeting's team's
    members, as they are invited (``notices.team_members``). The attendance form offers them
    and ``attendance_mark`` refuses anyone else."""
    return notices.reachable(notices.team_members(meeting.team_id))


@transaction.atomic
def attendance_mark(
    *,
    actor: User,
    meeting: Meeting,
    attended_ids: set[int],
    member_ids: set[int] | None = None,
) -> None:
    """Record who came: the registrations in ``attended_ids`` came, the others did not; the
    team's members in ``member_ids`` came without registering (walk-ins), and get an
    attendance row as a registration would make it. Only the team's members (those invited,
    ``notices.team_members``) can be recorded: anyone else is refused and nothing is saved."""
    require_feature(meeting, Feature.MARK_ATTENDANCE)
    member_ids = member_ids or set()
    members = list(recordable_members(meeting).filter(pk__in=member_ids))
    if len(members) != len(member_ids):
        raise Refused(_("Only members of the meeting's team can be recorded; nothing was saved."))
    attended = set(attended_ids)
    walk_ins = []
    for user in members:
        attendance, created = Attendance.objects.get_or_create(
            meeting=meeting,
            user=user,
            defaults={"organisation": organisation_of(user), "walk_in": True},
        )
        attended.add(attendance.pk)
        if created:
            walk_ins.append(user.pk)
    attendances = meeting.attendances.all()
    attendances.filter(pk__in=attended).update(attended=True)
    # A walk-in unticked again (ticked by mistake) is no registration of theirs: the row goes,
    # rather than staying as a registration the person never made.
    unticked = attendances.exclude(pk__in=attended)
    removed = sorted(unticked.filter(walk_in=True).values_list("user_id", flat=True))
    unticked.filter(walk_in=True).delete()
    unticked.update(attended=False)
    audit_record(
        actor=actor,
        action=TeamsAudit.MEETING_MARK_ATTENDANCE,
        target=meeting,
        data={"attended": sorted(attended), "walk_ins": sorted(walk_ins), "removed": removed},
    )


@transaction.atomic
def speaker_add(*, actor: User, meeting: Meeting, name: str, user: User | None = None) -> Speaker:
    """Put someone at the end of the speakers list (a person adds themselves, or the moderator
    adds a name). A person already waiting is not added twice."""
    require_feature(meeting, Feature.SPEAK)
    if user is not None:
        waiting = meeting.speakers.filter(user=user, ended_at__isnull=True).first()
        if waiting:
            return waiting
    last = meeting.speakers.aggregate(m=Max("position"))["m"] or 0
    return Speaker.objects.create(meeting=meeting, user=user, name=name, position=last + 1)


@transaction.atomic
def speaker_start(*, actor: User, speaker: Speaker) -> Speaker:
    """Start a turn; a turn still running is ended first (one speaker at a time)."""
    meeting = require_feature(speaker.meeting, Feature.SPEAK)
    now = timezone.now()
    meeting.speakers.filter(started_at__isnull=False, ended_at__isnull=True).exclude(
        pk=speaker.pk
    ).update(ended_at=now)
    Speaker.objects.filter(pk=speaker.pk, started_at__isnull=True).update(started_at=now)
    return Speaker.objects.get(pk=speaker.pk)


@transaction.atomic
def speaker_end(*, actor: User, speaker: Speaker) -> Speaker:
    """End a turn (or take a waiting person off the list)."""
    require_feature(speaker.meeting, Feature.SPEAK)
    Speaker.objects.filter(pk=speaker.pk, ended_at__isnull=True).update(ended_at=timezone.now())
    return Speaker.objects.get(pk=speaker.pk)


@transaction.atomic
def minutes_save(
    *, actor: User, meeting: Meeting, minutes: str, expected_version: int, publish: bool = False
) -> Meeting:
    """Save the minutes (and, with ``publish``, publish them: dated and frozen)."""
    locked = require_feature(meeting, Feature.PUBLISH_MINUTES if publish else Feature.MINUTES)
    if locked.minutes_published_at is not None:
        raise ConflictError(current=locked)
    fields: dict[str, Any] = {"minutes": minutes, "version": F("version") + 1}
    if publish:
        fields["minutes_published_at"] = timezone.now()
    updated = Meeting.objects.filter(pk=meeting.pk, version=expected_version).update(**fields)
    if not updated:
        raise ConflictError(current=Meeting.objects.get(pk=meeting.pk))
    audit_record(
        actor=actor,
        action=TeamsAudit.MEETING_MINUTES_PUBLISH if publish else TeamsAudit.MEETING_MINUTES,
        target=meeting,
    )
    notices.notify_minutes_published(Meeting.objects.get(pk=meeting.pk))
    return Meeting.objects.get(pk=meeting.pk)


@transaction.atomic
def minutes_publish(*, actor: User, meeting: Meeting, expected_version: int) -> Meeting:
    """Publish the minutes as saved at ``expected_version`` (the text the confirmation page
    was shown for): dated, frozen, and their audience told once. ConflictError, with nothing
    changed, if they were saved or published meanwhile."""
    locked = require_feature(meeting, Feature.PUBLISH_MINUTES)
    return minutes_save(
        actor=actor,
        meeting=locked,
        minutes=locked.minutes,
        expected_version=expected_version,
        publish=True,
    )
