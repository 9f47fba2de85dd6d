"""Views of the meeting workspace: planning, phases, attendance, live mode and minutes.

Each view: the access helper (404 for a meeting the user may not see), a predicate from
``meeting_permissions`` (403 when the meeting is visible but the step is not open to this user
in this phase, and 403 too when the service refuses because the phase moved on meanwhile), a
form, one service call, then a redirect (POST-redirect-GET). SWOT entries,
goals and actions have their views in the swot and actions apps; the workspace page shows them
through those apps' template tags.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from core.confirm import confirm_page, is_confirmed

from . import meeting_permissions as perms
from . import meeting_services as services
from . import notices
from .access import get_meeting_for_user
from .http import AuthenticatedRequest
from .meeting_forms import (
    AgendaItemForm,
    AttendanceMarkForm,
    MeetingForm,
    MinutesForm,
    PublishReasonForm,
    SpeakerForm,
)
from .meeting_phases import MEETING_PHASES, Feature, out_of_time, phase_of, phase_opens
from .models import AgendaItem, Attendance, Meeting, Speaker, Team
from .workspace import (
    autofocus,
    forbidden_when_refused,
    form_page,
    get_meeting_for,
    workspace_url,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _conflict(request: HttpRequest) -> None:
    messages.error(
        request,
        _(
            "This meeting was changed meanwhile, in another tab or by someone else. Nothing was "
            "saved; please check."
        ),
    )


# --- Planning ------------------------------------------------------------------------------


@login_required
def meeting_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team, slug=slug)
    if not perms.can_create_meeting(request.user, team):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(actor=request.user, team=team, data=form.cleaned_data)
        messages.success(request, _("The meeting has been saved as a draft."))
        return redirect("teams:meeting-edit", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "teams/meeting_form.html", {"form": form, "team": team}, status=status)


def _plan_context(meeting: Meeting, **extra: Any) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "team": meeting.team,
        "form": MeetingForm(instance=meeting),
        "agenda_form": AgendaItemForm(prefix="agenda", meeting=meeting),
        "phase": phase_of(meeting),
        **extra,
    }


@login_required
@forbidden_when_refused
def meeting_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, perms.can_plan_meeting)
    if request.method != "POST":
        return render(request, "teams/meeting_form.html", _plan_context(meeting))
    form = MeetingForm(request.POST, instance=Meeting.objects.get(pk=meeting.pk))
    if form.is_valid():
        try:
            services.meeting_update(
                actor=request.user,
                meeting=meeting,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"] or 0,
            )
        except services.ConflictError as conflict:
            _conflict(request)
            current = conflict.current
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = MeetingForm(data, instance=current)
            context = _plan_context(current, form=form, conflict=current)
            return render(request, "teams/meeting_form.html", context, status=409)
        messages.success(request, _("The plan of the meeting has been saved."))
        return redirect("teams:meeting-edit", pk=meeting.pk)
    return render(request, "teams/meeting_form.html", _plan_context(meeting, form=form), status=400)


@login_required
@require_POST
@forbidden_when_refused
def agenda_item_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, perms.can_plan_meeting)
    form = AgendaItemForm(request.POST, prefix="agenda", meeting=meeting)
    if not form.is_valid():
        return render(
            request, "teams/meeting_form.html", _plan_context(meeting, agenda_form=form), status=400
        )
    services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    messages.success(request, _("The agenda item has been added."))
    return redirect(reverse("teams:meeting-edit", kwargs={"pk": meeting.pk}) + "#agenda")


@login_required
@forbidden_when_refused
def agenda_item_edit(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, perms.can_plan_meeting)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    form = AgendaItemForm(request.POST or None, instance=item, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        services.agenda_item_update(actor=request.user, item=item, data=form.cleaned_data)
        messages.success(request, _("The agenda item has been saved."))
        return redirect(reverse("teams:meeting-edit", kwargs={"pk": meeting.pk}) + "#agenda")
    return form_page(
        request,
        meeting,
        status=400 if request.method == "POST" else 200,
        heading=_("Edit an agenda item"),
        form=form,
        action_url=request.path,
        submit_label=_("Save"),
        cancel_url=reverse("teams:meeting-edit", kwargs={"pk": meeting.pk}),
        cancel_label=_("Back to the plan"),
    )


@login_required
@require_POST
@forbidden_when_refused
def agenda_item_delete(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, perms.can_plan_meeting)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    services.agenda_item_delete(actor=request.user, item=item)
    messages.success(request, _("The agenda item has been removed."))
    return redirect(reverse("teams:meeting-edit", kwargs={"pk": meeting.pk}) + "#agenda")


# What each step's confirmation page says, by the phase it leads to. Who is e-mailed comes
# from ``notices.advance_audience``, the rule the step itself follows.
ADVANCE_CONSEQUENCES: dict[str, tuple[StrOrPromise, StrOrPromise, list[StrOrPromise]]] = {
    Meeting.Status.PLANNED: (
        gettext_lazy("Announce the meeting?"),
        gettext_lazy("Yes, announce the meeting"),
        [
            gettext_lazy("The meeting becomes public on the team's page."),
            gettext_lazy("Members can register their attendance."),
            gettext_lazy(
                "Invitations with a calendar file are e-mailed now, and a reminder the day "
                "before the meeting."
            ),
        ],
    ),
    Meeting.Status.OPEN: (
        gettext_lazy("Open the workspace?"),
        gettext_lazy("Yes, open the workspace"),
        [
            gettext_lazy(
                "Members can add SWOT entries, goals and actions, and join the speakers list."
            ),
            gettext_lazy(
                "The meeting cannot go back to the planned phase (its plan can still be edited)."
            ),
        ],
    ),
    Meeting.Status.CLOSED: (
        gettext_lazy("Close the workspace?"),
        gettext_lazy("Yes, close the workspace"),
        [
            gettext_lazy("Members can no longer add entries, goals or actions."),
            gettext_lazy("Moderators can still tidy the results and write the minutes."),
        ],
    ),
    Meeting.Status.PUBLISHED: (
        gettext_lazy("Publish the results?"),
        gettext_lazy("Yes, publish the results"),
        [
            gettext_lazy(
                "The SWOT analysis, goals and actions are published with today's date and "
                "frozen: nobody can change them afterwards."
            ),
            gettext_lazy("Only the minutes can still be written and published."),
        ],
    ),
}


def _advance_confirm_page(
    request: HttpRequest, meeting: Meeting, form: PublishReasonForm | None = None, status: int = 200
) -> HttpResponse:
    phase = phase_of(meeting)
    assert phase.next_status is not None  # the caller checked there is a next step
    title, submit_label, consequences = ADVANCE_CONSEQUENCES[phase.next_status]
    # Too soon or too late is said instead of the step; the service refuses it whatever is
    # sent.
    refused = out_of_time(meeting, timezone.localdate())
    warning: StrOrPromise = ""
    if not refused and phase.next_status == Meeting.Status.PUBLISHED and not meeting.has_results():
        warning = _(
            "This meeting has no results: no SWOT entries, goals, actions or minutes (its "
            "agenda and SWOT topics are its plan). Publish it only with a reason; the reason "
            "is shown on the meeting's page."
        )
        form = form or PublishReasonForm()
    return confirm_page(
        request,
        title=title,
        subject=meeting.title,
        consequences=consequences,
        audience=notices.advance_audience_described(meeting, phase.next_status),
        action_url=reverse("teams:meeting-advance", kwargs={"pk": meeting.pk}),
        cancel_url=workspace_url(meeting),
        submit_label=submit_label,
        hidden={"status": meeting.status},
        form=form if warning else None,
        warning=warning,
        refused=refused or "",
        status=status,
    )


@login_required
def meeting_advance_confirm(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    """The confirmation page of announce, open, close or publish (GET; it posts to
    ``meeting_advance``). A step that is not the meeting's next one any more goes back to the
    workspace with a message."""
    if step not in {phase.step for phase in MEETING_PHASES.values() if phase.step}:
        raise Http404
    meeting = get_meeting_for(request, pk, perms.can_moderate_meeting)
    if phase_of(meeting).step != step or not perms.can_advance_meeting(request.user, meeting):
        _conflict(request)
        return redirect(workspace_url(meeting))
    return _advance_confirm_page(request, meeting)


@login_required
@require_POST
def meeting_advance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Announce, open, close or publish: one step on from the phase the moderator saw, only
    from the confirmation page (a POST without its field goes there and changes nothing)."""
    meeting = get_meeting_for(request, pk, perms.can_moderate_meeting)
    if not perms.can_advance_meeting(request.user, meeting):
        _conflict(request)  # another moderator took the last step first
        return redirect(workspace_url(meeting))
    if not is_confirmed(request):
        step = phase_of(meeting).step
        messages.warning(request, _("Please confirm this step first; nothing has changed yet."))
        return redirect("teams:meeting-advance-confirm", pk=meeting.pk, step=step)
    form = PublishReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        meeting = services.meeting_advance(
            actor=request.user,
            meeting=meeting,
            expected_status=request.POST.get("status", ""),
            reason=reason,
        )
    except services.ReasonRequired as refusal:
        if form.is_valid():
            form.add_error("reason", str(refusal))
        return _advance_confirm_page(request, meeting, form=form, status=400)
    except services.ConflictError:
        _conflict(request)
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("The meeting is now: %(status)s.") % {"status": meeting.get_status_display()},
        )
    return redirect(workspace_url(meeting))


