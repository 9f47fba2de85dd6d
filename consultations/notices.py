"""What consultation rounds tell people by e-mail. Each kind is declared once here (see
notifications.registry); consultations.apps imports this module when the app registry is ready.
The services call the ``notify_*`` hooks inside their transactions; the scheduler queues what
the clock causes (a round opening or closing by its dates, reminders before it closes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.confirm import Audience
from core.site import absolute
from notifications import registry
from notifications.models import Outbox
from notifications.outbox import enqueue_all, outbox_enqueue
from teams.models import User
from teams.notices import (
    CATCH_UP,
    active_representatives,
    days_before,
    people,
    reachable,
    team_members,
)

from . import changes
from .audit import ConsultationsAudit
from .models import Comment, Round, Support
from .phases import Phase


def may_take_part() -> Q:
    """People who may take part in any round (``permissions.Viewer.is_commenter`` as a
    query): representatives of verified organisations, experts and city officials. Their
    roles are global (teams.models.User), so every round addresses all of them."""
    return active_representatives() | Q(is_expert=True) | Q(is_official=True)


def round_audience(round_: Round) -> Q:
    """Everyone the round addresses: the one rule behind the announcement, the opening
    (by hand or by its dates), the reminders and the closing. Those who may take part, and
    the members of the consulted meeting's team."""
    team_id = round_.meeting.team_id if round_.meeting_id else None  # type: ignore[union-attr]
    return team_members(team_id) | may_take_part()


def _commented(round_: Round) -> Q:
    """Who has spoken in the round: the authors of its counted comments and the
    representatives of the organisations those comments speak for."""
    counted = round_.comments.counted()
    return Q(pk__in=counted.exclude(author=None).values("author_id")) | Q(
        representations__organisation__in=counted.counted_organisations()
    )


def reminder_audience(round_: Round) -> Q:
    """Those the round addresses who may still comment and have not (for an organisation,
    nobody has commented on its behalf): asked when the reminder is queued and again when it
    is sent."""
    return round_audience(round_) & may_take_part() & ~_commented(round_)


def closing_audience(round_: Round) -> Q:
    """Everyone the round addresses, and whoever commented in it (each notice lists the
    recipient's own comments)."""
    return round_audience(round_) | Q(consultation_comments__round=round_)


def round_commenters(round_: Round) -> list[User]:
    return people(Q(consultation_comments__round=round_))


def reminder_days() -> list[int]:
    return sorted(getattr(settings, "CONSULTATIONS_REMINDER_DAYS", [7, 3, 1]), reverse=True)


def due_reminder(
    closes_at: dt.datetime, now: dt.datetime, opens_at: dt.datetime | None = None
) -> tuple[int, dt.datetime] | None:
    """The latest reminder (days, instant) whose instant has come, if the round is still open;
    earlier reminders that were missed are not sent late on top of it. None whose instant is
    before the round opened (``opens_at``): a round open for 5 days gets no "7 days left",
    which came with, or before, the notice that it had opened."""
    if now >= closes_at:
        return None
    due = None
    for days in reminder_days():
        at = days_before(closes_at, days)
        if at <= now and (opens_at is None or at > opens_at):
            due = (days, at)
    return due


def days_left(closes_at: dt.datetime, now: dt.datetime) -> int:
    """What a reminder sent ``now`` says is left: the fewest days ``d`` (at least 1) whose
    reminder instant (``days_before(closes_at, d)``, Warsaw wall clock) has come. The 7-day
    reminder sent a minute after its instant still says 7 (6 days 23:59 rounded down said 6);
    one sent late, after an outage, says how many are really left, not how many it was
    planned for."""
    days = 1
    while days < 366 and days_before(closes_at, days) > now:
        days += 1
    return days


# --- Context at sending time ----------------------------------------------------------------


def _reminder_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    round_ = row.subject
    if round_.phase != Phase.OPEN or row.recipient is None:
        return None
    if not reachable(reminder_audience(round_)).filter(pk=row.recipient_id).exists():
        return None
    planned = int(row.data.get("days") or 0) or None
    left = days_left(round_.closes_at, timezone.now())
    context["days"] = min(planned, left) if planned else left
    # Reminded for an organisation nobody has commented for, or for themselves (an expert, an
    # official): the e-mail says which. In the row's data, as a sweep renders a kind once per
    # subject, language and data (rows queued before it was there: for an organisation).
    context["for_organisation"] = row.data.get("for_organisation", True)
    return context


