"""Access helpers for goals and actions: the object, or 404 for missing and forbidden alike
(someone else's goal or action by id looks exactly like a missing one)."""

from __future__ import annotations

from django.http import Http404

from teams import meeting_permissions as perms
from teams.permissions import AnyUser

from .models import Action, Goal


def get_goal_to_edit(user: AnyUser, pk: int) -> Goal:
    goal = Goal.objects.select_related("meeting__team").filter(pk=pk).first()
    if (
        goal is None
        or goal.meeting is None
        or goal.merged_into_id is not None
        or not perms.can_edit_entry(user, goal.meeting, goal.author_id)
    ):
        raise Http404("No such goal.")
    return goal


def get_goal_to_moderate(user: AnyUser, pk: int) -> Goal:
    goal = get_goal_to_edit(user, pk)
    assert goal.meeting is not None
    if not perms.can_moderate_entries(user, goal.meeting):
        raise Http404("No such goal.")
    return goal


def get_action_to_edit(user: AnyUser, pk: int) -> Action:
    action = Action.objects.select_related("meeting__team").filter(pk=pk).first()
    if (
        action is None
        or action.merged_into_id is not None
        or not perms.can_edit_entry(user, action.meeting, action.author_id)
    ):
        raise Http404("No such action.")
    return action


def get_action_to_moderate(user: AnyUser, pk: int) -> Action:
    action = get_action_to_edit(user, pk)
    if not perms.can_moderate_entries(user, action.meeting):
        raise Http404("No such action.")
    return action
