"""The outbox: every e-mail is a row, written with its cause, sent once by a sweep.

``outbox_enqueue`` is called inside the transaction of the change that causes the message, so
the message exists if and only if the change was committed. ``outbox_sweep`` (Celery beat,
every minute; or ``manage.py outbox_sweep``; or right after the commit that queued a message)
claims each due row with a conditional UPDATE, so two sweeps never send the same row, and marks
it sent with the next row's claim, in the same statement. See docs/notifications.md for the
guarantees.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, models, transaction
from django.db import connection as db
from django.db.models import F, Q
from django.utils import timezone, translation

from core.audit import audit_record
from core.site import absolute

from . import registry
from .audit import NotificationsAudit
from .emails import MessageRenderer, build_digest, sending_language
from .models import DigestChoice, NotificationOptOut, Outbox

logger = logging.getLogger(__name__)

# Set while a sweep runs: what it queues itself (reminders) it sends in the same pass.
_sweeping: contextvars.ContextVar[bool] = contextvars.ContextVar("outbox_sweeping", default=False)


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "OUTBOX_LEASE_SECONDS", 300)))


def _max_attempts() -> int:
    return int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", 6))


DIGEST_WEEKDAY = 0  # Monday
DIGEST_TIME = dt.time(8, 0)  # Europe/Warsaw


def next_digest_at(moment: dt.datetime) -> dt.datetime:
    """The first Monday 08:00 (Europe/Warsaw) at or after ``moment``."""
    local = timezone.localtime(moment)
    days = (DIGEST_WEEKDAY - local.weekday()) % 7
    candidate = dt.datetime.combine(local.date() + dt.timedelta(days=days), DIGEST_TIME)
    at = timezone.make_aware(candidate, timezone.get_current_timezone())
    if at < moment:
        at = timezone.make_aware(candidate + dt.timedelta(days=7), timezone.get_current_timezone())
    return at


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: base, 2×base, 4×base, … after the 1st, 2nd, 3rd failure."""
    base = int(getattr(settings, "OUTBOX_RETRY_BASE_SECONDS", 60))
    return dt.timedelta(seconds=base * 2 ** max(attempts - 1, 0))


@transaction.atomic
def outbox_enqueue(
    *,
    recipient: Any,
    kind: str,
    subject: models.Model,
    occasion: str = "",
    due_at: dt.datetime | None = None,
    data: dict[str, Any] | None = None,
) -> Outbox | None:
    """Queue one message, once: a second call with the same (recipient, kind, subject,
    occasion) returns the existing row unchanged (an unsent row due later is brought forward
    to ``due_at``). Returns None for a recipient without an e-mail address. Schedules a sweep
    after the commit, so that in development (no broker) the message goes out at once."""
    if recipient is None or not getattr(recipient, "email", ""):
        return None
    due_at = due_at or timezone.now()
    digest = (
        not registry.is_immediate(kind) and DigestChoice.objects.filter(user=recipient).exists()
    )
    if digest:
        due_at = next_digest_at(due_at)
    key = {
        "recipient": recipient,
        "kind": kind,
        "subject_type": ContentType.objects.get_for_model(subject),
        "subject_id": str(subject.pk),
        "occasion": occasion,
    }
    try:
        with transaction.atomic():
            # The address and language are a record of the moment; a row with an account is
            # sent with the account's own as they are when it goes (emails.sending_address).
            row, created = Outbox.objects.get_or_create(
                **key,
                defaults={
                    "email": recipient.email,
                    "language": getattr(recipient, "language", "") or settings.LANGUAGE_CODE,
                    "due_at": due_at,
                    "data": data or {},
                    "digest": digest,
                },
            )
    except IntegrityError:  # a concurrent transaction queued it first
        return Outbox.objects.get(**key)
    if not created and row.sent_at is None and row.due_at > due_at:
        # Not a retry: its backoff stands.
        Outbox.objects.filter(pk=row.pk, sent_at=None, attempts=0).update(due_at=due_at)
    if created and due_at <= timezone.now() and not _sweeping.get():
        # One kick per transaction, however many rows it queues.
        pending = transaction.get_connection().run_on_commit
        if not any(entry[1] is _kick_sweep for entry in pending):
            transaction.on_commit(_kick_sweep)
    return row


def _kick_sweep() -> None:
    """Ask for a sweep now. Eager without a broker; with one, a failure to reach it loses
    nothing: beat sweeps within a minute anyway."""
    try:
        outbox_sweep_task.apply_async(retry=False)
    except Exception:  # broker down: the row waits for the next sweep
        logger.warning("outbox: could not queue a sweep; beat will pick the message up")


