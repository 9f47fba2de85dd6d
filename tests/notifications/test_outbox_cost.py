"""What a swept row costs: one statement (its claim carries the previous row's mark), and no
header encoded twice in a sweep; still at most one row in the sweep's hands at any moment,
and each MIME message the one Django builds."""

from __future__ import annotations

import datetime as dt
import re
from email.utils import formatdate, make_msgid
from typing import Any

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Outbox
from notifications.outbox import outbox_enqueue, outbox_sweep
from teams.models import User

pytestmark = pytest.mark.django_db


def queue(round_: Any, count: int) -> tuple[list[int], dt.datetime]:
    """``count`` people (every third in English), one announcement each, due in a minute."""
    outbox_sweep()  # what the fixtures and the clock queued
    users = User.objects.bulk_create(
        User(email=f"cost{i}@example.org", language="en" if i % 3 == 0 else "pl")
        for i in range(count)
    )
    due = timezone.now() + dt.timedelta(minutes=1)
    rows = [
        outbox_enqueue(recipient=user, kind="round_announced", subject=round_, due_at=due)
        for user in users
    ]
    return [row.pk for row in rows if row is not None], due


def test_a_row_costs_one_statement(open_round):
    pks, due = queue(open_round, 30)
    with CaptureQueriesContext(connection) as sweep:
        result = outbox_sweep(now=due)
    assert set(pks) <= set(result.sent)
    with CaptureQueriesContext(connection) as empty:  # the clock's part: the schedulers
        assert not outbox_sweep(now=due).sent
    # Per row one statement: the row's claim, which also marks the row sent before it; the
    # rest is per batch.
    assert len(sweep) - len(empty) <= 30 + 10


class InHandBackend(BaseEmailBackend):
    """Django's in-memory backend that records, at each message, which rows are claimed and
    not marked sent: what a worker killed at that moment would leave in its hands."""

    in_hand: list[tuple[str, set[int]]] = []

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        from django.core.mail.backends.locmem import EmailBackend

        held = set(
            Outbox.objects.filter(sent_at=None, claimed_at__isnull=False).values_list(
                "pk", flat=True
            )
        )
        for message in email_messages:
            InHandBackend.in_hand.append((message.extra_headers["X-Outbox-Id"], held))
        return EmailBackend().send_messages(email_messages)


def test_while_a_message_is_sent_the_sweep_holds_that_row_alone(open_round, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox_cost.InHandBackend"
    settings.OUTBOX_BATCH_SIZE = 4
    pks, due = queue(open_round, 10)
    InHandBackend.in_hand = []
    result = outbox_sweep(now=due)
    assert set(pks) <= set(result.sent)
    # Each earlier message is marked sent before the next one leaves, across batches too.
    assert [(row, held) for row, held in InHandBackend.in_hand if held != {int(row)}] == []
    assert {int(row) for row, _held in InHandBackend.in_hand} >= set(pks)
    assert not Outbox.objects.filter(pk__in=pks, sent_at=None).exists()


def test_a_sweep_encodes_each_subject_and_sender_once(open_round, monkeypatch):
    from django.core.mail import message as django_message

    pks, due = queue(open_round, 9)
    encoded: list[tuple[str, str]] = []
    original = django_message.forbid_multi_line_headers

    def counting(name: str, value: Any, encoding: str) -> tuple[str, str]:
        if name in ("Subject", "From") and value:
            encoded.append((name, str(value)))
        return original(name, value, encoding)

    monkeypatch.setattr(django_message, "forbid_multi_line_headers", counting)
    from notifications.emails import _encoded_header

    _encoded_header.cache_clear()  # what earlier tests encoded
    result = outbox_sweep(now=due)
    assert set(pks) <= set(result.sent)
    subjects = [value for name, value in encoded if name == "Subject"]
    senders = [value for name, value in encoded if name == "From"]
    # Nine messages, two languages: two subjects, one sender, each encoded once.
    assert len(subjects) == len(set(subjects)) == 2
    assert len(senders) == len(set(senders)) == 1


def mime(message: EmailMultiAlternatives) -> bytes:
    """The message's bytes, its random multipart boundary made the same for every message."""
    return BOUNDARY.sub(b"BOUNDARY", message.message().as_bytes())


BOUNDARY = re.compile(rb"={15}\d+==")


@pytest.mark.parametrize(
    "subject", ["[Kraków NGO] Zapowiedź konsultacji: " + "łódź " * 30, "Plain ASCII subject"]
)
def test_an_outbox_message_is_the_mime_message_django_builds(subject, settings):
    from notifications.emails import OutboxMessage

    settings.DEFAULT_FROM_EMAIL = "Kraków NGO <noreply@example.org>"
    fields: dict[str, Any] = {
        "subject": subject,
        "body": "Dzień dobry,\n\ntreść wiadomości.\n",
        "to": ["person@example.org"],
        "headers": {
            "X-Outbox-Id": "7",
            "Date": formatdate(),
            "Message-ID": make_msgid(domain="example.org"),
        },
    }
    ours, django_own = OutboxMessage(**fields), EmailMultiAlternatives(**fields)
    for message in (ours, django_own):
        message.attach_alternative("<p>Dzień dobry</p>", "text/html")
    for _ in range(2):  # and again, from what the first encoding left behind
        assert mime(ours) == mime(django_own)
    assert (ours.subject, ours.from_email) == (subject, settings.DEFAULT_FROM_EMAIL)
