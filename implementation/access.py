"""Access helpers: the followed action (or 404 for an action that is not one of an adopted
programme's, missing or not), a year of its programme (404 outside the period), a proposal."""

from __future__ import annotations

from django.http import Http404

from actions.models import Action
from teams.models import Programme

from . import selectors
from .models import Indicator, Proposal


def get_followed_action(pk: int) -> tuple[Action, Programme]:
    action = Action.objects.select_related("team__programme", "meeting").filter(pk=pk).first()
    if action is None:
        raise Http404("No such action.")
    programme = action.team.programme
    if action.pk not in selectors.followed_action_ids(programme):
        raise Http404("No such action.")
    return action, programme


def get_year(programme: Programme, year: int) -> int:
    if not programme.period_start <= year <= programme.period_end:
        raise Http404("No such year.")
    return year


def get_programme(pk: int) -> Programme:
    programme = Programme.objects.filter(pk=pk).first()
    if programme is None:
        raise Http404("No such programme.")
    return programme


def get_proposal(pk: int) -> Proposal:
    proposal = (
        Proposal.objects.select_related("plan__action__team", "plan__programme", "organisation")
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal


def get_indicator(pk: int) -> Indicator:
    indicator = Indicator.objects.select_related("plan__programme").filter(pk=pk).first()
    if indicator is None:
        raise Http404("No such indicator.")
    return indicator