def enqueue_all(users: Iterable[Any], *, kind: registry.Kind, **kwargs: Any) -> int:
    """Queue one message of ``kind`` to each person; returns how many were queued."""
    count = 0
    for user in users:
        if outbox_enqueue(recipient=user, kind=kind.name, **kwargs) is not None:
            count += 1
    return count


@transaction.atomic
def schedule(*, now: dt.datetime) -> None:
    """Queue what the clock causes: every app's registered scheduler (a round opening or
    closing by its dates, reminders before a round closes, the day before a meeting). Every
    sweep calls it; the outbox's unique key makes repeated calls harmless."""
    for scheduler in registry.schedulers():
        scheduler(now)


def context_for(row: Outbox, *, urls: dict[Any, str] | None = None) -> dict[str, Any] | None:
    """The template context of a row at sending time, from the current state: the subject,
    the row's data and the subject's address, then what the row's kind adds. None when the
    message no longer makes sense (its subject is gone, the kind is not declared, or the kind
    says so), built in the language the row is sent in (its recipient's as it is now).
    ``urls``: a sweep's memo of its subjects' addresses."""
    subject = row.subject
    declared = registry.kind(row.kind)
    if subject is None or declared is None:
        return None
    context: dict[str, Any] = {"object": subject, "data": row.data}
    if hasattr(subject, "get_absolute_url"):
        memo = {} if urls is None else urls
        key = (row.subject_type_id, str(row.subject_id))
        if key not in memo:
            memo[key] = absolute(subject.get_absolute_url())
        context["url"] = memo[key]
    # In the recipient's language, as the message is rendered (emails.render_email): what a
    # kind builds here, a calendar file's team name say, is read with it.
    with translation.override(sending_language(row)):
        return declared.context(row, context)


@dataclass
class SweepResult:
    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    skipped: int = 0  # claimed by another sweep first


def outbox_sweep(*, now: dt.datetime | None = None, limit: int = 1000) -> SweepResult:
    """Send what is due: unsent rows whose due time has come and which nobody holds (or whose
    holder's lease of OUTBOX_LEASE_SECONDS ran out: it crashed). Rows go in batches of
    OUTBOX_BATCH_SIZE: one query reads a batch with its recipients, subjects and opt-outs, one
    mail connection sends it, and each (kind, subject, language) is rendered once. Each row is
    still claimed with a conditional UPDATE, one statement that also marks the row sent before
    it (which the mail server took), so a crash loses nothing and holds at most the row in hand
    until its lease runs out."""
    now = now or timezone.now()
    token = _sweeping.set(True)
    try:
        schedule(now=now)
        return _sweep(now=now, limit=limit)
    finally:
        _sweeping.reset(token)


def _claim_time(now: dt.datetime) -> dt.datetime:
    """The lease starts when the row is claimed, not when the sweep started: a long sweep
    must not hand a row to another sweep while it is still about to send it."""
    return max(now, timezone.now())


def _batch_size() -> int:
    return max(1, int(getattr(settings, "OUTBOX_BATCH_SIZE", 100)))


def _sweep(*, now: dt.datetime, limit: int) -> SweepResult:
    result = SweepResult()
    expired = now - _lease()
    due = list(
        Outbox.objects.pending()
        .filter(due_at__lte=now)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=expired), digest=False)
        .order_by("due_at", "pk")
        .values_list("pk", "claimed_at")[:limit]
    )
    renderer = MessageRenderer()
    size = _batch_size()
    for start in range(0, len(due), size):
        _send_batch(due[start : start + size], now=now, renderer=renderer, result=result)
    _sweep_digests(now=now, expired=expired, result=result)
    return result


def _send_batch(
    batch: list[tuple[int, dt.datetime | None]],
    *,
    now: dt.datetime,
    renderer: MessageRenderer,
    result: SweepResult,
) -> None:
    rows = Outbox.objects.select_related("recipient").in_bulk([pk for pk, _claimed in batch])
    _attach_subjects(list(rows.values()))
    opted_out = set(
        NotificationOptOut.objects.filter(
            user_id__in={row.recipient_id for row in rows.values() if row.recipient_id}
        ).values_list("user_id", "kind")
    )
    mailer = get_connection()
    hand = _Hand(now=now, result=result)
    try:
        for pk, claimed_at in batch:
            row = rows.get(pk)
            # Claimed only as it was read: unsent, due, held by nobody (or by a dead sweep),
            # not retried by another sweep meanwhile.
            if row is None or not hand.claim(row, claimed_at=claimed_at):
                result.skipped += 1
                continue
            if (row.recipient_id, row.kind) in opted_out:
                _cancel(row, now, "opted out", result)
                continue
            if _account_closed(row):
                _cancel(row, now, ACCOUNT_CLOSED, result)
                continue
            if _deliver(row, now=now, result=result, renderer=renderer, mailer=mailer):
                hand.sent(row)
    finally:
        hand.release()
        _close(mailer)


