"""The outbox: enqueued once, claimed once, sent once; retried with backoff; failed for good
after OUTBOX_MAX_ATTEMPTS; opted-out kinds are never sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import NotificationOptOut, Outbox
from notifications.outbox import outbox_enqueue, outbox_sweep, retry_delay

pytestmark = pytest.mark.django_db

REFUSING = "tests.notifications.backends.RefusingBackend"


def test_it_enqueues_the_same_message_only_once(member, open_round):
    first = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round)
    second = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round)
    assert first is not None and second is not None
    assert first.pk == second.pk
    assert Outbox.objects.filter(kind="round_opened", subject_id=str(open_round.pk)).count() == 1


def test_a_different_occasion_is_a_different_message(member, open_round):
    outbox_enqueue(recipient=member, kind="round_reminder", subject=open_round, occasion="a")
    outbox_enqueue(recipient=member, kind="round_reminder", subject=open_round, occasion="b")
    assert Outbox.objects.filter(kind="round_reminder").count() == 2


def test_it_captures_the_address_and_language(member, open_round):
    member.language = "en"
    member.save()
    row = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round)
    assert row is not None
    assert (row.email, row.language) == (member.email, "en")


def test_the_sweep_sends_a_due_message_once(member, open_round):
    row = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round)
    assert row is not None
    mail.outbox.clear()
    first = outbox_sweep()
    second = outbox_sweep()
    assert row.pk in first.sent
    assert row.pk not in second.sent
    sent = [m for m in mail.outbox if m.extra_headers.get("X-Outbox-Id") == str(row.pk)]
    assert len(sent) == 1
    assert sent[0].to == [member.email]
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1


def test_a_message_due_later_waits(member, open_round):
    later = timezone.now() + dt.timedelta(hours=1)
    row = outbox_enqueue(recipient=member, kind="round_announced", subject=open_round, due_at=later)
    assert row is not None
    assert row.pk not in outbox_sweep().sent
    assert row.pk in outbox_sweep(now=later).sent


def test_a_row_claimed_by_another_sweep_waits_for_its_lease(member, open_round, settings):
    settings.OUTBOX_LEASE_SECONDS = 300
    row = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round)
    assert row is not None
    now = timezone.now()
    Outbox.objects.filter(pk=row.pk).update(claimed_at=now)  # another worker holds it
    assert row.pk not in outbox_sweep(now=now + dt.timedelta(seconds=10)).sent
    # That worker died: after the lease the row is claimed again and sent.
    assert row.pk in outbox_sweep(now=now + dt.timedelta(seconds=301)).sent


def test_a_claim_is_a_conditional_update(member, open_round):
    row = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round)
    assert row is not None
    now = timezone.now()
    assert Outbox.objects.filter(pk=row.pk, sent_at=None, claimed_at=None).update(claimed_at=now)
    assert not Outbox.objects.filter(pk=row.pk, sent_at=None, claimed_at=None).update(
        claimed_at=now
    )


def test_an_smtp_error_retries_with_exponential_backoff(member, open_round, settings):
    settings.EMAIL_BACKEND = REFUSING
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_MAX_ATTEMPTS = 5
    row = outbox_enqueue(recipient=member, kind="round_announced", subject=open_round)
    assert row is not None
    now = timezone.now()
    assert row.pk in outbox_sweep(now=now).retried
    row.refresh_from_db()
    assert row.attempts == 1
    assert row.due_at == now + dt.timedelta(seconds=60)
    assert "SMTPServerDisconnected" in row.last_error
    assert row.sent_at is None and row.claimed_at is None and row.failed_at is None
    # Not retried before its time; then the delay doubles.
    assert row.pk not in outbox_sweep(now=now + dt.timedelta(seconds=59)).retried
    later = now + dt.timedelta(seconds=60)
    outbox_sweep(now=later)
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.due_at == later + dt.timedelta(seconds=120)
    assert retry_delay(3) == dt.timedelta(seconds=240)


def test_after_the_last_attempt_the_failure_is_permanent(member, open_round, settings):
    settings.EMAIL_BACKEND = REFUSING
    settings.OUTBOX_MAX_ATTEMPTS = 3
    row = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round)
    assert row is not None
    now = timezone.now()
    for _ in range(3):
        outbox_sweep(now=now)
        now += dt.timedelta(days=1)
    row.refresh_from_db()
    assert row.failed_at is not None and row.attempts == 3 and row.sent_at is None
    # A permanently failed row is never picked up again, even after the backend recovers.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert row.pk not in outbox_sweep(now=now + dt.timedelta(days=30)).sent


def test_a_recovered_backend_sends_the_retried_message(member, open_round, settings):
    settings.EMAIL_BACKEND = REFUSING
    row = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round)
    assert row is not None
    now = timezone.now()
    outbox_sweep(now=now)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert row.pk in outbox_sweep(now=now + dt.timedelta(minutes=5)).sent


def test_an_opted_out_kind_is_not_sent(member, open_round):
    NotificationOptOut.objects.create(user=member, kind="round_opened")
    row = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round)
    other = outbox_enqueue(recipient=member, kind="round_announced", subject=open_round)
    assert row is not None and other is not None
    mail.outbox.clear()
    result = outbox_sweep()
    assert row.pk in result.cancelled
    assert other.pk in result.sent
    row.refresh_from_db()
    assert row.sent_at is None and row.cancel_reason == "opted out"


def test_a_recipient_without_an_address_gets_nothing(member, open_round):
    member.email = ""
    assert outbox_enqueue(recipient=member, kind="round_opened", subject=open_round) is None


def test_the_lease_starts_when_a_row_is_claimed_not_when_the_sweep_started(
    member, open_round, settings
):
    settings.OUTBOX_LEASE_SECONDS = 300
    # While the slow sweep sends, another sweep runs (see SlowBackend).
    settings.EMAIL_BACKEND = "tests.notifications.backends.SlowBackend"
    row = outbox_enqueue(recipient=member, kind="round_announced", subject=open_round)
    assert row is not None
    started_long_ago = timezone.now() - dt.timedelta(minutes=10)
    # Due before anything else, so that the slow sweep handles it first.
    Outbox.objects.filter(pk=row.pk).update(due_at=started_long_ago - dt.timedelta(days=3))
    mail.outbox.clear()
    result = outbox_sweep(now=started_long_ago)  # a sweep that started 10 minutes ago
    assert row.pk in result.sent
    sent = [m for m in mail.outbox if m.extra_headers.get("X-Outbox-Id") == str(row.pk)]
    assert len(sent) == 1


def test_the_management_command_runs_the_same_sweep(member, open_round):
    from io import StringIO

    from django.core.management import call_command

    row = outbox_enqueue(recipient=member, kind="round_announced", subject=open_round)
    assert row is not None
    out = StringIO()
    call_command("outbox_sweep", stdout=out)
    row.refresh_from_db()
    assert row.sent_at is not None
    assert out.getvalue().startswith("sent ")
