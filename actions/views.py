"""Views for goals and postulated actions: the public lists, and the meeting workspace's add,
edit, merge and reorder steps.

Permissions: ``teams.meeting_permissions`` (role × meeting phase), through ``actions.access``
for goals and actions (404 for missing and forbidden alike) and ``get_meeting_for`` for the
meeting (403 when the meeting is visible but the step is closed to the user, or when the
service refuses).

Every workspace step answers a normal request with POST-redirect-GET (or a form page) and an
htmx request with the fragment that changed, swapped in place: the goals and actions, an add
form, or a goal's or action's inline edit or merge form with its errors or a conflict. Edit,
merge and move are the workspace's one flow (``teams.workspace``), for which ``GOAL`` and
``ACTION`` describe a goal and an action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from teams import meeting_permissions as perms
from teams.access import get_meeting_for_user
from teams.http import AuthenticatedRequest
from teams.models import Meeting
from teams.permissions import AnyUser
from teams.workspace import (
    Controls,
    Focus,
    InlineForm,
    Kind,
    Row,
    Step,
    autofocus,
    forbidden_when_refused,
    form_page,
    form_step,
    get_meeting_for,
    move_step,
    workspace_url,
)

from . import access, selectors, services
from .forms import (
    ActionEditForm,
    ActionForm,
    ActionMergeForm,
    GoalEditForm,
    GoalForm,
    GoalMergeForm,
)
from .models import Action, Goal

GOALS_ANCHOR = "#goals"
GOALS_UPDATE = "actions/partials/goals_update.html"


def meeting_actions(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """A meeting's postulated actions laid out like the seeds' Załącznik nr 3."""
    meeting = get_meeting_for_user(request.user, meeting_pk)
    if not perms.can_view_results(request.user, meeting):
        raise Http404("No published actions.")
    actions = selectors.actions_of_meeting(meeting=meeting)
    return render(request, "actions/meeting_actions.html", {"meeting": meeting, "actions": actions})


def action_list(request: HttpRequest) -> HttpResponse:
    actions = selectors.actions_published()
    return render(request, "actions/action_list.html", {"actions": actions})


# --- Workspace -------------------------------------------------------------------------------


def goals_context(meeting: Meeting) -> dict[str, Any]:
    """A meeting's goals with their actions, the actions tied to no goal, and what was merged
    (``actions``: all of them, in order)."""
    goals = list(selectors.goals_of_meeting(meeting=meeting))
    actions = list(selectors.actions_of_meeting(meeting=meeting))
    return {
        "meeting": meeting,
        "goals": goals,
        "actions": actions,
        "loose_actions": [a for a in actions if a.goal_id is None and a.merged_into_id is None],
        "merged_actions": [a for a in actions if a.merged_into_id is not None],
        "merged_goals": list(selectors.merged_goals_of_meeting(meeting=meeting)),
        "action_count": len(actions),
    }


@dataclass(frozen=True)
class GoalRow:
    """A goal on the workspace with its controls, and its current actions with theirs."""

    row: Row
    actions: list[Row]


def workspace_goals(
    user: AnyUser,
    meeting: Meeting,
    *,
    focus: Focus | None = None,
    editing: InlineForm | None = None,
) -> dict[str, Any]:
    """Goals and actions with the controls this user may use in this phase
    (``teams.workspace.Controls``; actions are ordered by number across the meeting)."""
    controls = Controls.of(user, meeting, focus=focus, editing=editing)
    data = goals_context(meeting)
    current = [a for a in data["actions"] if a.merged_into_id is None]
    action_rows = {row.item.pk: row for row in controls.rows(ACTION, current)}
    return {
        "meeting": meeting,
        "goal_rows": [
            GoalRow(row, [action_rows[a.pk] for a in row.item.actions.all() if a.pk in action_rows])
            for row in controls.rows(GOAL, data["goals"])
        ],
        "loose_rows": [action_rows[a.pk] for a in data["loose_actions"]],
        "merged_goals": data["merged_goals"],
        "merged_actions": data["merged_actions"],
        "can_add": controls.can_add,
        "can_moderate": controls.can_moderate,
        "editing": editing,
    }


def _goals_update(
    request: AuthenticatedRequest,
    meeting: Meeting,
    *,
    message: str = "",
    goal_form: forms.Form | None = None,
    action_form: forms.Form | None = None,
    list_changed: bool = True,
    goals_changed: bool = False,
    editing: InlineForm | None = None,
    focus: Focus | None = None,
) -> HttpResponse:
    """The answer to an htmx step on the goals and actions: the list (with the inline form in
    ``editing``), or an add form with the list out of band, and ``message`` in the status region
    (emptied when there is none, so an old message does not linger). When ``goals_changed``, the
    add-action form's goal choices are refreshed too, without touching what is typed there."""
    context = workspace_goals(request.user, meeting, focus=focus, editing=editing)
    goal_choices = None
    if goals_changed and context["can_add"] and action_form is None:
        # The same <select> as crispy renders in the add-action form, swapped out of band.
        choices = ActionForm(prefix="action", meeting=meeting)
        choices.fields["goal"].widget.attrs.update(
            {"class": "select form-select", "hx-swap-oob": "true"}
        )
        goal_choices = choices["goal"]
    context.update(
        goal_form=goal_form,
        action_form=action_form,
        list_changed=list_changed,
        goal_choices=goal_choices,
        message=message,
    )
    return render(request, GOALS_UPDATE, context)