_TABLE = Outbox._meta.db_table
# The one statement each row costs, written once in SQL (the ORM's query building cost more
# than the statement itself): the claim of a pending row exactly as it was read, which marks
# the row sent before it (if any) in the same statement, so in the same commit. The claim's
# conditions apply to the claimed row only; the mark's row is named by its id.
_CLAIM = (
    f"UPDATE {_TABLE} SET"  # noqa: S608
    " claimed_at = CASE WHEN id = %s THEN %s ELSE claimed_at END,"
    " sent_at = CASE WHEN id = %s THEN %s ELSE sent_at END,"
    " attempts = CASE WHEN id = %s THEN %s ELSE attempts END"
    " WHERE id = %s OR (id = %s AND sent_at IS NULL AND failed_at IS NULL"
    " AND cancelled_at IS NULL AND attempts = %s AND due_at <= %s AND {claimed})"
    " RETURNING id"
)
_MARK_SENT = f"UPDATE {_TABLE} SET sent_at = %s, attempts = %s WHERE id = %s"  # noqa: S608


class _Hand:
    """A batch's claims and marks. The row sent and not yet marked sent is *in hand*; its mark
    goes with the next claim, in one statement: a row costs one statement and one commit, and
    at any moment the sweep holds at most one row claimed and unsent (a worker killed then
    sends that one row again after its lease, nothing more). What is in hand at the end of the
    batch is marked alone."""

    def __init__(self, *, now: dt.datetime, result: SweepResult) -> None:
        self.now = now
        self.due = _sql_time(now)
        self.result = result
        self.held: tuple[int, int] | None = None  # id and attempts of the row in hand

    def sent(self, row: Outbox) -> None:
        self.release()  # never two rows in hand
        self.held = (row.pk, row.attempts + 1)

    def claim(self, row: Outbox, *, claimed_at: dt.datetime | None) -> bool:
        """Claim a pending row as it was read: due, held by nobody (or by a sweep whose lease
        ran out, ``claimed_at`` as read), not retried by another sweep meanwhile
        (``attempts``); and mark the row in hand sent, at the same time."""
        marked, attempts = self.held or (None, None)
        moment = _sql_time(_claim_time(self.now))
        params: list[Any] = [row.pk, moment, marked, moment, marked, attempts]
        params += [marked, row.pk, row.attempts, self.due]
        if claimed_at is None:
            sql = _CLAIM.format(claimed="claimed_at IS NULL")
        else:
            sql = _CLAIM.format(claimed="claimed_at = %s")
            params.append(_sql_time(claimed_at))
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            changed = {pk for (pk,) in cursor.fetchall()}
        self._marked()
        return row.pk in changed

    def release(self) -> None:
        """Mark the row in hand sent, alone."""
        if self.held is not None:
            marked, attempts = self.held
            with db.cursor() as cursor:
                cursor.execute(_MARK_SENT, [_sql_time(timezone.now()), attempts, marked])
            self._marked()

    def _marked(self) -> None:
        if self.held is not None:
            self.result.sent.append(self.held[0])
        self.held = None


ACCOUNT_CLOSED = "account closed"


def _account_closed(row: Outbox) -> bool:
    """Nobody to write to any more: the account was closed (teams.services.user_delete_account
    leaves it inactive at a ``deleted-<id>@invalid`` address) or deactivated, its address was
    cleared, or it was removed outright (erased in the admin, an unconfirmed sign-up purged:
    every row is queued with a recipient, ``outbox_enqueue``, so a row without one outlived
    its account). A row goes to the account's address as it is when it is sent."""
    recipient = row.recipient if row.recipient_id is not None else None
    return recipient is None or not recipient.is_active or not recipient.email


def _sql_time(moment: dt.datetime) -> Any:
    """An instant as the database's own column stores it (SQLite: text in UTC)."""
    return db.ops.adapt_datetimefield_value(moment)


def _attach_subjects(rows: list[Outbox]) -> None:
    """Each row's subject, read once per batch (one query per content type) and cached on the
    rows; a subject that is gone is cached as None."""
    wanted: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        wanted[row.subject_type_id].add(row.subject_id)
    field = Outbox._meta.get_field("subject")
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        found = {str(obj.pk): obj for obj in model._base_manager.filter(pk__in=list(ids))}
        for row in rows:
            if row.subject_type_id == type_id:
                field.set_cached_value(row, found.get(str(row.subject_id)))


def _close(mailer: BaseEmailBackend) -> None:
    """Close a batch's mail connection; a server that hangs up first changes nothing sent."""
    try:
        mailer.close()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("outbox: closing the mail connection failed: %s", error)