def _own_comments_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    round_ = row.subject
    # The comments that count (the report's): one the author withdrew is not in the report,
    # and listed here it read as if it had been left unanswered.
    comments = round_.comments.counted().filter(author_id=row.recipient_id)
    context["comments"] = [{"comment": c, "url": absolute(c.get_absolute_url())} for c in comments]
    context["report_url"] = absolute(round_.get_absolute_url()) + "report/"
    return context


def _comment_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    comment = row.subject
    round_ = comment.round
    context["round"] = round_
    context["url"] = absolute(comment.get_absolute_url())
    return context


def _settled_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    """The disposition, and what changed in the draft because of the comment (as it is when
    the e-mail goes out), with the stable link to that change."""
    found = _comment_context(row, context)
    if found is not None:
        comment = row.subject
        found["change"] = changes.comment_changes([comment]).get(comment.pk)
        found["change_url"] = absolute(reverse("consultations:comment-change", args=[comment.pk]))
    return found


def _assigned_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    context["round"] = row.subject
    context["url"] = absolute(reverse("consultations:my-answers"))
    return context


def _hidden_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    return _comment_context(row, context) if row.subject.is_hidden else None


def _shown_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    return None if row.subject.is_hidden else _comment_context(row, context)


def _reply_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    found = _comment_context(row, context)
    if found is not None:
        found["parent"] = row.subject.parent
    return found


def _supported_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    """None when the support was withdrawn before the e-mail went out (the digest sends it up to
    a week later): there is nothing to tell any more."""
    comment = row.subject
    if not comment.supports.filter(organisation_id=row.data.get("organisation")).exists():
        return None
    found = _comment_context(row, context)
    if found is not None:
        found["organisation"] = row.data.get("organisation_name", "")
    return found


ROUND_ANNOUNCED = registry.register(
    "round_announced", label=_("announcements of consultation rounds")
)


def _opened_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    """Only while the round is open: a notice held for the weekly digest said "comments are
    open" for a round that had closed meanwhile (its closing notice says what is true)."""
    return context if row.subject.phase == Phase.OPEN else None


ROUND_OPENED = registry.register(
    "round_opened", label=_("notices that a consultation round is open"), context=_opened_context
)
ROUND_REMINDER = registry.register(
    "round_reminder",
    label=_("reminders before a consultation round closes"),
    context=_reminder_context,
    immediate=True,
)
ROUND_CLOSED = registry.register(
    "round_closed",
    label=_("notices that a consultation round has closed"),
    context=_own_comments_context,
    personal=True,
)
REPORT_PUBLISHED = registry.register(
    "report_published",
    label=_("consultation reports of rounds you commented in"),
    context=_own_comments_context,
    personal=True,
)
COMMENT_HIDDEN = registry.register(
    "comment_hidden", label=_("notices that your comment was hidden"), context=_hidden_context
)
COMMENT_SHOWN = registry.register(
    "comment_shown",
    label=_("notices that your hidden comment is shown again"),
    context=_shown_context,
)
COMMENT_SETTLED = registry.register(
    "comment_settled", label=_("dispositions of your comments"), context=_settled_context
)
COMMENT_REPLY = registry.register(
    "comment_reply", label=_("replies to your comments"), context=_reply_context
)
COMMENT_SUPPORTED = registry.register(
    "comment_supported",
    label=_("supports of your comments by organisations"),
    context=_supported_context,
)
COMMENTS_ASSIGNED = registry.register(
    "comments_assigned",
    label=_("comments assigned to you to draft their answers"),
    context=_assigned_context,
)


# --- Hooks called by the services -----------------------------------------------------------


def notify_round_closed(round_: Round) -> None:
    notify_round_transition(round_, ConsultationsAudit.ROUND_CLOSE)


def _to_author(comment: Comment, kind: registry.Kind, occasion: str = "", **data: Any) -> None:
    """A notice about the comment to its author (none for a comment registered without an
    account behind it)."""
    if comment.author_id:
        outbox_enqueue(
            recipient=comment.author,
            kind=kind.name,
            subject=comment,
            occasion=occasion,
            data=data or None,
        )


