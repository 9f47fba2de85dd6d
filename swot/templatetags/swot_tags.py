from dataclasses import replace
from typing import Any

from django import template

from teams import meeting_permissions as perms
from teams.models import Meeting

from .. import selectors
from ..forms import SwotEntryForm, SwotTopicForm
from ..views import entry_form_prefix, workspace_boards

register = template.Library()


@register.inclusion_tag("swot/partials/swot_boards.html")
def swot_boards(meeting: Meeting) -> dict[str, object]:
    """The boards. Once the results are published, a topic without entries says so once
    instead of four empty quadrants, and a meeting without any entries says so once for all
    its topics; before that (the live board) the four quadrants wait to be filled."""
    published = meeting.status == Meeting.Status.PUBLISHED
    boards = [
        {
            **board,
            "has_entries": not published
            or any(q["entries"] for q in board["quadrants"])
            or bool(board["merged"]),
        }
        for board in selectors.swot_boards(meeting=meeting)
    ]
    return {
        "meeting": meeting,
        "boards": boards,
        "has_entries": any(board["has_entries"] for board in boards),
    }


@register.inclusion_tag("swot/partials/swot_workspace.html", takes_context=True)
def swot_workspace(context: template.Context, meeting: Meeting) -> dict[str, Any]:
    """The boards with the controls this user may use in this phase (``workspace_boards``) and
    an add form per topic."""
    data = workspace_boards(context["request"].user, meeting)
    if data["can_add"]:
        data["boards"] = [
            replace(board, add_form=SwotEntryForm(prefix=entry_form_prefix(board.topic.pk)))
            for board in data["boards"]
        ]
    data["csrf_token"] = context.get("csrf_token")
    return data


@register.inclusion_tag("swot/partials/swot_topic_form.html", takes_context=True)
def swot_topic_form(context: template.Context, meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "form": SwotTopicForm(prefix="topic", meeting=meeting),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("teams/partials/meeting_links.html", takes_context=True)
def meeting_workspace_links(context: template.Context, meeting: Meeting) -> dict[str, Any]:
    """Links from the public meeting page to the workspace steps this user may take. It lives
    here because teams has no template tag library and must not import swot."""
    user = context["request"].user
    return {
        "meeting": meeting,
        "can_workspace": perms.can_view_workspace(user, meeting),
        "can_plan": perms.can_plan_meeting(user, meeting),
        "minutes_public": meeting.minutes_published_at is not None,
    }


@register.simple_tag(takes_context=True)
def meeting_results_visible(context: template.Context, meeting: Meeting) -> bool:
    return perms.can_view_results(context["request"].user, meeting)


@register.inclusion_tag("teams/partials/meeting_team_planning.html", takes_context=True)
def team_meeting_planning(context: template.Context, team: Any) -> dict[str, Any]:
    """For a team page: the "plan a meeting" link and the team's drafts, for its planners."""
    user = context["request"].user
    allowed = perms.can_create_meeting(user, team)
    drafts = team.meetings.filter(status=Meeting.Status.DRAFT) if allowed else []
    return {"team": team, "allowed": allowed, "drafts": drafts}