def _sweep_digests(*, now: dt.datetime, expired: dt.datetime, result: SweepResult) -> None:
    """Each recipient's due digest rows go out together, as one message."""
    due = (
        Outbox.objects.pending()
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=expired), digest=True, due_at__lte=now)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for recipient_id in set(due):
        rows = []
        for pk, claimed_at in (
            Outbox.objects.pending()
            .filter(
                Q(claimed_at=None) | Q(claimed_at__lt=expired),
                digest=True,
                due_at__lte=now,
                recipient_id=recipient_id,
            )
            .values_list("pk", "claimed_at")
        ):
            if Outbox.objects.filter(pk=pk, sent_at=None, claimed_at=claimed_at).update(
                claimed_at=_claim_time(now)
            ):
                rows.append(Outbox.objects.select_related("recipient").get(pk=pk))
        items = []
        opted_out = set(
            NotificationOptOut.objects.filter(user_id=recipient_id).values_list("kind", flat=True)
        )
        for row in rows:
            if _account_closed(row):
                _cancel(row, now, ACCOUNT_CLOSED, result)
                continue
            try:
                context = None if row.kind in opted_out else context_for(row)
            except Exception as error:
                _fail(row, now, error, result)
                continue
            if context is None:
                _cancel(row, now, "opted out or no longer relevant", result)
                continue
            items.append((row, context))
        # Rows whose account is gone were cancelled above (_account_closed): what is left
        # is one recipient's, to their one address.
        if items:
            _send_digest(items, now=now, result=result)


def _send_digest(
    items: list[tuple[Outbox, dict[str, Any]]], *, now: dt.datetime, result: SweepResult
) -> None:
    try:
        build_digest(items).send()
    except Exception as error:
        for row, _context in items:
            _fail(row, now, error, result)
        return
    ids = [row.pk for row, _context in items]
    Outbox.objects.filter(pk__in=ids).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
    result.sent.extend(ids)


def _deliver(
    row: Outbox,
    *,
    now: dt.datetime,
    result: SweepResult,
    renderer: MessageRenderer,
    mailer: BaseEmailBackend,
) -> bool:
    """Send one claimed row; True if the mail server took it (the caller marks it sent)."""
    try:
        context = context_for(row, urls=renderer.urls)
        if context is None:
            _cancel(row, now, "no longer relevant", result)
            return False
        message = renderer.message(row, context)
        mailer.open()  # kept open for the batch (a no-op once it is open)
        mailer.send_messages([message])
    except Exception as error:  # SMTP refusals, network errors, a broken template
        _fail(row, now, error, result)
        _close(mailer)  # the next message opens a fresh connection
        return False
    # From here until its mark (with the next claim, see _Hand) is the one window where a
    # crash sends a row twice.
    return True


def _cancel(row: Outbox, now: dt.datetime, reason: str, result: SweepResult) -> None:
    Outbox.objects.filter(pk=row.pk).update(cancelled_at=now, cancel_reason=reason)
    result.cancelled.append(row.pk)


def _fail(row: Outbox, now: dt.datetime, error: Exception, result: SweepResult) -> None:
    attempts = row.attempts + 1
    text = f"{type(error).__name__}: {error}"[:2000]
    logger.warning("outbox: row %s attempt %s failed: %s", row.pk, attempts, text)
    if attempts >= _max_attempts():
        Outbox.objects.filter(pk=row.pk).update(
            attempts=attempts, last_error=text, failed_at=now, claimed_at=None
        )
        result.failed.append(row.pk)
        return
    Outbox.objects.filter(pk=row.pk).update(
        attempts=attempts,
        last_error=text,
        claimed_at=None,
        due_at=now + retry_delay(attempts),
    )
    result.retried.append(row.pk)


@transaction.atomic
def outbox_retry(*, actor: Any, row_id: int) -> bool:
    """A coordinator sends a permanently failed message again (e.g. after fixing the
    address): it becomes due now with a fresh count of attempts. False if it was not failed."""
    now = timezone.now()
    updated = Outbox.objects.filter(pk=row_id, failed_at__isnull=False, sent_at=None).update(
        failed_at=None, attempts=0, claimed_at=None, due_at=now
    )
    if updated:
        row = Outbox.objects.get(pk=row_id)
        audit_record(
            actor=actor, action=NotificationsAudit.OUTBOX_RETRY, target=row, data={"kind": row.kind}
        )
        transaction.on_commit(_kick_sweep)
    return bool(updated)


@shared_task(name="krakow_ngo.tasks.outbox_sweep_task", ignore_result=True)
def outbox_sweep_task() -> int:
    """Send the due outbox rows (beat runs this every minute). Returns how many were sent."""
    return len(outbox_sweep().sent)
