from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import selectors
from .access import get_meeting_for_user
from .models import Team


def team_list(request: HttpRequest) -> HttpResponse:
    programme = selectors.programme_current()
    teams = selectors.team_list(programme=programme)
    return render(request, "teams/team_list.html", {"programme": programme, "teams": teams})


def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team.objects.select_related("programme"), slug=slug)
    meetings = selectors.meeting_list_for_team(team=team)
    return render(request, "teams/team_detail.html", {"team": team, "meetings": meetings})


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    return render(request, "teams/meeting_detail.html", {"meeting": meeting})
