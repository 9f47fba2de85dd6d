"""The sweep in batches: one mail connection per batch, each (kind, subject, language) rendered
once, a bounded number of queries per row, and every message the same as the one rendered
alone for its recipient."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.emails import build_message
from notifications.models import Outbox
from notifications.outbox import context_for, outbox_enqueue, outbox_sweep
from teams.models import User

from .backends import CountingBackend

pytestmark = pytest.mark.django_db

COUNTING = "tests.notifications.backends.CountingBackend"


def queue(round_, count: int, kind: str = "round_announced") -> tuple[list[Outbox], dt.datetime]:
    """``count`` people (every third in English), one message each, due in a minute (so that
    nothing is sent before the sweep under test). What the fixtures and the clock queued (the
    round's opening notice) is sent first."""
    outbox_sweep()
    users = User.objects.bulk_create(
        User(email=f"batch{i}@example.org", language="en" if i % 3 == 0 else "pl")
        for i in range(count)
    )
    due = timezone.now() + dt.timedelta(minutes=1)
    rows = [outbox_enqueue(recipient=user, kind=kind, subject=round_, due_at=due) for user in users]
    assert all(row is not None for row in rows)
    return rows, due  # type: ignore[return-value]


def test_a_sweep_renders_each_kind_subject_and_language_once(open_round):
    rows, due = queue(open_round, 9)
    rendered: list[str] = []

    def record(sender, template, context, **kwargs):  # type: ignore[no-untyped-def]
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        result = outbox_sweep(now=due)
    finally:
        template_rendered.disconnect(record)
    assert {row.pk for row in rows} <= set(result.sent)
    # Two languages among the nine recipients: two renderings of each template.
    assert rendered.count("emails/round_announced_subject.txt") == 2
    assert rendered.count("emails/round_announced_body.txt") == 2


def test_a_batch_is_sent_over_one_connection(open_round, settings):
    settings.EMAIL_BACKEND = COUNTING
    settings.OUTBOX_BATCH_SIZE = 10
    rows, due = queue(open_round, 25)
    CountingBackend.made = 0
    result = outbox_sweep(now=due)
    assert {row.pk for row in rows} <= set(result.sent)
    assert CountingBackend.made == 3  # 10 + 10 + 5


def test_the_queries_per_row_are_bounded(open_round):
    rows, due = queue(open_round, 30)
    with CaptureQueriesContext(connection) as sweep:
        result = outbox_sweep(now=due)
    assert {row.pk for row in rows} <= set(result.sent)
    with CaptureQueriesContext(connection) as empty:  # the clock's part: the schedulers
        assert not outbox_sweep(now=due).sent
    # Per row: the claim and the mark; the rest is per batch.
    assert len(sweep) - len(empty) <= 2 * 30 + 10


def test_each_batched_message_is_the_message_rendered_alone(open_round, time_machine):
    rows, due = queue(open_round, 6)
    # The unsubscribe tokens are timestamped (to the second): the same second for both.
    time_machine.move_to(due, tick=False)
    mail.outbox.clear()
    outbox_sweep(now=due)
    sent = {m.extra_headers["X-Outbox-Id"]: m for m in mail.outbox}
    tokens = set()
    for row in Outbox.objects.filter(pk__in=[r.pk for r in rows]).select_related("recipient"):
        context = context_for(row)
        assert context is not None
        alone = build_message(row, context)
        batched = sent[str(row.pk)]
        assert batched.subject == alone.subject
        assert batched.body == alone.body
        assert batched.alternatives == alone.alternatives
        assert batched.to == alone.to == [row.email]
        assert batched.extra_headers == alone.extra_headers
        tokens.add(batched.extra_headers["List-Unsubscribe"])
        # Each recipient's own unsubscribe link, in the header and in both parts.
        url = batched.extra_headers["List-Unsubscribe"].strip("<>")
        assert url in batched.body and url in str(batched.alternatives[0][0])
    assert len(tokens) == 6


def test_a_personal_kind_lists_each_recipients_own_comments(
    make_round, make_comment, member, other_rep
):
    from consultations.phases import Phase

    round_ = make_round(Phase.OPEN)
    mine = make_comment(round_, author=member)
    theirs = make_comment(round_, author=other_rep)
    due = timezone.now() + dt.timedelta(minutes=1)
    for person in (member, other_rep):
        outbox_enqueue(recipient=person, kind="round_closed", subject=round_, due_at=due)
    mail.outbox.clear()
    outbox_sweep(now=due)
    by_address = {m.to[0]: m.body for m in mail.outbox if "X-Outbox-Id" in m.extra_headers}
    assert mine.get_absolute_url() in by_address[member.email]
    assert theirs.get_absolute_url() not in by_address[member.email]
    assert theirs.get_absolute_url() in by_address[other_rep.email]