def notify_comment_hidden(comment: Comment) -> None:
    if comment.hidden_at:
        # Hidden, shown and hidden again is a new occasion each time.
        _to_author(comment, COMMENT_HIDDEN, comment.hidden_at.isoformat())


def notify_comment_shown(comment: Comment, reason: str) -> None:
    """A hidden comment shown again: its author is told, with the moderator's reason."""
    _to_author(comment, COMMENT_SHOWN, f"version-{comment.version}", reason=reason)


def notify_comments_settled(comments: Iterable[Comment]) -> None:
    """The author is told the disposition and its justification. The coordinating team may
    settle a comment again until it marks the round settled: an e-mail nobody is sending yet
    says the decision as it is when it goes; once one went out (or a sweep holds it, so it may
    have), a different decision is e-mailed again, as a change ("changed" in its data), the
    same decision saved again is not news, and a change still waiting is cancelled if the
    decision goes back to the one told. (An e-mail sent before 6 December 2026 did not record
    its decision: any decision saved after it is told as a change.)"""
    for comment in comments:
        decision = {"disposition": comment.disposition, "justification": comment.justification}
        earlier = list(
            Outbox.objects.about(comment).filter(kind=COMMENT_SETTLED.name).order_by("pk")
        )
        if not earlier:
            _to_author(comment, COMMENT_SETTLED, **decision)
            continue
        live = [row for row in earlier if row.cancelled_at is None and row.failed_at is None]
        waiting = [row for row in live if row.sent_at is None and row.claimed_at is None]
        told_rows = [row for row in live if row not in waiting]  # sent, or being sent
        told = {key: told_rows[-1].data.get(key) for key in decision} if told_rows else None
        if waiting:
            still = Outbox.objects.filter(
                pk__in=[row.pk for row in waiting], sent_at=None, claimed_at=None
            )
            if told == decision:  # back to what the author was told: no change to tell
                still.update(cancelled_at=timezone.now(), cancel_reason="decision as told before")
                continue
            if still.update(data={**waiting[-1].data, **decision}):
                continue  # it goes out with this decision: its record says so
            # A sweep took it meanwhile: told as it was; this decision follows as a change.
        if told != decision:
            _to_author(
                comment,
                COMMENT_SETTLED,
                f"version-{comment.version}",
                **decision,
                changed=bool(told_rows) or bool(waiting),
            )


def notify_comments_assigned(
    round_: Round, comments: list[Comment], assignee: User, at: dt.datetime
) -> None:
    """One e-mail per assignment (a comment or a group) to the person who drafts the
    answers, naming the comments and linking to their queue."""
    outbox_enqueue(
        recipient=assignee,
        kind=COMMENTS_ASSIGNED.name,
        subject=round_,
        occasion=at.isoformat(),
        data={"numbers": [c.registration_number or f"#{c.pk}" for c in comments]},
    )


def notify_comment_posted(comment: Comment) -> None:
    """A reply tells the author of the comment it answers (unless they reply to themselves),
    once a day for each person who replies: the first reply of the day (Europe/Warsaw) by a
    person under a comment is e-mailed, with the link to the thread, and that person's further
    replies there that day are not. Otherwise anyone could fill a stranger's mailbox with a
    reply a second, each quoted in an e-mail."""
    parent = comment.parent
    if parent is None or not parent.author_id or parent.author_id == comment.author_id:
        return
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    earlier = parent.replies.filter(author_id=comment.author_id, created_at__gte=today)
    if earlier.exclude(pk=comment.pk).exists():
        return
    outbox_enqueue(recipient=parent.author, kind=COMMENT_REPLY.name, subject=comment)


