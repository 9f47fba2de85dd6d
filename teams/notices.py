"""What teams tell people by e-mail: meeting invitations, reminders and minutes. Each kind is
declared once here (see notifications.registry); teams.apps imports this module when the app
registry is ready. The services call the ``notify_*`` hooks inside their transactions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.confirm import Audience
from core.site import absolute
from notifications import registry
from notifications.models import Outbox
from notifications.outbox import enqueue_all

from . import cycle, permissions
from .calendar import meeting_ics
from .models import Meeting, Membership, Organisation, Programme, Representation, Team, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# How late the clock-caused messages may still be queued (a sweep that did not run for a
# while catches up; an old meeting in the demo data does not wake up).
CATCH_UP = dt.timedelta(days=2)


def reachable(query: Q) -> QuerySet[User]:
    """Active people with an e-mail address who match ``query``."""
    return User.objects.filter(query, is_active=True).exclude(email="").distinct()


def people(query: Q) -> list[User]:
    return list(reachable(query))


def team_members(team_id: int | None) -> Q:
    if team_id is None:
        return Q(pk__in=[])
    return Q(memberships__team_id=team_id, memberships__status="approved")


def active_representatives() -> Q:
    """People who speak for a verified organisation (Representation.objects.active())."""
    return Q(pk__in=Representation.objects.active().values("user_id"))


def days_before(moment: dt.datetime, days: int) -> dt.datetime:
    """The same wall-clock time in Europe/Warsaw ``days`` days earlier: a round closing at
    12:00 on the day after a DST change is reminded at 12:00, not 11:00 or 13:00."""
    local = timezone.localtime(moment)
    naive = local.replace(tzinfo=None) - dt.timedelta(days=days)
    return timezone.make_aware(naive, timezone.get_current_timezone())


def meeting_starts_at(meeting: Meeting) -> dt.datetime:
    """When a meeting starts, for reminders: 09:00 when it has no start time."""
    start = meeting.start_time or dt.time(9, 0)
    return timezone.make_aware(
        dt.datetime.combine(meeting.date, start), timezone.get_current_timezone()
    )


def _meeting_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    meeting = row.subject
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.OPEN):
        return None
    context["starts_at"] = meeting_starts_at(meeting)
    # A meeting with no start time is said by its day alone, as its calendar file gives it
    # (an all-day event): the 09:00 above is when its reminder goes out, not when it starts.
    context["has_time"] = meeting.start_time is not None
    return context


#: What an invitation told people of when and where: a change of any of these, once they
#: are invited, is e-mailed to them (``notify_meeting_changed``).
WHEN_AND_WHERE = ("date", "start_time", "end_time", "place", "online_url")


def when_and_where(meeting: Meeting) -> str:
    """The meeting's date, times and places as one comparable text."""
    return "|".join(str(getattr(meeting, name) or "") for name in WHEN_AND_WHERE)


def _invitation_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    """The meeting as it is when the e-mail is written, with its calendar file; the row
    records when and where it tells (``told``), which a later change is compared with: an
    invitation sent after a quick correction already says the corrected place."""
    found = _meeting_context(row, context)
    if found is not None:
        found["attachments"] = [
            ("meeting.ics", meeting_ics(row.subject), "text/calendar; method=PUBLISH")
        ]
        told = when_and_where(row.subject)
        if row.data.get("told") != told:
            row.data = {**row.data, "told": told}
            Outbox.objects.filter(pk=row.pk).update(data=row.data)
    return found


MEETING_INVITATION = registry.register(
    "meeting_invitation",
    label=_("meeting invitations"),
    context=_invitation_context,
    immediate=True,
)


def _told(row: Any) -> str | None:
    """When and where the last invitation or change e-mailed to this row's recipient about
    its meeting said (recorded when it was written; for a row written before that was kept,
    what it recorded when queued), if one was sent."""
    last = (
        Outbox.objects.about(row.subject)
        .filter(
            recipient_id=row.recipient_id,
            kind__in=[MEETING_INVITATION.name, MEETING_CHANGED.name],
            sent_at__isnull=False,
        )
        .order_by("-sent_at", "-pk")
        .values_list("data", flat=True)
        .first()
    )
    return None if last is None else last.get("told", last.get("when_and_where"))


