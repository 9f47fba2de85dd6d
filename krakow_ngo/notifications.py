"""What the portal tells people by e-mail, and to whom.

The ``notify_*`` functions are called by the domain services inside their transactions (one
line each); they only queue outbox rows (krakow_ngo.outbox). ``reminders_schedule`` queues the
messages that the clock causes (a round opening or closing by its dates, reminders before a
round closes, the day before a meeting); every sweep calls it, and the outbox's unique key
makes repeated calls harmless. ``context_for`` builds a row's template context when it is
sent, from the current state (so a reminder to an organisation that has commented meanwhile
is dropped).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .emails import absolute
from .models import Outbox
from .outbox import outbox_enqueue

# How late the clock-caused messages may still be queued (a sweep that did not run for a
# while catches up; an old round in the demo data does not wake up).
CATCH_UP = dt.timedelta(days=2)


def _users(query: Q) -> list[Any]:
    from teams.models import User

    return list(User.objects.filter(query, is_active=True).exclude(email="").distinct())


def _representatives() -> Q:
    return Q(
        representations__status="approved",
        representations__organisation__verified_at__isnull=False,
    )


def _team_members(team_id: int | None) -> Q:
    if team_id is None:
        return Q(pk__in=[])
    return Q(memberships__team_id=team_id, memberships__status="approved")


def _enqueue_all(users: Iterable[Any], **kwargs: Any) -> int:
    count = 0
    for user in users:
        if outbox_enqueue(recipient=user, **kwargs) is not None:
            count += 1
    return count


def round_audience(round_: Any) -> list[Any]:
    """Members of the consulted meeting's team and representatives of verified organisations."""
    team_id = round_.meeting.team_id if round_.meeting_id else None
    return _users(_team_members(team_id) | _representatives())


def round_commenters(round_: Any) -> list[Any]:
    return _users(Q(consultation_comments__round=round_))


# --- Hooks called by the services -----------------------------------------------------------


def notify_round_announced(round_: Any) -> None:
    _enqueue_all(round_audience(round_), kind="round_announced", subject=round_, occasion="")


def notify_round_opened(round_: Any) -> None:
    _enqueue_all(round_audience(round_), kind="round_opened", subject=round_, occasion="")


def notify_round_closed(round_: Any) -> None:
    _enqueue_all(round_commenters(round_), kind="round_closed", subject=round_, occasion="")


def notify_report_published(round_: Any) -> None:
    _enqueue_all(round_commenters(round_), kind="report_published", subject=round_, occasion="")


def notify_comment_hidden(comment: Any) -> None:
    if comment.author_id and comment.hidden_at:
        # Hidden, shown and hidden again is a new occasion each time.
        outbox_enqueue(
            recipient=comment.author,
            kind="comment_hidden",
            subject=comment,
            occasion=comment.hidden_at.isoformat(),
        )


def notify_comment_shown(comment: Any, reason: str) -> None:
    """A hidden comment shown again: its author is told, with the moderator's reason."""
    if comment.author_id:
        outbox_enqueue(
            recipient=comment.author,
            kind="comment_shown",
            subject=comment,
            occasion=f"version-{comment.version}",
            data={"reason": reason},
        )


def notify_comments_settled(comments: Iterable[Any]) -> None:
    for comment in comments:
        if comment.author_id:
            outbox_enqueue(recipient=comment.author, kind="comment_settled", subject=comment)


def notify_comment_posted(comment: Any) -> None:
    """A reply tells the author of the comment it answers (unless they reply to themselves)."""
    parent = comment.parent
    if parent is not None and parent.author_id and parent.author_id != comment.author_id:
        outbox_enqueue(recipient=parent.author, kind="comment_reply", subject=comment)


def notify_meeting_advanced(meeting: Any) -> None:
    """A meeting announced (planned) invites its team's members."""
    if meeting.status == "planned":
        members = _users(_team_members(meeting.team_id))
        _enqueue_all(members, kind="meeting_invitation", subject=meeting, occasion="")


