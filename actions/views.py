"""Views for goals and postulated actions: the public lists, and the meeting workspace's add,
edit, merge and reorder steps.

Permissions: ``teams.meeting_permissions`` (role × meeting phase), through ``actions.access``
for goals and actions (404 for missing and forbidden alike) and ``get_meeting_for`` for the
meeting (403 when the meeting is visible but the step is closed to the user).

Every workspace step answers a normal request with POST-redirect-GET (or a form page) and an
htmx request with the fragment that changed, swapped in place: the goals and actions, an add
form, or a goal's or action's inline edit or merge form with its errors or a conflict.
Fragments answer 200 so that htmx swaps them, as the comment actions of consultations do; a
refusal stays a 403/404.
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

from core.errors import ConflictError
from teams import meeting_permissions as perms
from teams.access import get_meeting_for_user
from teams.http import AuthenticatedRequest
from teams.models import Meeting
from teams.permissions import AnyUser
from teams.workspace import (
    autofocus,
    focus_after_move,
    forbidden_when_refused,
    get_meeting_for,
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

FORM_PAGE = "teams/meeting_form_page.html"
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


def workspace_goals(
    user: AnyUser, meeting: Meeting, *, focus: tuple[str, int, str] | None = None
) -> dict[str, Any]:
    """Goals and actions with the controls this user may use in this phase. ``focus`` ("goal"
    or "action", pk, "edit"/"up"/"down") marks the control that takes the focus after an
    in-place update."""
    can_add = perms.can_add_entries(user, meeting)
    can_moderate = perms.can_moderate_entries(user, meeting)
    data = goals_context(meeting)
    focus_kind, focus_pk, focus_on = focus or ("", None, "")

    def mark(kind: str, items: list[Any]) -> None:
        for index, item in enumerate(items):
            item.can_edit = can_moderate or (can_add and item.author_id == user.pk)
            item.is_first = index == 0
            item.is_last = index == len(items) - 1
            wanted = focus_on if (kind, item.pk) == (focus_kind, focus_pk) else ""
            item.focus = focus_after_move(item, wanted)

    mark("goal", data["goals"])
    current_actions = [a for a in data["actions"] if a.merged_into_id is None]
    mark("action", current_actions)
    by_pk = {a.pk: a for a in current_actions}
    for goal in data["goals"]:
        goal.workspace_actions = [by_pk[a.pk] for a in goal.actions.all() if a.pk in by_pk]
    data["loose_actions"] = [by_pk[a.pk] for a in data["loose_actions"]]
    data.update(can_add=can_add, can_moderate=can_moderate)
    return data


def _inline_ids(request: AuthenticatedRequest, kind: str, pk: int) -> dict[str, Any]:
    """Field ids of an inline form on the workspace, which holds many forms at once. The field
    names stay unprefixed, so the inline form and the form page post the same data."""
    return {"auto_id": f"id_{kind}-{pk}-%s"} if request.htmx else {}


def _goals_update(
    request: AuthenticatedRequest,
    meeting: Meeting,
    *,
    message: str = "",
    goal_form: forms.Form | None = None,
    action_form: forms.Form | None = None,
    list_changed: bool = True,
    goals_changed: bool = False,
    editing: dict[str, Any] | None = None,
    focus: tuple[str, int, str] | None = None,
) -> HttpResponse:
    """The answer to an htmx step on the goals and actions: the list (with the inline form in
    ``editing``), or an add form with the list out of band, and ``message`` in the status region
    (emptied when there is none, so an old message does not linger). When ``goals_changed``, the
    add-action form's goal choices are refreshed too, without touching what is typed there."""
    context = workspace_goals(request.user, meeting, focus=focus)
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
        editing=editing,
        message=message,
    )
    return render(request, GOALS_UPDATE, context)


def _page(
    request: AuthenticatedRequest, meeting: Meeting, status: int = 200, **context: Any
) -> HttpResponse:
    context.setdefault("cancel_url", workspace_url(meeting) + GOALS_ANCHOR)
    return render(request, FORM_PAGE, {"meeting": meeting, **context}, status=status)