def _change_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    """An invitation again, as the meeting is when it is sent, for a change that still
    stands and that the person was not told already: one that a later change superseded is
    not sent (the later one is), nor one that went back to what they were last told."""
    now = when_and_where(row.subject)
    if row.data.get("when_and_where") != now or _told(row) == now:
        return None
    return _invitation_context(row, context)


MEETING_CHANGED = registry.register(
    "meeting_changed",
    label=_("changes of the date, time or place of meetings you were invited to"),
    context=_change_context,
    immediate=True,
)


def _reminder_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    """Whether the meeting is today or tomorrow is decided when the reminder is sent (Warsaw
    dates), not when it was queued: a sweep that catches up on the meeting's day says "Today".
    A reminder for a date the meeting no longer has, or sent once it has begun, is dropped."""
    found = _meeting_context(row, context)
    meeting = row.subject
    if found is None or row.occasion != reminder_occasion(meeting):
        return None
    now = timezone.now()
    if now >= found["starts_at"]:
        return None
    found["today"] = timezone.localdate(now) == meeting.date
    return found


MEETING_REMINDER = registry.register(
    "meeting_reminder",
    label=_("meeting reminders the day before"),
    context=_reminder_context,
    immediate=True,
)
MINUTES_PUBLISHED = registry.register("minutes_published", label=_("published minutes of meetings"))


def advance_audience(meeting: Meeting, status: str) -> list[User]:
    """Who is e-mailed when ``meeting`` reaches ``status``: an announced (planned) meeting
    invites its team's members; the other steps tell nobody. The confirmation page asks it too."""
    if status == Meeting.Status.PLANNED:
        return people(team_members(meeting.team_id))
    return []


def advance_audience_described(meeting: Meeting, status: str) -> Audience | None:
    """``advance_audience`` for the step's confirmation page: how many, and who they are."""
    audience = advance_audience(meeting, status)
    if not audience:
        return None
    return Audience(
        len(audience), _("members of team %(team)s") % {"team": meeting.team.local_name}
    )


def notify_meeting_changed(before: Meeting, after: Meeting) -> None:
    """The date, a time or a place of an announced meeting changed: those it was told to
    (its team's members, and those registered for it) get the change with a new calendar
    file (the same event, a higher SEQUENCE). Nobody was invited to a draft."""
    if after.status not in (Meeting.Status.PLANNED, Meeting.Status.OPEN):
        return
    now = when_and_where(after)
    if now == when_and_where(before):
        return
    enqueue_all(
        minutes_audience(after),
        kind=MEETING_CHANGED,
        subject=after,
        occasion=f"version-{after.version}",
        data={"when_and_where": now},
    )


def notify_meeting_advanced(meeting: Meeting) -> None:
    audience = advance_audience(meeting, meeting.status)
    enqueue_all(
        audience,
        kind=MEETING_INVITATION,
        subject=meeting,
        occasion="",
        data={"when_and_where": when_and_where(meeting)},  # what a later change compares with
    )


def minutes_audience(meeting: Meeting) -> list[User]:
    """Who is e-mailed when the minutes of ``meeting`` are published: its team's members and
    those registered for it. The confirmation page asks it too."""
    return people(team_members(meeting.team_id) | Q(attendances__meeting=meeting))


def minutes_audience_described(meeting: Meeting) -> Audience | None:
    """``minutes_audience`` for the confirmation page: how many, and who they are."""
    audience = minutes_audience(meeting)
    if not audience:
        return None
    return Audience(
        len(audience),
        _("members of team %(team)s and those registered for the meeting")
        % {"team": meeting.team.local_name},
    )


