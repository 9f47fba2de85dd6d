"""Views for SWOT topics and entries in a meeting's workspace.

Permissions: ``teams.meeting_permissions`` (role × meeting phase), through ``swot.access`` for
entries (404 for missing and forbidden alike) and ``get_meeting_for`` for the meeting (403 when
the meeting is visible but the step is closed to the user, or when the service refuses).

Every entry step answers a normal request with POST-redirect-GET (or a form page) and an htmx
request with the topic's fragment, swapped in place on the workspace: the entries, the add form,
or an entry's inline edit or merge form with its errors or a conflict. Edit, merge and move are
the workspace's one flow (``teams.workspace``), for which ``ENTRY`` describes an entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from teams import meeting_permissions as perms
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
from .forms import SwotEntryEditForm, SwotEntryForm, SwotEntryMergeForm, SwotTopicForm
from .models import SwotEntry, SwotTopic

TOPIC_UPDATE = "swot/partials/topic_update.html"


def entry_form_prefix(topic_pk: int) -> str:
    """Each topic's add form on the workspace page has its own field ids."""
    return f"topic-{topic_pk}"


def _topic_anchor(topic_pk: int) -> str:
    return f"#swot-topic-{topic_pk}"


# --- The workspace's boards and their htmx fragments ------------------------------------------


@dataclass(frozen=True)
class QuadrantRows:
    code: str
    label: str
    rows: list[Row]


@dataclass(frozen=True)
class Board:
    """One topic on the workspace: its current entries by quadrant with their controls, the
    entries merged into others, and its add form when this person may add."""

    topic: SwotTopic
    quadrants: list[QuadrantRows]
    merged: list[SwotEntry]
    add_form: SwotEntryForm | None = None

    @property
    def region(self) -> str:
        """The id of the topic's entries, the element its htmx steps swap."""
        return f"swot-entries-{self.topic.pk}"


def workspace_boards(
    user: AnyUser,
    meeting: Meeting,
    *,
    topic: SwotTopic | None = None,
    focus: Focus | None = None,
    editing: InlineForm | None = None,
) -> dict[str, Any]:
    """The boards (or one topic's) with the controls this user may use in this phase
    (``teams.workspace.Controls``)."""
    controls = Controls.of(user, meeting, focus=focus, editing=editing)
    boards = [
        Board(
            topic=board["topic"],
            quadrants=[
                QuadrantRows(q["code"], q["label"], controls.rows(ENTRY, q["entries"]))
                for q in board["quadrants"]
            ],
            merged=board["merged"],
        )
        for board in selectors.swot_boards(meeting=meeting, topic_pk=topic.pk if topic else None)
    ]
    return {
        "meeting": meeting,
        "boards": boards,
        "can_add": controls.can_add,
        "can_moderate": controls.can_moderate,
        "editing": editing,
    }


def _topic_update(
    request: AuthenticatedRequest,
    topic: SwotTopic,
    *,
    message: str = "",
    add_form: SwotEntryForm | None = None,
    entries_changed: bool = True,
    editing: InlineForm | None = None,
    focus: Focus | None = None,
) -> HttpResponse:
    """The answer to an htmx step on one topic: its entries (with the inline form in
    ``editing``), or its add form with the entries out of band, and ``message`` in the topic's
    status region (emptied when there is none, so an old message does not linger)."""
    context = workspace_boards(
        request.user, topic.meeting, topic=topic, focus=focus, editing=editing
    )
    context.update(
        board=context["boards"][0],
        add_form=add_form,
        entries_changed=entries_changed,
        message=message,
    )
    return render(request, TOPIC_UPDATE, context)


def _entry_answer(
    request: AuthenticatedRequest,
    entry: SwotEntry,
    *,
    message: str = "",
    editing: InlineForm | None = None,
    focus: Focus | None = None,
) -> HttpResponse:
    return _topic_update(request, entry.topic, message=message, editing=editing, focus=focus)


ENTRY = Kind(
    name="entry",
    app="swot",
    element="swot-entry",
    text_fields=("text",),
    heading_level=5,
    meeting=lambda entry: entry.topic.meeting,
    answer=_entry_answer,
    edit=Step(
        form=SwotEntryEditForm,
        save=services.swot_entry_edit,
        heading=lambda entry: _("Edit a SWOT entry"),
        done=gettext_lazy("The entry has been saved."),
    ),
    merge=Step(
        form=SwotEntryMergeForm,
        form_arguments=lambda entry: {"entry": entry},
        save=services.swot_entry_merge,
        heading=lambda entry: _("Merge a duplicate SWOT entry"),
        intro=gettext_lazy(
            "The entry quoted above will be shown as merged into the entry you choose; "
            "it stays on record."
        ),
        done=gettext_lazy("The entries have been merged."),
    ),
    move=services.swot_entry_move,
    saved_anchor=lambda entry: _topic_anchor(entry.topic_id),
    subject=lambda entry: entry.topic.title,
    reference=lambda entry: entry.text,
)


