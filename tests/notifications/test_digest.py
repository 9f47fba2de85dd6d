"""The weekly digest: for those who choose it, messages that can wait go out together on
Monday at 8:00 (Europe/Warsaw), as one e-mail; invitations and reminders still come at once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

from krakow_ngo.models import DigestChoice, NotificationOptOut
from krakow_ngo.outbox import next_digest_at, outbox_enqueue, outbox_sweep

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
# Wednesday 24 March 2027; the next Monday, 29 March, is after the change to summer time.
WEDNESDAY = dt.datetime(2027, 3, 24, 15, 0, tzinfo=WARSAW)
MONDAY_8 = dt.datetime(2027, 3, 29, 8, 0, tzinfo=WARSAW)


def test_the_next_digest_is_monday_at_eight_local_time():
    assert next_digest_at(WEDNESDAY) == MONDAY_8
    assert MONDAY_8.utcoffset() == dt.timedelta(hours=2)
    assert next_digest_at(MONDAY_8) == MONDAY_8
    assert next_digest_at(MONDAY_8 + dt.timedelta(minutes=1)) == MONDAY_8 + dt.timedelta(days=7)


def test_held_messages_go_out_together_on_monday(member, open_round, make_comment):
    DigestChoice.objects.create(user=member)
    comment = make_comment(open_round)
    with time_machine.travel(WEDNESDAY, tick=False):
        announced = outbox_enqueue(recipient=member, kind="round_announced", subject=open_round)
        settled = outbox_enqueue(recipient=member, kind="comment_settled", subject=comment)
    assert announced is not None and settled is not None
    assert announced.digest and announced.due_at == MONDAY_8
    mail.outbox.clear()
    outbox_sweep(now=MONDAY_8 - dt.timedelta(minutes=1))
    assert not [m for m in mail.outbox if m.to == [member.email]]
    result = outbox_sweep(now=MONDAY_8)
    assert {announced.pk, settled.pk} <= set(result.sent)
    (digest,) = [m for m in mail.outbox if m.to == [member.email]]
    assert digest.extra_headers["X-Outbox-Id"] == f"{announced.pk},{settled.pk}"
    assert open_round.title in digest.body
    assert f"#comment-{comment.pk}" in digest.body
    assert "/notifications/settings/" in digest.body
    assert outbox_sweep(now=MONDAY_8 + dt.timedelta(hours=1)).sent == []


def test_invitations_and_reminders_do_not_wait_for_the_digest(member, seeded, open_round):
    DigestChoice.objects.create(user=member)
    invitation = outbox_enqueue(recipient=member, kind="meeting_invitation", subject=seeded)
    reminder = outbox_enqueue(recipient=member, kind="round_reminder", subject=open_round)
    assert invitation is not None and reminder is not None
    assert not invitation.digest and not reminder.digest


def test_an_opted_out_kind_is_left_out_of_the_digest(member, open_round, make_comment):
    DigestChoice.objects.create(user=member)
    NotificationOptOut.objects.create(user=member, kind="round_announced")
    comment = make_comment(open_round)
    with time_machine.travel(WEDNESDAY, tick=False):
        announced = outbox_enqueue(recipient=member, kind="round_announced", subject=open_round)
        settled = outbox_enqueue(recipient=member, kind="comment_settled", subject=comment)
    assert announced is not None and settled is not None
    result = outbox_sweep(now=MONDAY_8)
    assert announced.pk in result.cancelled and settled.pk in result.sent


def _client(user):
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def test_a_person_chooses_the_digest_and_what_they_receive(member):
    client = _client(member)
    page = client.get("/notifications/settings/").content.decode()
    assert "One weekly digest" in page
    response = client.post(
        "/notifications/settings/",
        {"digest": "on", "receive": ["comment_reply", "comment_settled"]},
        follow=True,
    )
    assert "Your e-mail settings have been saved." in response.content.decode()
    assert DigestChoice.objects.filter(user=member).exists()
    opted_out = set(NotificationOptOut.objects.filter(user=member).values_list("kind", flat=True))
    assert "round_announced" in opted_out and "comment_reply" not in opted_out
    # And back again.
    client.post("/notifications/settings/", {"receive": ["round_announced", "comment_reply"]})
    assert not DigestChoice.objects.filter(user=member).exists()
    opted_out = set(NotificationOptOut.objects.filter(user=member).values_list("kind", flat=True))
    assert "round_announced" not in opted_out


def test_an_unknown_kind_is_refused_and_nothing_is_saved(member):
    response = _client(member).post(
        "/notifications/settings/", {"digest": "on", "receive": ["no_such_kind"]}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not DigestChoice.objects.exists() and not NotificationOptOut.objects.exists()


def test_the_settings_page_needs_a_login():
    response = Client().get("/notifications/settings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
