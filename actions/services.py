"""Writes for goals (with proposed solutions) and postulated actions.

Callers check ``teams.meeting_permissions`` first; these services re-check the meeting's phase
inside their transaction and refuse (``core.errors.Refused``). Actions are numbered within
their meeting and goals within their team (the next free number, retried if two people add at
the same moment). Edits and merges are conditional on the ``version`` the user saw: if someone
else saved first, nothing is saved and ``ConflictError`` carries the row as it is now.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Max

from core.audit import audit_record
from teams.meeting_phases import Feature
from teams.meeting_services import (
    merge_if_current,
    neighbour,
    organisation_of,
    require_feature,
    save_if_current,
)
from teams.models import Meeting, User

from .audit import ActionsAudit
from .models import Action, Goal

T = TypeVar("T")
NUMBER_ATTEMPTS = 5


def _with_next_number(create: Callable[[], T]) -> T:
    """Run ``create`` (which picks the next free number) in a savepoint, retrying when a
    concurrent insert took the same number first."""
    for attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                return create()
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def goal_add(*, actor: User, meeting: Meeting, title: str, proposed_solutions: str = "") -> Goal:
    require_feature(meeting, Feature.ADD_ENTRIES)

    def create() -> Goal:
        last = Goal.objects.filter(team_id=meeting.team_id).aggregate(m=Max("number"))["m"] or 0
        return Goal.objects.create(
            team_id=meeting.team_id,
            meeting=meeting,
            number=last + 1,
            title=title,
            proposed_solutions=proposed_solutions,
            author=actor,
            organisation=organisation_of(actor),
        )

    return _with_next_number(create)


@transaction.atomic
def goal_edit(
    *, actor: User, goal: Goal, title: str, proposed_solutions: str, expected_version: int
) -> Goal:
    assert goal.meeting is not None
    require_feature(goal.meeting, Feature.ADD_ENTRIES, Feature.MODERATE)
    save_if_current(
        Goal, goal, expected_version, title=title, proposed_solutions=proposed_solutions
    )
    if goal.author_id != actor.pk:
        audit_record(
            actor=actor,
            action=ActionsAudit.GOAL_EDIT,
            target=goal,
            data={
                "before": [goal.title, goal.proposed_solutions],
                "after": [title, proposed_solutions],
            },
        )
    return Goal.objects.get(pk=goal.pk)


@transaction.atomic
def goal_merge(*, actor: User, goal: Goal, into: Goal, expected_version: int) -> Goal:
    """Merge a duplicate goal into another of the same meeting; its actions move to ``into``.
    The duplicate stays on record, marked as merged."""
    assert goal.meeting is not None
    require_feature(goal.meeting, Feature.MODERATE)
    if into.pk == goal.pk or into.meeting_id != goal.meeting_id:
        raise ValueError("A goal can only be merged into another goal of the same meeting.")
    merge_if_current(Goal, goal, into, expected_version)
    moved = list(goal.actions.values_list("pk", flat=True))
    Action.objects.filter(pk__in=moved).update(goal=into)
    audit_record(
        actor=actor,
        action=ActionsAudit.GOAL_MERGE,
        target=goal,
        data={"into": into.pk, "title": goal.title, "moved_actions": moved},
    )
    return Goal.objects.get(pk=goal.pk)


def _swap_numbers(model: type[Goal] | type[Action], a: Goal | Action, b: Goal | Action) -> None:
    # The numbers are unique, so park one at 0 (never used) while the other moves.
    a_number, b_number = a.number, b.number
    model.objects.filter(pk=a.pk).update(number=0)
    model.objects.filter(pk=b.pk).update(number=a_number)
    model.objects.filter(pk=a.pk).update(number=b_number)


@transaction.atomic
def goal_move(*, actor: User, goal: Goal, direction: str) -> None:
    """Swap a goal's number with its neighbour's among the meeting's current goals; nothing
    happens (and nothing is audited) at either end."""
    assert goal.meeting is not None
    require_feature(goal.meeting, Feature.MODERATE)
    siblings = list(
        Goal.objects.filter(meeting=goal.meeting, merged_into__isnull=True).order_by("number")
    )
    if _move(Goal, siblings, goal, direction):
        audit_record(
            actor=actor, action=ActionsAudit.GOAL_MOVE, target=goal, data={"direction": direction}
        )


def _move(
    model: type[Goal] | type[Action], siblings: list, item: Goal | Action, direction: str
) -> bool:
    """Swap the item with its neighbour; False (nothing moved, so nothing to audit, as for
    SWOT entries and topics) at either end."""
    if (swap := neighbour([s.pk for s in siblings], item.pk, direction)) is None:
        return False
    index, other = swap
    _swap_numbers(model, siblings[index], siblings[other])
    return True


@transaction.atomic
def action_add(*, actor: User, meeting: Meeting, text: str, goal: Goal | None = None) -> Action:
    """A postulated action with the meeting's next free number."""
    require_feature(meeting, Feature.ADD_ENTRIES)

    def create() -> Action:
        last = Action.objects.filter(meeting=meeting).aggregate(m=Max("number"))["m"] or 0
        return Action.objects.create(
            team_id=meeting.team_id,
            meeting=meeting,
            goal=goal,
            number=last + 1,
            text=text,
            author=actor,
            organisation=organisation_of(actor),
        )

    return _with_next_number(create)


@transaction.atomic
def action_edit(
    *, actor: User, action: Action, text: str, goal: Goal | None, expected_version: int
) -> Action:
    require_feature(action.meeting, Feature.ADD_ENTRIES, Feature.MODERATE)
    save_if_current(Action, action, expected_version, text=text, goal=goal)
    if action.author_id != actor.pk:
        audit_record(
            actor=actor,
            action=ActionsAudit.ACTION_EDIT,
            target=action,
            data={"before": action.text, "after": text, "goal": goal.pk if goal else None},
        )
    return Action.objects.get(pk=action.pk)


@transaction.atomic
def action_merge(*, actor: User, action: Action, into: Action, expected_version: int) -> Action:
    """Merge a duplicate action into another of the same meeting. It keeps its number and stays
    on record with status MERGED."""
    require_feature(action.meeting, Feature.MODERATE)
    if into.pk == action.pk or into.meeting_id != action.meeting_id:
        raise ValueError("An action can only be merged into another action of the same meeting.")
    merge_if_current(Action, action, into, expected_version, status=Action.Status.MERGED)
    audit_record(
        actor=actor,
        action=ActionsAudit.ACTION_MERGE,
        target=action,
        data={"into": into.pk, "into_number": into.number, "text": action.text},
    )
    return Action.objects.get(pk=action.pk)


@transaction.atomic
def action_move(*, actor: User, action: Action, direction: str) -> None:
    """Swap an action's number with its neighbour's among the meeting's current actions;
    nothing happens (and nothing is audited) at either end."""
    require_feature(action.meeting, Feature.MODERATE)
    siblings = list(
        Action.objects.filter(meeting_id=action.meeting_id, merged_into__isnull=True).order_by(
            "number"
        )
    )
    if _move(Action, siblings, action, direction):
        audit_record(
            actor=actor,
            action=ActionsAudit.ACTION_MOVE,
            target=action,
            data={"direction": direction},
        )