def notify_minutes_published(meeting: Meeting) -> None:
    if meeting.minutes_published_at:
        enqueue_all(minutes_audience(meeting), kind=MINUTES_PUBLISHED, subject=meeting, occasion="")


def reminder_occasion(meeting: Meeting) -> str:
    return f"day-before-{meeting.date.isoformat()}"


def invited_since(meeting: Meeting, moment: dt.datetime) -> bool:
    """Were the meeting's invitations queued at or after ``moment``?"""
    return (
        Outbox.objects.about(meeting)
        .filter(kind=MEETING_INVITATION.name, created_at__gte=moment)
        .exists()
    )


@registry.register_scheduler
def meeting_reminders_schedule(now: dt.datetime) -> None:
    """The day before a meeting, at its starting time, its team is reminded; a sweep that did
    not run catches up until the meeting starts (the subject then says "Today"). A meeting
    announced less than a day before it starts gets no reminder: its invitation, just sent,
    is the notice, and a second e-mail minutes later would only repeat it."""
    today = timezone.localdate(now)
    upcoming = Meeting.objects.filter(
        status__in=[Meeting.Status.PLANNED, Meeting.Status.OPEN],
        date__gte=today,
        date__lte=today + dt.timedelta(days=2),
    )
    for meeting in upcoming:
        starts = meeting_starts_at(meeting)
        at = days_before(starts, 1)
        if at <= now < starts and not invited_since(meeting, at):
            enqueue_all(
                people(team_members(meeting.team_id)),
                kind=MEETING_REMINDER,
                subject=meeting,
                occasion=reminder_occasion(meeting),
                due_at=at,
            )


# --- Programme cycles (issue 13) ----------------------------------------------------------------


def _carried_over_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    """Still in the team when the message goes out (a person who already left is not told)."""
    team = row.subject
    if not team.memberships.filter(user_id=row.recipient_id).exists():
        return None
    context["programme"] = team.programme
    context["leave_url"] = absolute(reverse("teams:team-leave", kwargs={"slug": team.slug}))
    return context


def _owed_date(row: Any) -> cycle.CycleDate | None:
    """The row's date as the programme's cycle has it now; None once the programme no longer
    owes it (``cycle.owed_dates``: an archived programme's adoption) or its obligation is met
    (``cycle.is_fulfilled``)."""
    programme = row.subject
    key = row.data.get("key")
    found = next((d for d in cycle.owed_dates(programme) if d.key == key), None)
    if found is None or cycle.is_fulfilled(programme, found.key):
        return None
    return found


def _cycle_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    found = _owed_date(row)
    if found is None:
        return None
    context["deadline"] = found
    return context


def where_to_act(programme: Programme, entry: cycle.CycleDate) -> tuple[StrOrPromise, str]:
    """What the coordinating team does to meet ``entry``'s obligation, and the page where."""
    if entry.obligation == cycle.ADOPTION:
        return (
            _(
                "Once the City Council has adopted the programme, record its resolution on "
                "the adopted version of the programme draft:"
            ),
            absolute(reverse("drafts:draft-list")),
        )
    if entry.obligation == cycle.IMPLEMENTATION_REPORT:
        return (
            _("Publish the report on the programme's implementation page:"),
            absolute(reverse("implementation:programme", kwargs={"pk": programme.pk})),
        )
    return (
        _(
            "Review the accessibility declaration; the portal's administrator then records the "
            "date of the review (the ACCESSIBILITY_REVIEWED setting):"
        ),
        absolute(reverse("accessibility")),
    )


def _overdue_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    """As the reminder's, and dropped too once the obligation is met meanwhile."""
    found = _owed_date(row)
    if found is None:
        return None
    context["deadline"] = found
    context["what_to_do"], context["where"] = where_to_act(row.subject, found)
    return context


