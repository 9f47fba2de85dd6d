"""Views for goals and postulated actions: the public lists, and the meeting workspace's add,
edit, merge and reorder steps.

Permissions: ``teams.meeting_permissions`` (role × meeting phase), through ``actions.access``
for goals and actions (404 for missing and forbidden alike) and ``get_meeting_for`` for the
meeting (403 when the meeting is visible but the step is closed to the user).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teams import meeting_permissions as perms
from teams.access import get_meeting_for_user
from teams.meeting_services import ConflictError
from teams.meeting_views import get_meeting_for, workspace_url
from teams.models import Meeting

from . import access, selectors, services
from .forms import (
    ActionEditForm,
    ActionForm,
    ActionMergeForm,
    GoalEditForm,
    GoalForm,
    GoalMergeForm,
)

FORM_PAGE = "teams/meeting_form_page.html"
GOALS_ANCHOR = "#goals"


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


def _page(
    request: HttpRequest, meeting: Meeting, status: int = 200, **context: Any
) -> HttpResponse:
    context.setdefault("cancel_url", workspace_url(meeting) + GOALS_ANCHOR)
    return render(request, FORM_PAGE, {"meeting": meeting, **context}, status=status)


def _back(meeting: Meeting, anchor: str = GOALS_ANCHOR) -> HttpResponse:
    return redirect(workspace_url(meeting) + anchor)


@login_required
@require_POST
def goal_add(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, meeting_pk, perms.can_add_entries)
    form = GoalForm(request.POST, prefix="goal")
    if not form.is_valid():
        return _page(
            request,
            meeting,
            status=400,
            heading=_("Add a goal"),
            form=form,
            action_url=request.path,
            submit_label=_("Add the goal"),
        )
    goal = services.goal_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    messages.success(request, _("The goal has been added."))
    return _back(meeting, f"#goal-{goal.pk}")


@login_required
@require_POST
def action_add(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, meeting_pk, perms.can_add_entries)
    form = ActionForm(request.POST, prefix="action", meeting=meeting)
    if not form.is_valid():
        return _page(
            request,
            meeting,
            status=400,
            heading=_("Add a postulated action"),
            form=form,
            action_url=request.path,
            submit_label=_("Add the action"),
        )
    action = services.action_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    messages.success(
        request, _("Action no. %(number)s has been added.") % {"number": action.number}
    )
    return _back(meeting, f"#action-{action.pk}")


def _versioned_form_view(
    request: HttpRequest,
    *,
    meeting: Meeting,
    form: forms.Form,
    save: Callable[[dict[str, Any]], object],
    rebuild: Callable[[Any], forms.Form],
    current_text: Callable[[Any], str],
    your_text: Callable[[dict[str, Any]], str],
    done: str,
    context: dict[str, Any],
) -> HttpResponse:
    """GET shows the form; a valid POST saves unless someone else saved first, in which case
    nothing is saved and the page shows their version next to this user's (409)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ConflictError as conflict:
            current = conflict.current
            data = request.POST.copy()
            data["version"] = str(current.version)
            return _page(
                request,
                meeting,
                status=409,
                form=rebuild(data),
                conflict={
                    "current": current_text(current),
                    "merged_into": str(current.merged_into) if current.merged_into else "",
                    "yours": your_text(form.cleaned_data),
                },
                **context,
            )
        messages.success(request, done)
        return _back(meeting)
    status = 400 if request.method == "POST" else 200
    return _page(request, meeting, status=status, form=form, **context)


def _goal_text(goal: Any) -> str:
    return "\n".join(filter(None, [goal.title, goal.proposed_solutions]))


@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.get_goal_to_edit(request.user, pk)
    assert goal.meeting is not None
    initial = {
        "title": goal.title,
        "proposed_solutions": goal.proposed_solutions,
        "version": goal.version,
    }
    return _versioned_form_view(
        request,
        meeting=goal.meeting,
        form=GoalEditForm(request.POST or None, initial=initial),
        save=lambda data: services.goal_edit(
            actor=request.user,
            goal=goal,
            title=data["title"],
            proposed_solutions=data["proposed_solutions"],
            expected_version=data["version"],
        ),
        rebuild=lambda data: GoalEditForm(data),
        current_text=_goal_text,
        your_text=lambda data: "\n".join(filter(None, [data["title"], data["proposed_solutions"]])),
        done=_("The goal has been saved."),
        context={
            "heading": _("Edit a goal"),
            "action_url": request.path,
            "submit_label": _("Save"),
        },
    )


@login_required
def goal_merge(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.get_goal_to_moderate(request.user, pk)
    assert goal.meeting is not None
    return _versioned_form_view(
        request,
        meeting=goal.meeting,
        form=GoalMergeForm(request.POST or None, goal=goal, initial={"version": goal.version}),
        save=lambda data: services.goal_merge(
            actor=request.user, goal=goal, into=data["into"], expected_version=data["version"]
        ),
        rebuild=lambda data: GoalMergeForm(data, goal=goal),
        current_text=_goal_text,
        your_text=lambda data: "",
        done=_("The goals have been merged."),
        context={
            "heading": _("Merge a duplicate goal"),
            "quote": str(goal),
            "intro": _(
                "The goal quoted above will be shown as merged into the goal you choose, and its "
                "actions will move there; it stays on record."
            ),
            "action_url": request.path,
            "submit_label": _("Merge"),
        },
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = access.get_action_to_edit(request.user, pk)
    meeting = action.meeting
    initial = {"text": action.text, "goal": action.goal_id, "version": action.version}
    return _versioned_form_view(
        request,
        meeting=meeting,
        form=ActionEditForm(request.POST or None, meeting=meeting, initial=initial),
        save=lambda data: services.action_edit(
            actor=request.user,
            action=action,
            text=data["text"],
            goal=data["goal"],
            expected_version=data["version"],
        ),
        rebuild=lambda data: ActionEditForm(data, meeting=meeting),
        current_text=lambda current: current.text,
        your_text=lambda data: data["text"],
        done=_("The action has been saved."),
        context={
            "heading": _("Edit action no. %(number)s") % {"number": action.number},
            "action_url": request.path,
            "submit_label": _("Save"),
        },
    )


@login_required
def action_merge(request: HttpRequest, pk: int) -> HttpResponse:
    action = access.get_action_to_moderate(request.user, pk)
    return _versioned_form_view(
        request,
        meeting=action.meeting,
        form=ActionMergeForm(
            request.POST or None, action=action, initial={"version": action.version}
        ),
        save=lambda data: services.action_merge(
            actor=request.user, action=action, into=data["into"], expected_version=data["version"]
        ),
        rebuild=lambda data: ActionMergeForm(data, action=action),
        current_text=lambda current: current.text,
        your_text=lambda data: "",
        done=_("The actions have been merged."),
        context={
            "heading": _("Merge a duplicate action"),
            "quote": str(action),
            "intro": _(
                "The action quoted above keeps its number and stays on record, marked as merged "
                "into the action you choose."
            ),
            "action_url": request.path,
            "submit_label": _("Merge"),
        },
    )


@login_required
@require_POST
def goal_move(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.get_goal_to_moderate(request.user, pk)
    assert goal.meeting is not None
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.goal_move(actor=request.user, goal=goal, direction=direction)
    return _back(goal.meeting, f"#goal-{goal.pk}")


@login_required
@require_POST
def action_move(request: HttpRequest, pk: int) -> HttpResponse:
    action = access.get_action_to_moderate(request.user, pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.action_move(actor=request.user, action=action, direction=direction)
    return _back(action.meeting, f"#action-{action.pk}")
