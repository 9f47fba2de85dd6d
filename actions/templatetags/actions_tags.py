from typing import Any

from django import template

from teams import meeting_permissions as perms
from teams.models import Meeting

from .. import selectors
from ..forms import ActionForm, GoalForm

register = template.Library()


def _goals_context(meeting: Meeting) -> dict[str, Any]:
    goals = list(selectors.goals_of_meeting(meeting=meeting))
    actions = list(selectors.actions_of_meeting(meeting=meeting))
    return {
        "meeting": meeting,
        "goals": goals,
        "loose_actions": [a for a in actions if a.goal_id is None and a.merged_into_id is None],
        "merged_actions": [a for a in actions if a.merged_into_id is not None],
        "merged_goals": list(selectors.merged_goals_of_meeting(meeting=meeting)),
        "action_count": len(actions),
    }


@register.inclusion_tag("actions/partials/goals_and_actions.html")
def goals_and_actions(meeting: Meeting) -> dict[str, object]:
    """A meeting's goals, each with its actions, then the actions tied to no goal."""
    return _goals_context(meeting)


@register.inclusion_tag("actions/partials/goals_workspace.html", takes_context=True)
def goals_workspace(context: template.Context, meeting: Meeting) -> dict[str, Any]:
    """Goals and actions with the controls this user may use in this phase."""
    user = context["request"].user
    can_add = perms.can_add_entries(user, meeting)
    can_moderate = perms.can_moderate_entries(user, meeting)
    data = _goals_context(meeting)

    def mark(items: list[Any]) -> None:
        for index, item in enumerate(items):
            item.can_edit = can_moderate or (can_add and item.author_id == user.pk)
            item.is_first = index == 0
            item.is_last = index == len(items) - 1

    mark(data["goals"])
    current_actions = [
        a for a in selectors.actions_of_meeting(meeting=meeting) if a.merged_into_id is None
    ]
    mark(current_actions)
    by_pk = {a.pk: a for a in current_actions}
    for goal in data["goals"]:
        goal.workspace_actions = [by_pk[a.pk] for a in goal.actions.all() if a.pk in by_pk]
    data["loose_actions"] = [by_pk[a.pk] for a in data["loose_actions"]]
    data.update(
        can_add=can_add,
        can_moderate=can_moderate,
        goal_form=GoalForm(prefix="goal") if can_add else None,
        action_form=ActionForm(prefix="action", meeting=meeting) if can_add else None,
        csrf_token=context.get("csrf_token"),
    )
    return data