TEAM_CARRIED_OVER = registry.register(
    "team_carried_over",
    label=_("notices that a team continues in a new programme"),
    context=_carried_over_context,
    immediate=True,
)
PROGRAMME_DEADLINE_REMINDER = registry.register(
    "programme_deadline_reminder",
    label=_("reminders of a programme's deadlines (coordinating team)"),
    context=_cycle_context,
    immediate=True,
)
PROGRAMME_DEADLINE_OVERDUE = registry.register(
    "programme_deadline_overdue",
    label=_("notices that a programme's deadline passed unmet (coordinating team)"),
    context=_overdue_context,
    immediate=True,
)


def carry_over_audience_described(previous: Programme) -> Audience | None:
    """Who a carry-over of ``previous``'s teams e-mails (``notify_carried_over``, team by team:
    their approved members and moderators), for the confirmation page: how many people."""
    audience = people(
        Q(memberships__team__programme=previous, memberships__status=Membership.Status.APPROVED)
    )
    if not audience:
        return None
    return Audience(len(audience), _("members and moderators of the carried-over teams"))


def notify_carried_over(team: Team) -> None:
    """Each person carried into the team is told, with a link to leave it."""
    enqueue_all(people(team_members(team.pk)), kind=TEAM_CARRIED_OVER, subject=team, occasion="")


def coordinating_team() -> Q:
    return Q(is_coordinator=True)


def reminded_programmes(today: dt.date) -> QuerySet[Programme]:
    """The programmes that may have a date to remind of, or one just missed, on ``today``: the
    current ones, and the archived ones whose years' obligations are not all past. An archived
    programme's last date is the report on its last year, 31 May of the year after it (its
    overdue notice goes by 2 June), so one that ended before last year is never looked at
    again (the archive grows; the sweep runs every minute)."""
    return Programme.objects.filter(Q(is_current=True) | Q(period_end__gte=today.year - 1))


def cycle_occasion(entry: cycle.CycleDate) -> str:
    return f"{entry.key}-{entry.date.isoformat()}"


def was_reminded(programme: Programme, entry: cycle.CycleDate) -> bool:
    """Was the coordinating team reminded of ``entry`` before it fell due (a reminder queued,
    whether sent, or dropped as met or opted out)? Only then did the programme exist in the
    portal before the date."""
    return (
        Outbox.objects.about(programme)
        .filter(kind=PROGRAMME_DEADLINE_REMINDER.name, occasion=cycle_occasion(entry))
        .exists()
    )


def overdue_due(programme: Programme, entry: cycle.CycleDate, today: dt.date) -> bool:
    """Whether the notice that ``entry`` passed unmet is queued on ``today``: from the day
    after the date (Europe/Warsaw), and for ``CATCH_UP`` days only, as the clock's other
    causes (a sweep that did not run catches up; a date missed long ago, or missed before this
    feature was deployed, wakes nobody); and only for a date the team was reminded of
    (``was_reminded``): a programme created or back-filled after the date — the demo's
    2012–2014 — never had a reminder and sends no notice either. Once: the page marks the
    date overdue until its obligation is met, and a repeated e-mail would only be noise."""
    return (
        today <= entry.date + CATCH_UP
        and cycle.is_overdue(programme, entry, today)
        and was_reminded(programme, entry)
    )


@registry.register_scheduler
def programme_reminders_schedule(now: dt.datetime) -> None:
    """``PROGRAMME_REMINDER_DAYS`` days before each date of a programme's cycle that is still
    to come (``cycle.owed_dates``: an archived programme's too, but for its adoption), the
    coordinating team is reminded, once per programme and date (the outbox's unique occasion);
    a sweep that did not run catches up until the date itself, and no later: the reminder
    says what is due by when, and a met obligation (a published report) is dropped when it
    would go out (``cycle.is_fulfilled``). The day after a date passed unmet, the team is told
    once that it is overdue (``overdue_due``)."""
    today = timezone.localdate(now)
    days = cycle.reminder_days()
    # The accessibility declaration is the portal's, not a programme's: a year in two current
    # programmes (a multi-year and an annual one) is reminded of once, under the programme that
    # comes first by id, the same one every sweep, so the outbox's occasion keeps it once.
    portal_wide: set[str] = set()
    for programme in reminded_programmes(today).order_by("pk"):
        for entry in cycle.owed_dates(programme):
            if entry.obligation == cycle.ACCESSIBILITY_REVIEW:
                if entry.key in portal_wide:
                    continue
                portal_wide.add(entry.key)
            if cycle.reminder_date(entry.date, days) <= today <= entry.date:
                kind = PROGRAMME_DEADLINE_REMINDER
            elif overdue_due(programme, entry, today):
                kind = PROGRAMME_DEADLINE_OVERDUE
            else:
                continue
            enqueue_all(
                people(coordinating_team()),
                kind=kind,
                subject=programme,
                occasion=cycle_occasion(entry),
                data={"key": entry.key},
            )