# --- Views -------------------------------------------------------------------------------------


def _plan_url(meeting: Meeting) -> str:
    """The meeting's plan, at its SWOT topics: where every topic step returns."""
    return reverse("teams:meeting-edit", kwargs={"pk": meeting.pk}) + "#topics"


@login_required
@require_POST
@forbidden_when_refused
def topic_add(request: AuthenticatedRequest, meeting_pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, meeting_pk, perms.can_plan_meeting)
    form = SwotTopicForm(request.POST, prefix="topic", meeting=meeting)
    if form.is_valid():
        try:
            services.swot_topic_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except services.DuplicateTopic as duplicate:
            form.add_error("title", str(duplicate))
        else:
            messages.success(request, _("The SWOT topic has been added."))
            return redirect(_plan_url(meeting))
    return form_page(
        request,
        meeting,
        status=400,
        heading=_("Add a SWOT topic"),
        form=form,
        action_url=request.path,
        submit_label=_("Add the topic"),
        cancel_url=reverse("teams:meeting-edit", kwargs={"pk": meeting.pk}),
    )


def _topic_to_plan(request: AuthenticatedRequest, meeting_pk: int, topic_pk: int) -> SwotTopic:
    """The topic of a meeting this person may plan now (as ``topic_add``: 404 for a meeting
    they may not see, 403 when they may not plan it or its phase is past planning), or 404."""
    meeting = get_meeting_for(request, meeting_pk, perms.can_plan_meeting)
    topic = get_object_or_404(SwotTopic, pk=topic_pk, meeting=meeting)
    topic.meeting = meeting
    return topic


@login_required
@forbidden_when_refused
def topic_edit(request: AuthenticatedRequest, meeting_pk: int, topic_pk: int) -> HttpResponse:
    """Rename a SWOT topic (or change its agenda item) on a page of its own, as an agenda
    item is edited."""
    topic = _topic_to_plan(request, meeting_pk, topic_pk)
    meeting = topic.meeting
    form = SwotTopicForm(
        request.POST or None,
        meeting=meeting,
        initial={"title": topic.title, "agenda_item": topic.agenda_item_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.swot_topic_edit(actor=request.user, topic=topic, **form.cleaned_data)
        except services.DuplicateTopic as duplicate:
            form.add_error("title", str(duplicate))
        else:
            messages.success(request, _("The SWOT topic has been saved."))
            return redirect(_plan_url(meeting))
    return form_page(
        request,
        meeting,
        status=400 if request.method == "POST" else 200,
        heading=_("Edit a SWOT topic"),
        subject=topic.title,
        form=form,
        action_url=request.path,
        submit_label=_("Save"),
        cancel_url=_plan_url(meeting),
        cancel_label=_("Back to the plan"),
    )


@login_required
@require_POST
@forbidden_when_refused
def topic_move(request: AuthenticatedRequest, meeting_pk: int, topic_pk: int) -> HttpResponse:
    topic = _topic_to_plan(request, meeting_pk, topic_pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.swot_topic_move(actor=request.user, topic=topic, direction=direction)
    messages.success(request, _("Moved up.") if direction == "up" else _("Moved down."))
    return redirect(_plan_url(topic.meeting))


@login_required
@require_POST
@forbidden_when_refused
def topic_delete(request: AuthenticatedRequest, meeting_pk: int, topic_pk: int) -> HttpResponse:
    """Remove a topic nobody has written in, as an agenda item is removed; a topic with
    entries is refused with the reason, and nothing changes."""
    topic = _topic_to_plan(request, meeting_pk, topic_pk)
    try:
        services.swot_topic_delete(actor=request.user, topic=topic)
    except services.TopicHasEntries as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The SWOT topic has been removed."))
    return redirect(_plan_url(topic.meeting))


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
        return form_page(
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
    return redirect(workspace_url(meeting) + _topic_anchor(topic.pk))


@login_required
@forbidden_when_refused
def entry_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return form_step(request, ENTRY, "edit", access.get_entry_to_edit(request.user, pk))


@login_required
@forbidden_when_refused
def entry_merge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return form_step(request, ENTRY, "merge", access.get_entry_to_moderate(request.user, pk))


@login_required
@require_POST
@forbidden_when_refused
def entry_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return move_step(request, ENTRY, access.get_entry_to_moderate(request.user, pk))