# --- Workspace and attendance ----------------------------------------------------------------


def _workspace_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    user = request.user
    registration = meeting.attendances.filter(user=user).first() if user.is_authenticated else None
    return {
        "meeting": meeting,
        "phase": phase_of(meeting),
        "registration": registration,
        "attendance_count": meeting.attendances.count(),
        "can_register": perms.can_register_attendance(user, meeting),
        "can_mark": perms.can_mark_attendance(user, meeting),
        "can_plan": perms.can_plan_meeting(user, meeting),
        "can_advance": perms.can_advance_meeting(user, meeting),
        "can_write_minutes": perms.can_write_minutes(user, meeting),
        "can_view_minutes": perms.can_view_minutes(user, meeting),
        "live_open": perms.can_join_speakers(user, meeting) or perms.can_run_live(user, meeting),
    }


@login_required
def meeting_workspace(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, perms.can_view_workspace)
    return render(request, "teams/meeting_workspace.html", _workspace_context(request, meeting))


@login_required
@require_POST
@forbidden_when_refused
def attendance_toggle(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, perms.can_register_attendance)
    if request.POST.get("register") == "1":
        services.attendance_register(actor=request.user, meeting=meeting)
        messages.success(request, _("You are registered for the meeting."))
    else:
        services.attendance_unregister(actor=request.user, meeting=meeting)
        messages.success(request, _("Your registration has been withdrawn."))
    return redirect(workspace_url(meeting) + "#attendance")