def notify_comment_supported(support: Support) -> None:
    """The comment's author is told which organisation supports it, unless they gave the
    support themselves (an expert's comment supported by the organisation they represent).
    Once per organisation: a support taken back and given again is not news a second time
    if the first e-mail went out, or is still to go (it goes if the support stands by then);
    if the first was cancelled because the support had been taken back, the new support is
    told."""
    comment = support.comment
    if support.user_id is not None and support.user_id == comment.author_id:
        return
    occasion = f"organisation-{support.organisation_id}"
    earlier = (
        Outbox.objects.about(comment)
        .filter(kind=COMMENT_SUPPORTED.name)
        .filter(Q(occasion=occasion) | Q(occasion__startswith=f"{occasion}-"))
    )
    if earlier.filter(cancelled_at=None).exists():
        return
    if earlier.exists():  # each earlier one cancelled: this support is news
        occasion = f"{occasion}-support-{support.pk}"
    _to_author(
        comment,
        COMMENT_SUPPORTED,
        occasion,
        organisation=support.organisation_id,
        organisation_name=support.organisation.name,
    )


def _addressed(round_: Round) -> list[User]:
    return people(round_audience(round_))


def _addressed_described(round_: Round) -> str:
    if round_.meeting_id:
        team = round_.meeting.team.local_name  # type: ignore[union-attr]
        return _(
            "members of team %(team)s, representatives of verified organisations, experts and "
            "city officials"
        ) % {"team": team}
    return str(_("representatives of verified organisations, experts and city officials"))


def _closing(round_: Round) -> list[User]:
    return people(closing_audience(round_))


def _closing_described(round_: Round) -> str:
    return str(_("everyone the round addresses, and the people who commented in it"))


def _commenters_described(round_: Round) -> str:
    return str(_("the people who commented in this round"))


@dataclass(frozen=True)
class RoundNotice:
    """What a phase transition e-mails, and to whom (with the words that say who they are)."""

    kind: registry.Kind
    audience: Callable[[Round], list[User]]
    described: Callable[[Round], str]


ROUND_NOTICES = {
    ConsultationsAudit.ROUND_ANNOUNCE: RoundNotice(
        ROUND_ANNOUNCED, _addressed, _addressed_described
    ),
    ConsultationsAudit.ROUND_OPEN: RoundNotice(ROUND_OPENED, _addressed, _addressed_described),
    ConsultationsAudit.ROUND_CLOSE: RoundNotice(ROUND_CLOSED, _closing, _closing_described),
    ConsultationsAudit.ROUND_PUBLISH_REPORT: RoundNotice(
        REPORT_PUBLISHED, round_commenters, _commenters_described
    ),
}


def transition_audience(round_: Round, action: ConsultationsAudit) -> Audience | None:
    """Who ``notify_round_transition`` would e-mail now, for the step's confirmation page."""
    notice = ROUND_NOTICES.get(action)
    if notice is None:
        return None
    return Audience(len(notice.audience(round_)), notice.described(round_))


def notify_round_transition(round_: Round, action: ConsultationsAudit) -> None:
    """The one hook in consultations' phase transitions (announce, open, close, report)."""
    notice = ROUND_NOTICES.get(action)
    if notice is not None:
        enqueue_all(notice.audience(round_), kind=notice.kind, subject=round_, occasion="")


@registry.register_scheduler
def rounds_schedule(now: dt.datetime) -> None:
    """Rounds opening and closing by their dates, and the reminders before one closes."""
    live = Round.objects.filter(status__in=[Phase.ANNOUNCED, Phase.OPEN])
    for round_ in live.filter(opens_at__lte=now, opens_at__gt=now - CATCH_UP):
        enqueue_all(
            people(round_audience(round_)),
            kind=ROUND_OPENED,
            subject=round_,
            due_at=round_.opens_at,
        )
    for round_ in live.filter(closes_at__lte=now, closes_at__gt=now - CATCH_UP):
        notify_round_closed(round_)
    horizon = now + dt.timedelta(days=max(reminder_days(), default=0) + 1)
    for round_ in live.filter(opens_at__lte=now, closes_at__gt=now, closes_at__lte=horizon):
        due = due_reminder(round_.closes_at, now, round_.opens_at)
        if due is None:
            continue
        days, at = due
        for for_organisation in (True, False):
            speaks_for = active_representatives() if for_organisation else ~active_representatives()
            enqueue_all(
                people(reminder_audience(round_) & speaks_for),
                kind=ROUND_REMINDER,
                subject=round_,
                occasion=f"close-minus-{days}d",
                due_at=at,
                data={"days": days, "for_organisation": for_organisation},
            )