def notify_minutes_published(meeting: Any) -> None:
    if meeting.minutes_published_at:
        people = _users(_team_members(meeting.team_id) | Q(attendances__meeting=meeting))
        _enqueue_all(people, kind="minutes_published", subject=meeting, occasion="")


# --- What the clock causes ------------------------------------------------------------------


def reminder_days() -> list[int]:
    return sorted(getattr(settings, "CONSULTATIONS_REMINDER_DAYS", [7, 3, 1]), reverse=True)


def days_before(moment: dt.datetime, days: int) -> dt.datetime:
    """The same wall-clock time in Europe/Warsaw ``days`` days earlier: a round closing at
    12:00 on the day after a DST change is reminded at 12:00, not 11:00 or 13:00."""
    local = timezone.localtime(moment)
    naive = local.replace(tzinfo=None) - dt.timedelta(days=days)
    return timezone.make_aware(naive, timezone.get_current_timezone())


def due_reminder(closes_at: dt.datetime, now: dt.datetime) -> tuple[int, dt.datetime] | None:
    """The latest reminder (days, instant) whose instant has come, if the round is still open;
    earlier reminders that were missed are not sent late on top of it."""
    if now >= closes_at:
        return None
    due = None
    for days in reminder_days():
        at = days_before(closes_at, days)
        if at <= now:
            due = (days, at)
    return due


def meeting_starts_at(meeting: Any) -> dt.datetime:
    start = meeting.start_time or dt.time(9, 0)
    return timezone.make_aware(
        dt.datetime.combine(meeting.date, start), timezone.get_current_timezone()
    )


@transaction.atomic
def reminders_schedule(*, now: dt.datetime) -> None:
    from consultations.models import Round
    from consultations.phases import Phase
    from teams.models import Meeting

    live = Round.objects.filter(status__in=[Phase.ANNOUNCED, Phase.OPEN])
    for round_ in live.filter(opens_at__lte=now, opens_at__gt=now - CATCH_UP):
        _enqueue_all(
            round_audience(round_),
            kind="round_opened",
            subject=round_,
            due_at=round_.opens_at,
        )
    for round_ in live.filter(closes_at__lte=now, closes_at__gt=now - CATCH_UP):
        notify_round_closed(round_)
    horizon = now + dt.timedelta(days=max(reminder_days(), default=0) + 1)
    for round_ in live.filter(opens_at__lte=now, closes_at__gt=now, closes_at__lte=horizon):
        due = due_reminder(round_.closes_at, now)
        if due is None:
            continue
        days, at = due
        commented = round_.comments.filter(
            parent=None, withdrawn_at=None, organisation__isnull=False
        ).values("organisation_id")
        reps = _users(
            Q(
                representations__status="approved",
                representations__organisation__verified_at__isnull=False,
            )
            & ~Q(representations__organisation__in=commented)
        )
        _enqueue_all(
            reps,
            kind="round_reminder",
            subject=round_,
            occasion=f"close-minus-{days}d",
            due_at=at,
            data={"days": days},
        )
    today = timezone.localdate(now)
    upcoming = Meeting.objects.filter(
        status__in=[Meeting.Status.PLANNED, Meeting.Status.OPEN],
        date__gte=today,
        date__lte=today + dt.timedelta(days=2),
    )
    for meeting in upcoming:
        starts = meeting_starts_at(meeting)
        at = days_before(starts, 1)
        if at <= now < starts:
            _enqueue_all(
                _users(_team_members(meeting.team_id)),
                kind="meeting_reminder",
                subject=meeting,
                occasion=f"day-before-{meeting.date.isoformat()}",
                due_at=at,
            )


# --- Context at sending time ----------------------------------------------------------------