def _back(meeting: Meeting, anchor: str = GOALS_ANCHOR) -> HttpResponse:
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
    done = _("Action no. %(number)s has been added.") % {"number": action.number}
    if request.htmx:
        # A fresh form under the same goal: several actions often go to one goal in a row.
        fresh = ActionForm(prefix="action", meeting=meeting, initial={"goal": action.goal_id})
        autofocus(fresh, "text")
        return _goals_update(request, meeting, action_form=fresh, message=done)
    messages.success(request, done)
    return _back(meeting, f"#action-{action.pk}")


def _versioned_form_view(
    request: AuthenticatedRequest,
    *,
    meeting: Meeting,
    item: Goal | Action,
    step: str,
    form: forms.Form,
    save: Callable[[dict[str, Any]], object],
    rebuild: Callable[[Any], forms.Form],
    current_text: Callable[[Any], str],
    your_text: Callable[[dict[str, Any]], str],
    done: str,
    focus_after: Callable[[dict[str, Any]], tuple[str, int, str]],
    first_field: str,
    context: dict[str, Any],
) -> HttpResponse:
    """GET shows the form; a valid POST saves unless someone else saved first, in which case
    nothing is saved and the page shows their version next to this user's (409).

    For htmx the form is inline in the goals and actions (``step`` is "edit" or "merge"), the
    conflict too, and a save answers with the updated list and ``focus_after(cleaned_data)``."""
    kind = "goal" if isinstance(item, Goal) else "action"
    editing = {
        **context,
        "kind": kind,
        "pk": item.pk,
        "step": step,
        "cancel_url": workspace_url(meeting),
    }
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ConflictError as conflict:
            current = conflict.current
            data = request.POST.copy()
            data["version"] = str(current.version)
            conflict_context = {
                "current": current_text(current),
                "merged_into": str(current.merged_into) if current.merged_into else "",
                "yours": your_text(form.cleaned_data),
            }
            if request.htmx:
                editing.update(
                    form=rebuild(data),
                    conflict=conflict_context,
                    detached=current.merged_into_id is not None,
                )
                return _goals_update(request, meeting, editing=editing)
            return _page(
                request,
                meeting,
                status=409,
                form=rebuild(data),
                conflict=conflict_context,
                **context,
            )
        if request.htmx:
            return _goals_update(
                request,
                meeting,
                message=done,
                goals_changed=kind == "goal",
                focus=focus_after(form.cleaned_data),
            )
        messages.success(request, done)
        return _back(meeting)
    if request.htmx:
        autofocus(form, first_field)
        editing["form"] = form
        return _goals_update(request, meeting, editing=editing)
    status = 400 if request.method == "POST" else 200
    return _page(request, meeting, status=status, form=form, **context)


def _goal_text(goal: Any) -> str:
    return "\n".join(filter(None, [goal.title, goal.proposed_solutions]))


@login_required
@forbidden_when_refused
def goal_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    goal = access.get_goal_to_edit(request.user, pk)
    assert goal.meeting is not None
    initial = {
        "title": goal.title,
        "proposed_solutions": goal.proposed_solutions,
        "version": goal.version,
    }
    ids = _inline_ids(request, "goal", goal.pk)
    return _versioned_form_view(
        request,
        meeting=goal.meeting,
        item=goal,
        step="edit",
        form=GoalEditForm(request.POST or None, initial=initial, **ids),
        save=lambda data: services.goal_edit(
            actor=request.user,
            goal=goal,
            title=data["title"],
            proposed_solutions=data["proposed_solutions"],
            expected_version=data["version"],
        ),
        rebuild=lambda data: GoalEditForm(data, **ids),
        current_text=_goal_text,
        your_text=lambda data: "\n".join(filter(None, [data["title"], data["proposed_solutions"]])),
        done=_("The goal has been saved."),
        focus_after=lambda data: ("goal", goal.pk, "edit"),
        first_field="title",
        context={
            "heading": _("Edit a goal"),
            "action_url": request.path,
            "submit_label": _("Save"),
        },
    )


