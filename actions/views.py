from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from teams.access import get_meeting_for_user

from . import selectors


def meeting_actions(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """A meeting's postulated actions laid out like the seeds' Załącznik nr 3."""
    meeting = get_meeting_for_user(request.user, meeting_pk)
    actions = selectors.actions_of_meeting(meeting=meeting)
    return render(request, "actions/meeting_actions.html", {"meeting": meeting, "actions": actions})


def action_list(request: HttpRequest) -> HttpResponse:
    actions = selectors.actions_published()
    return render(request, "actions/action_list.html", {"actions": actions})