def context_for(row: Outbox) -> dict[str, Any] | None:
    """The template context of a row, or None when the message no longer makes sense."""
    subject = row.subject
    if subject is None:
        return None
    context: dict[str, Any] = {"object": subject, "data": row.data}
    if hasattr(subject, "get_absolute_url"):
        context["url"] = absolute(subject.get_absolute_url())
    if row.kind == "round_reminder":
        from consultations.phases import Phase

        if subject.phase != Phase.OPEN:
            return None
        if row.recipient is None:
            return None
        orgs = row.recipient.representations.filter(status="approved").values("organisation_id")
        if subject.comments.filter(
            parent=None, withdrawn_at=None, organisation_id__in=orgs
        ).exists():
            return None
        context["days"] = row.data.get("days")
    elif row.kind in ("round_closed", "report_published"):
        comments = subject.comments.filter(author_id=row.recipient_id, parent=None)
        context["comments"] = [
            {"comment": c, "url": absolute(f"{subject.get_absolute_url()}#comment-{c.pk}")}
            for c in comments
        ]
        context["report_url"] = absolute(subject.get_absolute_url()) + "report/"
    elif row.kind in ("comment_hidden", "comment_shown", "comment_settled", "comment_reply"):
        round_ = subject.round
        context["round"] = round_
        context["url"] = absolute(f"{round_.get_absolute_url()}#comment-{subject.pk}")
        if row.kind == "comment_hidden" and not subject.is_hidden:
            return None
        if row.kind == "comment_shown" and subject.is_hidden:
            return None
        if row.kind == "comment_reply":
            context["parent"] = subject.parent
    elif row.kind in ("meeting_invitation", "meeting_reminder"):
        if subject.status not in ("planned", "open"):
            return None
        context["starts_at"] = meeting_starts_at(subject)
        if row.kind == "meeting_invitation":
            context["attachments"] = [
                ("meeting.ics", meeting_ics(subject), "text/calendar; method=PUBLISH")
            ]
    return context


def _ics_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 74:
            out.append(current)
            current = " "
        current += char
    out.append(current)
    return "\r\n".join(out)


def meeting_ics(meeting: Any) -> str:
    """An iCalendar event for a meeting, in UTC (no VTIMEZONE needed)."""
    starts = meeting_starts_at(meeting)
    if meeting.end_time:
        ends = timezone.make_aware(
            dt.datetime.combine(meeting.date, meeting.end_time), timezone.get_current_timezone()
        )
    else:
        ends = starts + dt.timedelta(hours=2)
    fmt = "%Y%m%dT%H%M%SZ"
    host = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "localhost"
    location = meeting.place or meeting.online_url
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Krakow NGO//Portal//PL",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{host}",
        f"DTSTAMP:{timezone.now().astimezone(dt.UTC).strftime(fmt)}",
        f"DTSTART:{starts.astimezone(dt.UTC).strftime(fmt)}",
        f"DTEND:{ends.astimezone(dt.UTC).strftime(fmt)}",
        f"SUMMARY:{_ics_escape(meeting.title)}",
        f"URL:{absolute(meeting.get_absolute_url())}",
    ]
    if location:
        lines.append(f"LOCATION:{_ics_escape(location)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_ics_fold(line) for line in lines) + "\r\n"


ROUND_ACTIONS = {
    "round.announce": notify_round_announced,
    "round.open": notify_round_opened,
    "round.close": notify_round_closed,
    "round.publish_report": notify_report_published,
}


def notify_round_transition(round_: Any, action: str) -> None:
    """The one hook in consultations' phase transitions (announce, open, close, report)."""
    hook = ROUND_ACTIONS.get(action)
    if hook is not None:
        hook(round_)


@transaction.atomic
def notification_settings_save(
    *, user: Any, digest: bool, receive: set[str], kinds: set[str]
) -> None:
    """The person's choices: a weekly digest or not, and which ``kinds`` they receive (the
    others are opted out of). Messages already queued keep their schedule."""
    from .models import DigestChoice, NotificationOptOut

    if digest:
        DigestChoice.objects.get_or_create(user=user)
    else:
        DigestChoice.objects.filter(user=user).delete()
    NotificationOptOut.objects.filter(user=user, kind__in=receive).delete()
    for kind in sorted(kinds - receive):
        NotificationOptOut.objects.get_or_create(user=user, kind=kind)
