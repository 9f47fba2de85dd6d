"""Views for SWOT topics and entries in a meeting's workspace.

Permissions: ``teams.meeting_permissions`` (role × meeting phase), through ``swot.access`` for
entries (404 for missing and forbidden alike) and ``get_meeting_for`` for the meeting (403 when
the meeting is visible but the step is closed to the user).

Every entry step answers a normal request with POST-redirect-GET (or a form page) and an htmx
request with the topic's fragment, swapped in place on the workspace: the entries, the add form,
or an entry's inline edit or merge form with its errors or a conflict. Fragments answer 200 so
that htmx swaps them, as the comment actions of consultations do; a refusal stays a 403/404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ConflictError
from teams import meeting_permissions as perms
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
from .forms import SwotEntryEditForm, SwotEntryForm, SwotEntryMergeForm, SwotTopicForm
from .models import SwotEntry, SwotTopic

FORM_PAGE = "teams/meeting_form_page.html"
TOPIC_UPDATE = "swot/partials/topic_update.html"


def entry_form_prefix(topic_pk: int) -> str:
    """Each topic's add form on the workspace page has its own field ids."""
    return f"topic-{topic_pk}"


def _entry_anchor(entry: SwotEntry) -> str:
    return f"{workspace_url(entry.topic.meeting)}#swot-topic-{entry.topic_id}"


def _page(
    request: AuthenticatedRequest, meeting: Meeting, status: int = 200, **context: Any
) -> HttpResponse:
    context.setdefault("cancel_url", workspace_url(meeting))
    return render(request, FORM_PAGE, {"meeting": meeting, **context}, status=status)


# --- The workspace's boards and their htmx fragments ------------------------------------------


def workspace_boards(
    user: AnyUser,
    meeting: Meeting,
    *,
    topic: SwotTopic | None = None,
    focus: tuple[int, str] | None = None,
) -> dict[str, Any]:
    """The boards (or one topic's) with the controls this user may use in this phase: edit (own
    entries; moderators any), merge, move up and down. ``focus`` (entry pk, "edit"/"up"/"down")
    marks the control that takes the focus after an in-place update."""
    can_add = perms.can_add_entries(user, meeting)
    can_moderate = perms.can_moderate_entries(user, meeting)
    boards = selectors.swot_boards(meeting=meeting, topic_pk=topic.pk if topic else None)
    focus_pk, focus_on = focus or (None, "")
    for board in boards:
        for quadrant in board["quadrants"]:
            entries = quadrant["entries"]
            for index, entry in enumerate(entries):
                entry.can_edit = can_moderate or (can_add and entry.author_id == user.pk)
                entry.is_first = index == 0
                entry.is_last = index == len(entries) - 1
                entry.focus = focus_after_move(entry, focus_on) if entry.pk == focus_pk else ""
    return {"meeting": meeting, "boards": boards, "can_add": can_add, "can_moderate": can_moderate}


def _inline_ids(request: AuthenticatedRequest, entry: SwotEntry) -> dict[str, Any]:
    """Field ids of an inline form on the workspace, which holds many forms at once. The field
    names stay unprefixed, so the inline form and the form page post the same data."""
    return {"auto_id": f"id_entry-{entry.pk}-%s"} if request.htmx else {}


def _topic_update(
    request: AuthenticatedRequest,
    topic: SwotTopic,
    *,
    message: str = "",
    add_form: SwotEntryForm | None = None,
    entries_changed: bool = True,
    editing: dict[str, Any] | None = None,
    focus: tuple[int, str] | None = None,
) -> HttpResponse:
    """The answer to an htmx step on one topic: its entries (with the inline form in
    ``editing``), or its add form with the entries out of band, and ``message`` in the topic's
    status region (emptied when there is none, so an old message does not linger)."""
    context = workspace_boards(request.user, topic.meeting, topic=topic, focus=focus)
    context.update(
        board=context["boards"][0],
        add_form=add_form,
        entries_changed=entries_changed,
        editing=editing,
        message=message,
    )
    return render(request, TOPIC_UPDATE, context)


def _inline_form(
    request: AuthenticatedRequest,
    entry: SwotEntry,
    form: forms.Form,
    context: dict[str, Any],
    *,
    step: str,
    conflict: dict[str, str] | None = None,
    detached: bool = False,
) -> HttpResponse:
    """The topic's entries with ``entry`` replaced by its edit or merge form (for htmx). A
    ``detached`` entry is no longer on the board (merged meanwhile): only the conflict shows."""
    editing = {
        **context,
        "pk": entry.pk,
        "form": form,
        "step": step,
        "conflict": conflict,
        "detached": detached,
        "cancel_url": workspace_url(entry.topic.meeting),
    }
    return _topic_update(request, entry.topic, editing=editing)


@login_required
@require_POST
@forbidden_when_refused
def topic_add(request: AuthenticatedRequest, meeting_pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, meeting_pk, perms.can_plan_meeting)
    form = SwotTopicForm(request.POST, prefix="topic", meeting=meeting)
    if not form.is_valid():
        return _page(
            request,
            meeting,
            status=400,
            heading=_("Add a SWOT topic"),
            form=form,
            action_url=request.path,
            submit_label=_("Add the topic"),
            cancel_url=reverse("teams:meeting-edit", kwargs={"pk": meeting.pk}),
        )
    services.swot_topic_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    messages.success(request, _("The SWOT topic has been added."))
    return redirect(reverse("teams:meeting-edit", kwargs={"pk": meeting.pk}) + "#topics")


