"""Views for SWOT topics and entries in a meeting's workspace.

Permissions: ``teams.meeting_permissions`` (role × meeting phase), through ``swot.access`` for
entries (404 for missing and forbidden alike) and ``get_meeting_for`` for the meeting (403 when
the meeting is visible but the step is closed to the user).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teams import meeting_permissions as perms
from teams.meeting_services import ConflictError
from teams.meeting_views import get_meeting_for, workspace_url
from teams.models import Meeting

from . import access, services
from .forms import SwotEntryEditForm, SwotEntryForm, SwotEntryMergeForm, SwotTopicForm
from .models import SwotEntry

FORM_PAGE = "teams/meeting_form_page.html"


def entry_form_prefix(topic_pk: int) -> str:
    """Each topic's add form on the workspace page has its own field ids."""
    return f"topic-{topic_pk}"


def _entry_anchor(entry: SwotEntry) -> str:
    return f"{workspace_url(entry.topic.meeting)}#swot-topic-{entry.topic_id}"


def _page(
    request: HttpRequest, meeting: Meeting, status: int = 200, **context: Any
) -> HttpResponse:
    context.setdefault("cancel_url", workspace_url(meeting))
    return render(request, FORM_PAGE, {"meeting": meeting, **context}, status=status)


@login_required
@require_POST
def topic_add(request: HttpRequest, meeting_pk: int) -> HttpResponse:
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
def entry_add(request: HttpRequest, topic_pk: int) -> HttpResponse:
    topic = access.get_topic_for_user(request.user, topic_pk)
    meeting = topic.meeting
    if not perms.can_add_entries(request.user, meeting):
        raise PermissionDenied
    form = SwotEntryForm(request.POST, prefix=entry_form_prefix(topic.pk))
    if not form.is_valid():
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
    messages.success(request, _("Your entry has been added."))
    return redirect(_entry_anchor(entry))


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_entry_to_edit(request.user, pk)
    initial = {"text": entry.text, "quadrant": entry.quadrant, "version": entry.version}
    form = SwotEntryEditForm(request.POST or None, initial=initial)
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
            return _conflict_page(request, entry, conflict.current, form, context)
        messages.success(request, _("The entry has been saved."))
        return redirect(_entry_anchor(entry))
    status = 400 if request.method == "POST" else 200
    return _page(request, entry.topic.meeting, status=status, form=form, **context)


def _conflict_page(
    request: HttpRequest,
    entry: SwotEntry,
    current: SwotEntry,
    form: Any,
    context: dict[str, Any],
) -> HttpResponse:
    """Nothing was saved: show the entry as it is now next to what this user wrote, with the
    form re-armed at the current version so they can decide again."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    form_class = type(form)
    kwargs = {"entry": current} if form_class is SwotEntryMergeForm else {}
    return _page(
        request,
        entry.topic.meeting,
        status=409,
        form=form_class(data, **kwargs),
        conflict={
            "current": current.text,
            "merged_into": current.merged_into.text if current.merged_into else "",
            "yours": form.cleaned_data.get("text", ""),
        },
        **context,
    )


@login_required
def entry_merge(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_entry_to_moderate(request.user, pk)
    form = SwotEntryMergeForm(request.POST or None, entry=entry, initial={"version": entry.version})
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
            return _conflict_page(request, entry, conflict.current, form, context)
        messages.success(request, _("The entries have been merged."))
        return redirect(_entry_anchor(entry))
    status = 400 if request.method == "POST" else 200
    return _page(request, entry.topic.meeting, status=status, form=form, **context)


@login_required
@require_POST
def entry_move(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_entry_to_moderate(request.user, pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.swot_entry_move(actor=request.user, entry=entry, direction=direction)
    return redirect(f"{workspace_url(entry.topic.meeting)}#swot-entry-{entry.pk}")
