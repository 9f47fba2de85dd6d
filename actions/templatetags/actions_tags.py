from django import template

from teams.models import Meeting

from .. import selectors

register = template.Library()


@register.inclusion_tag("actions/partials/goals_and_actions.html")
def goals_and_actions(meeting: Meeting) -> dict[str, object]:
    """A meeting's goals, each with its actions, then the actions tied to no goal."""
    goals = list(selectors.goals_of_meeting(meeting=meeting))
    actions = list(selectors.actions_of_meeting(meeting=meeting))
    return {
        "meeting": meeting,
        "goals": goals,
        "loose_actions": [a for a in actions if a.goal_id is None],
        "action_count": len(actions),
    }