@login_required
@require_POST
@forbidden_when_refused
def entry_add(request: AuthenticatedRequest, topic_pk: int) -> HttpResponse:
    topic = access.get_topic_for_user(request.user, topic_pk)
    meeting = topic.meeting
    if not perms.can_add_entries(request.user, meeting):
        raise PermissionDenied
    form = SwotEntryForm(request.POST, prefix=entry_form_prefix(topic.pk))
    if not form.is_valid():
        if request.htmx:
            autofocus(form, "text")
            return _topic_update(request, topic, add_form=form, entries_changed=False)
        return _page(
            request,
            meeting,
            status=400,
            heading=_("Add a SWOT entry"),
            subject=topic.title,
            form=form,
            action_url=request.path,
            submit_label=_("Add the entry"),
        )
    entry = services.swot_entry_add(actor=request.user, topic=topic, **form.cleaned_data)
    if request.htmx:
        # A fresh form in the same quadrant: several entries often go to one quadrant in a row.
        fresh = SwotEntryForm(
            prefix=entry_form_prefix(topic.pk), initial={"quadrant": entry.quadrant}
        )
        autofocus(fresh, "text")
        return _topic_update(
            request, topic, add_form=fresh, message=_("Your entry has been added.")
        )
    messages.success(request, _("Your entry has been added."))
    return redirect(_entry_anchor(entry))


@login_required
@forbidden_when_refused
def entry_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = access.get_entry_to_edit(request.user, pk)
    initial = {"text": entry.text, "quadrant": entry.quadrant, "version": entry.version}
    form = SwotEntryEditForm(request.POST or None, initial=initial, **_inline_ids(request, entry))
    context: dict[str, Any] = {
        "heading": _("Edit a SWOT entry"),
        "subject": entry.topic.title,
        "action_url": request.path,
        "submit_label": _("Save"),
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.swot_entry_edit(
                actor=request.user,
                entry=entry,
                text=form.cleaned_data["text"],
                quadrant=form.cleaned_data["quadrant"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as conflict:
            return _conflict_page(request, entry, conflict.current, form, context, step="edit")
        if request.htmx:
            return _topic_update(
                request,
                entry.topic,
                message=_("The entry has been saved."),
                focus=(entry.pk, "edit"),
            )
        messages.success(request, _("The entry has been saved."))
        return redirect(_entry_anchor(entry))
    if request.htmx:
        autofocus(form, "text")
        return _inline_form(request, entry, form, context, step="edit")
    status = 400 if request.method == "POST" else 200
    return _page(request, entry.topic.meeting, status=status, form=form, **context)


def _conflict_page(
    request: AuthenticatedRequest,
    entry: SwotEntry,
    current: SwotEntry,
    form: Any,
    context: dict[str, Any],
    *,
    step: str,
) -> HttpResponse:
    """Nothing was saved: show the entry as it is now next to what this user wrote, with the
    form re-armed at the current version so they can decide again (409; for htmx, the same in
    the entry's inline form)."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    form_class = type(form)
    kwargs: dict[str, Any] = {"entry": current} if form_class is SwotEntryMergeForm else {}
    conflict = {
        "current": current.text,
        "merged_into": current.merged_into.text if current.merged_into else "",
        "yours": form.cleaned_data.get("text", ""),
    }
    rearmed = form_class(data, **kwargs, **_inline_ids(request, entry))
    if request.htmx:
        detached = current.merged_into_id is not None
        return _inline_form(
            request, entry, rearmed, context, step=step, conflict=conflict, detached=detached
        )
    return _page(
        request, entry.topic.meeting, status=409, form=rearmed, conflict=conflict, **context
    )


@login_required
@forbidden_when_refused
def entry_merge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = access.get_entry_to_moderate(request.user, pk)
    form = SwotEntryMergeForm(
        request.POST or None,
        entry=entry,
        initial={"version": entry.version},
        **_inline_ids(request, entry),
    )
    context: dict[str, Any] = {
        "heading": _("Merge a duplicate SWOT entry"),
        "subject": entry.topic.title,
        "quote": entry.text,
        "intro": _(
            "The entry quoted above will be shown as merged into the entry you choose; "
            "it stays on record."
        ),
        "action_url": request.path,
        "submit_label": _("Merge"),
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.swot_entry_merge(
                actor=request.user,
                entry=entry,
                into=form.cleaned_data["into"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as conflict:
            return _conflict_page(request, entry, conflict.current, form, context, step="merge")
        if request.htmx:
            return _topic_update(
                request,
                entry.topic,
                message=_("The entries have been merged."),
                focus=(form.cleaned_data["into"].pk, "edit"),
            )
        messages.success(request, _("The entries have been merged."))
        return redirect(_entry_anchor(entry))
    if request.htmx:
        autofocus(form, "into")
        return _inline_form(request, entry, form, context, step="merge")
    status = 400 if request.method == "POST" else 200
    return _page(request, entry.topic.meeting, status=status, form=form, **context)


@login_required
@require_POST
@forbidden_when_refused
def entry_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = access.get_entry_to_moderate(request.user, pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.swot_entry_move(actor=request.user, entry=entry, direction=direction)
    if request.htmx:
        message = _("Moved up.") if direction == "up" else _("Moved down.")
        return _topic_update(request, entry.topic, message=message, focus=(entry.pk, direction))
    return redirect(f"{workspace_url(entry.topic.meeting)}#swot-entry-{entry.pk}")