@login_required
@forbidden_when_refused
def attendance_mark(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, perms.can_mark_attendance)
    # Those who did not register can be recorded too (walk-ins): the service's rule.
    members = list(
        services.recordable_members(meeting).order_by("last_name", "first_name", "email")
    )
    # Bound on every POST: one with nobody ticked (everyone marked absent) is an empty form,
    # not a page asked for again.
    data = request.POST if request.method == "POST" else None
    form = AttendanceMarkForm(data, meeting=meeting, members=members)
    if request.method == "POST" and form.is_valid():
        services.attendance_mark(
            actor=request.user,
            meeting=meeting,
            attended_ids=form.attended_ids(),
            member_ids=form.member_ids(),
        )
        messages.success(request, _("Attendance has been recorded."))
        return redirect(workspace_url(meeting) + "#attendance")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "teams/meeting_attendance.html", {"meeting": meeting, "form": form}, status=status
    )


# --- Live mode -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Turn:
    """The turn running now: who speaks, and the seconds left as the server counts them."""

    speaker: Speaker
    remaining: int

    @property
    def remaining_display(self) -> str:
        return f"{self.remaining // 60}:{self.remaining % 60:02d}"


def _speakers(meeting: Meeting) -> dict[str, Any]:
    now = timezone.now()
    current, waiting, done = None, [], []
    for speaker in meeting.speakers.order_by("position"):
        if speaker.ended_at:
            done.append(speaker)
        elif speaker.started_at:
            elapsed = (now - speaker.started_at).total_seconds()
            current = Turn(speaker, max(0, int(meeting.speaking_time_seconds - elapsed)))
        else:
            waiting.append(speaker)
    return {"current": current, "waiting": waiting, "done": done}