# --- Decisions on a newcomer's requests (issue 16) ------------------------------------------------


def _organisation_verified_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    """Still verified, and the recipient still asks to speak for it or does."""
    organisation = row.subject
    if not organisation.is_verified:
        return None
    context["url"] = absolute(reverse("teams:organisation-detail", kwargs={"pk": organisation.pk}))
    context["approved"] = organisation.representations.filter(
        user_id=row.recipient_id, status=Representation.Status.APPROVED
    ).exists()
    return context


def _decision_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    """The decision as it was taken (the row's data), while the request still stands as
    decided: a request asked again and pending meanwhile is not answered by an old e-mail."""
    if row.subject.status != row.data.get("status"):
        return None
    context["approved"] = row.data["status"] == "approved"
    context["reason"] = row.data.get("reason", "")
    context["account_url"] = absolute(reverse("teams:my-account"))
    return context


def _representation_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    found = _decision_context(row, context)
    if found is not None:
        organisation = row.subject.organisation
        found["organisation"] = organisation
        found["url"] = absolute(
            reverse("teams:organisation-detail", kwargs={"pk": organisation.pk})
        )
    return found


def _membership_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    found = _decision_context(row, context)
    if found is not None:
        found["team"] = row.subject.team
        found["url"] = absolute(row.subject.team.get_absolute_url())
        # Approved into the team is not yet allowed to write: that waits for the person's
        # representation of a verified organisation (permissions.can_contribute), asked when
        # the e-mail is sent.
        found["can_contribute"] = permissions.can_contribute(row.subject.user)
    return found


ORGANISATION_VERIFIED = registry.register(
    "organisation_verified",
    label=_("notices that your organisation was verified"),
    context=_organisation_verified_context,
    immediate=True,
)
REPRESENTATION_DECIDED = registry.register(
    "representation_decided",
    label=_("decisions on your requests to represent an organisation"),
    context=_representation_context,
    immediate=True,
)
MEMBERSHIP_DECIDED = registry.register(
    "membership_decided",
    label=_("decisions on your requests to join a team"),
    context=_membership_context,
    immediate=True,
)


def notify_organisation_verified(organisation: Organisation) -> None:
    """Everyone who speaks for the organisation or asked to is told."""
    audience = people(
        Q(
            representations__organisation=organisation,
            representations__status__in=[
                Representation.Status.PENDING,
                Representation.Status.APPROVED,
            ],
        )
    )
    enqueue_all(audience, kind=ORGANISATION_VERIFIED, subject=organisation, occasion="")


def notify_request_decided(row: Representation | Membership, *, reason: str) -> None:
    """The person who asked is told the decision (and the reason, if one was given). A request
    may be asked again after a refusal, so each decision is its own occasion."""
    kind = REPRESENTATION_DECIDED if isinstance(row, Representation) else MEMBERSHIP_DECIDED
    decided = row.decided_at.isoformat() if row.decided_at else ""
    enqueue_all(
        people(Q(pk=row.user_id)),
        kind=kind,
        subject=row,
        occasion=f"decided-{decided}",
        data={"status": row.status, "reason": reason},
    )
