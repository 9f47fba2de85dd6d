from typing import Any

from django import template

from teams.models import Meeting

from ..forms import ActionForm, GoalForm
from ..views import goals_context, workspace_goals

register = template.Library()


@register.inclusion_tag("actions/partials/goals_and_actions.html")
def goals_and_actions(meeting: Meeting) -> dict[str, object]:
    """A meeting's goals, each with its actions, then the actions tied to no goal."""
    return goals_context(meeting)


@register.inclusion_tag("actions/partials/goals_workspace.html", takes_context=True)
def goals_workspace(context: template.Context, meeting: Meeting) -> dict[str, Any]:
    """Goals and actions with the controls this user may use in this phase
    (``workspace_goals``), and the add forms."""
    data = workspace_goals(context["request"].user, meeting)
    data.update(
        goal_form=GoalForm(prefix="goal") if data["can_add"] else None,
        action_form=ActionForm(prefix="action", meeting=meeting) if data["can_add"] else None,
        csrf_token=context.get("csrf_token"),
    )
    return data