def _answer(
    request: AuthenticatedRequest,
    item: Goal | Action,
    *,
    message: str = "",
    editing: InlineForm | None = None,
    focus: Focus | None = None,
) -> HttpResponse:
    """The goals and actions after a step on one of them. A goal saved, merged or moved changes
    the add-action form's goal choices; opening a form changes nothing."""
    assert item.meeting is not None
    goals_changed = isinstance(item, Goal) and editing is None
    return _goals_update(
        request,
        item.meeting,
        message=message,
        goals_changed=goals_changed,
        editing=editing,
        focus=focus,
    )


def _goals_anchor(item: Any) -> str:
    return GOALS_ANCHOR


GOAL = Kind(
    name="goal",
    app="actions",
    element="goal",
    text_fields=("title", "proposed_solutions"),
    heading_level=3,
    meeting=lambda goal: goal.meeting,
    answer=_answer,
    edit=Step(
        form=GoalEditForm,
        save=services.goal_edit,
        heading=lambda goal: _("Edit a goal"),
        done=gettext_lazy("The goal has been saved."),
    ),
    merge=Step(
        form=GoalMergeForm,
        form_arguments=lambda goal: {"goal": goal},
        save=services.goal_merge,
        heading=lambda goal: _("Merge a duplicate goal"),
        intro=gettext_lazy(
            "The goal quoted above will be shown as merged into the goal you choose, and its "
            "actions will move there; it stays on record."
        ),
        done=gettext_lazy("The goals have been merged."),
    ),
    move=services.goal_move,
    saved_anchor=_goals_anchor,
    page_anchor=GOALS_ANCHOR,
)

ACTION = Kind(
    name="action",
    app="actions",
    element="action",
    text_fields=("text",),
    heading_level=4,
    meeting=lambda action: action.meeting,
    answer=_answer,
    edit=Step(
        form=ActionEditForm,
        form_arguments=lambda action: {"meeting": action.meeting},
        save=services.action_edit,
        heading=lambda action: _("Edit action no. %(number)s") % {"number": action.number},
        done=gettext_lazy("The action has been saved."),
    ),
    merge=Step(
        form=ActionMergeForm,
        form_arguments=lambda action: {"action": action},
        save=services.action_merge,
        heading=lambda action: _("Merge a duplicate action"),
        intro=gettext_lazy(
            "The action quoted above keeps its number and stays on record, marked as merged "
            "into the action you choose."
        ),
        done=gettext_lazy("The actions have been merged."),
    ),
    move=services.action_move,
    saved_anchor=_goals_anchor,
    page_anchor=GOALS_ANCHOR,
)


# --- Views -------------------------------------------------------------------------------------


def _back(meeting: Meeting, anchor: str) -> HttpResponse:
    return redirect(workspace_url(meeting) + anchor)


@login_required
@require_POST
@forbidden_when_refused
def goal_add(request: AuthenticatedRequest, meeting_pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, meeting_pk, perms.can_add_entries)
    form = GoalForm(request.POST, prefix="goal")
    if not form.is_valid():
        if request.htmx:
            autofocus(form, "title")
            return _goals_update(request, meeting, goal_form=form, list_changed=False)
        return form_page(
            request,
            meeting,
            status=400,
            anchor=GOALS_ANCHOR,
            heading=_("Add a goal"),
            form=form,
            action_url=request.path,
            submit_label=_("Add the goal"),
        )
    goal = services.goal_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    if request.htmx:
        fresh = GoalForm(prefix="goal")
        autofocus(fresh, "title")
        return _goals_update(
            request,
            meeting,
            goal_form=fresh,
            goals_changed=True,
            message=_("The goal has been added."),
        )
    messages.success(request, _("The goal has been added."))
    return _back(meeting, f"#goal-{goal.pk}")


@login_required
@require_POST
@forbidden_when_refused
def action_add(request: AuthenticatedRequest, meeting_pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, meeting_pk, perms.can_add_entries)
    form = ActionForm(request.POST, prefix="action", meeting=meeting)
    if not form.is_valid():
        if request.htmx:
            autofocus(form, "text")
            return _goals_update(request, meeting, action_form=form, list_changed=False)
        return form_page(
            request,
            meeting,
            status=400,
            anchor=GOALS_ANCHOR,
            heading=_("Add a postulated action"),
            form=form,
            action_url=request.path,
            submit_label=_("Add the action"),
        )
    action = services.action_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    done = _("Action no. %(number)s has been added.") % {"number": action.number}
    if request.htmx:
        # A fresh form under the same goal: several actions often go to one goal in a row.
        fresh = ActionForm(prefix="action", meeting=meeting, initial={"goal": action.goal_id})
        autofocus(fresh, "text")
        return _goals_update(request, meeting, action_form=fresh, message=done)
    messages.success(request, done)
    return _back(meeting, f"#action-{action.pk}")


@login_required
@forbidden_when_refused
def goal_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return form_step(request, GOAL, "edit", access.get_goal_to_edit(request.user, pk))


@login_required
@forbidden_when_refused
def goal_merge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return form_step(request, GOAL, "merge", access.get_goal_to_moderate(request.user, pk))


@login_required
@require_POST
@forbidden_when_refused
def goal_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return move_step(request, GOAL, access.get_goal_to_moderate(request.user, pk))


@login_required
@forbidden_when_refused
def action_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return form_step(request, ACTION, "edit", access.get_action_to_edit(request.user, pk))


@login_required
@forbidden_when_refused
def action_merge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return form_step(request, ACTION, "merge", access.get_action_to_moderate(request.user, pk))


@login_required
@require_POST
@forbidden_when_refused
def action_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return move_step(request, ACTION, access.get_action_to_moderate(request.user, pk))