@login_required
@forbidden_when_refused
def goal_merge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    goal = access.get_goal_to_moderate(request.user, pk)
    assert goal.meeting is not None
    ids = _inline_ids(request, "goal", goal.pk)
    return _versioned_form_view(
        request,
        meeting=goal.meeting,
        item=goal,
        step="merge",
        form=GoalMergeForm(
            request.POST or None, goal=goal, initial={"version": goal.version}, **ids
        ),
        save=lambda data: services.goal_merge(
            actor=request.user, goal=goal, into=data["into"], expected_version=data["version"]
        ),
        rebuild=lambda data: GoalMergeForm(data, goal=goal, **ids),
        current_text=_goal_text,
        your_text=lambda data: "",
        done=_("The goals have been merged."),
        focus_after=lambda data: ("goal", data["into"].pk, "edit"),
        first_field="into",
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
@forbidden_when_refused
def action_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = access.get_action_to_edit(request.user, pk)
    meeting = action.meeting
    initial = {"text": action.text, "goal": action.goal_id, "version": action.version}
    ids = _inline_ids(request, "action", action.pk)
    return _versioned_form_view(
        request,
        meeting=meeting,
        item=action,
        step="edit",
        form=ActionEditForm(request.POST or None, meeting=meeting, initial=initial, **ids),
        save=lambda data: services.action_edit(
            actor=request.user,
            action=action,
            text=data["text"],
            goal=data["goal"],
            expected_version=data["version"],
        ),
        rebuild=lambda data: ActionEditForm(data, meeting=meeting, **ids),
        current_text=lambda current: current.text,
        your_text=lambda data: data["text"],
        done=_("The action has been saved."),
        focus_after=lambda data: ("action", action.pk, "edit"),
        first_field="text",
        context={
            "heading": _("Edit action no. %(number)s") % {"number": action.number},
            "action_url": request.path,
            "submit_label": _("Save"),
        },
    )


@login_required
@forbidden_when_refused
def action_merge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = access.get_action_to_moderate(request.user, pk)
    ids = _inline_ids(request, "action", action.pk)
    return _versioned_form_view(
        request,
        meeting=action.meeting,
        item=action,
        step="merge",
        form=ActionMergeForm(
            request.POST or None, action=action, initial={"version": action.version}, **ids
        ),
        save=lambda data: services.action_merge(
            actor=request.user, action=action, into=data["into"], expected_version=data["version"]
        ),
        rebuild=lambda data: ActionMergeForm(data, action=action, **ids),
        current_text=lambda current: current.text,
        your_text=lambda data: "",
        done=_("The actions have been merged."),
        focus_after=lambda data: ("action", data["into"].pk, "edit"),
        first_field="into",
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


def _moved(
    request: AuthenticatedRequest, meeting: Meeting, focus: tuple[str, int, str]
) -> HttpResponse:
    message = _("Moved up.") if focus[2] == "up" else _("Moved down.")
    return _goals_update(
        request, meeting, message=message, goals_changed=focus[0] == "goal", focus=focus
    )


@login_required
@require_POST
@forbidden_when_refused
def goal_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    goal = access.get_goal_to_moderate(request.user, pk)
    assert goal.meeting is not None
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.goal_move(actor=request.user, goal=goal, direction=direction)
    if request.htmx:
        return _moved(request, goal.meeting, ("goal", goal.pk, direction))
    return _back(goal.meeting, f"#goal-{goal.pk}")


@login_required
@require_POST
@forbidden_when_refused
def action_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = access.get_action_to_moderate(request.user, pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.action_move(actor=request.user, action=action, direction=direction)
    if request.htmx:
        return _moved(request, action.meeting, ("action", action.pk, direction))
    return _back(action.meeting, f"#action-{action.pk}")