def _board_state(meeting: Meeting) -> str:
    """A fingerprint of what the live board shows, so a poll with nothing new swaps nothing."""
    # Through the reverse relation, because teams never imports swot.
    entries = meeting.swot_topics.values_list(
        "entries__pk",
        "entries__version",
        "entries__position",
        "entries__quadrant",
        "entries__merged_into",
    ).order_by("pk", "entries__pk")
    parts = [
        meeting.status,
        str(meeting.version),
        repr(list(entries)),
        repr(list(meeting.speakers.values_list("pk", "started_at", "ended_at"))),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


# A live-mode step's message (without JavaScript, after the redirect) is shown at the top of
# the speakers list, where the step was taken, and focused there; not at the top of the page.
LIVE_MESSAGE_TAG = "live-speakers"
LIVE_ANCHOR = "#speakers"


@dataclass(frozen=True)
class LiveMessage:
    text: str
    error: bool = False


def _live_messages(request: HttpRequest) -> LiveMessage | None:
    """The messages of live-mode steps, marked for base.html to leave out at the top of the
    page (``page_messages.at_top``): the speakers list shows them in its place."""
    texts: list[str] = []
    error = False
    for message in messages.get_messages(request):
        if message.extra_tags == LIVE_MESSAGE_TAG:
            message.in_thread = True  # type: ignore[union-attr]
            texts.append(str(message))
            error = error or message.level >= messages.ERROR
    return LiveMessage(" ".join(texts), error) if texts else None


def _live_context(
    request: AuthenticatedRequest,
    meeting: Meeting,
    *,
    form: SpeakerForm | None = None,
    message: LiveMessage | None = None,
    polled: bool = False,
) -> dict[str, Any]:
    """What the live board shows this user: the speakers list and the controls that depend on
    the meeting's phase and on the list (join, add a name, start, end), so that a poll
    refreshes them together, and the SWOT board."""
    own_waiting = meeting.speakers.filter(user=request.user, ended_at__isnull=True).exists()
    can_run = perms.can_run_live(request.user, meeting)
    if form is None and can_run:
        form = SpeakerForm()
    if form is not None and form.errors:
        autofocus(form, "name")
    return {
        "meeting": meeting,
        "phase": phase_of(meeting),
        "state": _board_state(meeting),
        "speakers": _speakers(meeting),
        "can_run": can_run,
        "can_join": perms.can_join_speakers(request.user, meeting) and not own_waiting,
        "speaking_open": phase_opens(meeting, Feature.SPEAK),
        "speaker_form": form,
        "live_message": message,
        "polled": polled,
    }


def _live_page(
    request: AuthenticatedRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    if request.htmx:
        # The board in place, 200 even for a name refused (htmx swaps only successful answers).
        return render(request, "teams/partials/meeting_live_board.html", context)
    return render(request, "teams/meeting_live.html", context, status=status)


@login_required
def meeting_live(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, perms.can_view_workspace)
    if request.htmx and request.GET.get("state") == _board_state(meeting):
        return HttpResponse(status=204)  # nothing new: htmx leaves the board as it is
    if request.htmx:
        # A poll: the messages are left for the page they were meant for.
        return _live_page(request, _live_context(request, meeting, polled=True))
    context = _live_context(request, meeting, message=_live_messages(request))
    return _live_page(request, context)


def _live_url(meeting: Meeting) -> str:
    return reverse("teams:meeting-live", kwargs={"pk": meeting.pk})


def _live_done(request: AuthenticatedRequest, meeting: Meeting, text: str) -> HttpResponse:
    """A live-mode step done: with htmx, the board in place with the message (focused); else
    back to the speakers list, where the message waits (POST-redirect-GET)."""
    if request.htmx:
        context = _live_context(request, meeting, message=LiveMessage(text))
        return _live_page(request, context)
    messages.success(request, text, extra_tags=LIVE_MESSAGE_TAG)
    return redirect(_live_url(meeting) + LIVE_ANCHOR)


@login_required
@require_POST
@forbidden_when_refused
def speaker_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A participant adds themselves; the moderator may add any name."""
    meeting = get_meeting_for_user(request.user, pk)
    if request.POST.get("self") == "1":
        if not perms.can_join_speakers(request.user, meeting):
            raise PermissionDenied
        name = request.user.get_full_name() or _("Participant")
        services.speaker_add(actor=request.user, meeting=meeting, name=name, user=request.user)
        return _live_done(request, meeting, _("You are on the speakers list."))
    if not perms.can_run_live(request.user, meeting):
        raise PermissionDenied
    form = SpeakerForm(request.POST)
    if not form.is_valid():
        return _live_page(request, _live_context(request, meeting, form=form), status=400)
    services.speaker_add(actor=request.user, meeting=meeting, name=form.cleaned_data["name"])
    return _live_done(request, meeting, _("The speaker has been added to the list."))


@login_required
@require_POST
@forbidden_when_refused
def speaker_turn(
    request: AuthenticatedRequest, pk: int, speaker_pk: int, step: str
) -> HttpResponse:
    if step not in ("start", "end"):
        raise Http404("No such step.")
    meeting = get_meeting_for(request, pk, perms.can_run_live)
    speaker = get_object_or_404(Speaker, pk=speaker_pk, meeting=meeting)
    if step == "start":
        speaker = services.speaker_start(actor=request.user, speaker=speaker)
        text = _("%(name)s is speaking now.") % {"name": speaker.name}
    else:
        speaker = services.speaker_end(actor=request.user, speaker=speaker)
        if speaker.started_at:
            text = _("The turn of %(name)s has ended.") % {"name": speaker.name}
        else:
            text = _("%(name)s has been taken off the speakers list.") % {"name": speaker.name}
    return _live_done(request, meeting, text)


# --- Minutes ---------------------------------------------------------------------------------


@login_required
@forbidden_when_refused
def minutes_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, perms.can_write_minutes)
    form = MinutesForm(
        request.POST or None, initial={"minutes": meeting.minutes, "version": meeting.version}
    )
    context: dict[str, Any] = {
        "meeting": meeting,
        "form": form,
        "can_publish": perms.can_publish_minutes(request.user, meeting),
    }
    if request.method == "POST" and form.is_valid():
        # "Save and publish" saves a draft (nothing typed is lost) and asks on a page of its
        # own; only that page's POST to ``minutes_publish`` publishes and e-mails.
        publish = request.POST.get("publish") == "1"
        if publish and not context["can_publish"]:
            raise PermissionDenied
        try:
            services.minutes_save(
                actor=request.user,
                meeting=meeting,
                minutes=form.cleaned_data["minutes"],
                expected_version=form.cleaned_data["version"],
            )
        except services.ConflictError as conflict:
            _conflict(request)
            data = request.POST.copy()
            data["version"] = conflict.current.version
            context.update(form=MinutesForm(data), conflict=conflict.current)
            return render(request, "teams/meeting_minutes_form.html", context, status=409)
        if publish:
            return redirect("teams:meeting-minutes-publish-confirm", pk=meeting.pk)
        messages.success(request, _("The minutes have been saved."))
        return redirect("teams:meeting-minutes-edit", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "teams/meeting_minutes_form.html", context, status=status)


def _already_published(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    """A second confirmation (another tab, a second moderator, a double click) is told the
    minutes are published already; nothing is done or e-mailed twice."""
    if meeting.minutes_published_at is None:
        return None
    messages.info(request, _("The minutes are already published; nothing was changed."))
    return redirect("teams:meeting-minutes", pk=meeting.pk)


def _nothing_saved(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    """Empty minutes are not published (the form refuses an empty text; a hand-typed address
    of the confirmation page must not get round it)."""
    if meeting.minutes.strip():
        return None
    messages.error(request, _("Write and save the minutes first; nothing was published."))
    return redirect("teams:meeting-minutes-edit", pk=meeting.pk)


def _minutes_publish_confirm_page(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return confirm_page(
        request,
        title=_("Publish the minutes?"),
        subject=meeting.title,
        consequences=[
            _(
                "The minutes, as saved now, are published with today's date on the meeting's "
                "page, public to everyone."
            ),
            _("Nobody can change them afterwards, not even a moderator."),
        ],
        audience=notices.minutes_audience_described(meeting),
        action_url=reverse("teams:meeting-minutes-publish", kwargs={"pk": meeting.pk}),
        cancel_url=reverse("teams:meeting-minutes-edit", kwargs={"pk": meeting.pk}),
        submit_label=_("Yes, publish the minutes"),
        # The text confirmed is the text published: a save meanwhile is a conflict.
        hidden={"version": meeting.version},
    )


@login_required
@require_safe
def minutes_publish_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The confirmation page of publishing the minutes (GET; it posts to
    ``minutes_publish``)."""
    meeting = get_meeting_for_user(request.user, pk)
    if done := _already_published(request, meeting):
        return done
    if not perms.can_publish_minutes(request.user, meeting):
        raise PermissionDenied
    if empty := _nothing_saved(request, meeting):
        return empty
    return _minutes_publish_confirm_page(request, meeting)


@login_required
@require_POST
@forbidden_when_refused
def minutes_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Publish the saved minutes, only from the confirmation page (a POST without its field
    goes there and publishes nothing)."""
    meeting = get_meeting_for_user(request.user, pk)
    if done := _already_published(request, meeting):
        return done
    if not perms.can_publish_minutes(request.user, meeting):
        raise PermissionDenied
    if not is_confirmed(request):
        messages.warning(request, _("Please confirm this step first; nothing has changed yet."))
        return redirect("teams:meeting-minutes-publish-confirm", pk=meeting.pk)
    if empty := _nothing_saved(request, meeting):
        return empty
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0  # no version: a conflict, as a stale one
    try:
        services.minutes_publish(actor=request.user, meeting=meeting, expected_version=version)
    except services.ConflictError as conflict:
        if done := _already_published(request, conflict.current):
            return done
        _conflict(request)
        return redirect("teams:meeting-minutes-edit", pk=meeting.pk)
    messages.success(request, _("The minutes have been published."))
    return redirect("teams:meeting-minutes", pk=meeting.pk)


def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    if not perms.can_view_minutes(request.user, meeting):
        raise Http404("No published minutes.")
    attendances = (
        Attendance.objects.filter(meeting=meeting, attended=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "pk")
    )
    return render(
        request,
        "teams/meeting_minutes.html",
        {"meeting": meeting, "attendances": attendances},
    )
