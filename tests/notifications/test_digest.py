"""The weekly digest: for those who choose it, messages that can wait go out together on
Monday at 8:00 (Europe/Warsaw), as one e-mail; invitations and reminders still come at once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from consultations.models import Round
from consultations.phases import Phase
from notifications import registry
from notifications.emails import DIGEST, unsubscribe_read, unsubscribe_token
from notifications.models import DigestChoice, NotificationOptOut
from notifications.outbox import next_digest_at, outbox_enqueue, outbox_sweep
from teams.models import Meeting

DIGEST_KINDS = [kind.name for kind in registry.digest_kinds()]
IMMEDIATE_KINDS = {kind.name for kind in registry.kinds() if kind.immediate}

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
    assert comment.get_absolute_url() in digest.body
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
    # The kinds that never wait for the digest are named under it, from the registry.
    assert "These still come at once:" in page
    assert "decisions on your requests to join a team" in page
    assert "meeting invitations" in page
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
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not DigestChoice.objects.exists() and not NotificationOptOut.objects.exists()


def test_the_settings_page_needs_a_login():
    response = Client().get("/notifications/settings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _digest_for(member, open_round):
    DigestChoice.objects.create(user=member)
    with time_machine.travel(WEDNESDAY, tick=False):
        row = outbox_enqueue(recipient=member, kind="round_announced", subject=open_round)
    assert row is not None and row.digest
    mail.outbox.clear()
    assert row.pk in outbox_sweep(now=MONDAY_8).sent
    (digest,) = [m for m in mail.outbox if m.to == [member.email]]
    return digest


def test_the_digest_carries_a_one_click_list_unsubscribe_header(member, open_round):
    digest = _digest_for(member, open_round)
    header = digest.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http") and "/notifications/unsubscribe/" in header
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header.strip("<>")
    assert unsubscribe_read(url.rstrip("/").rsplit("/", 1)[-1]) == (member.pk, DIGEST)
    assert url in digest.body and url in digest.alternatives[0][0]


def _unsubscribe_digest(member, method="post"):
    token = unsubscribe_token(user_id=member.pk, kind=DIGEST)
    client = Client(enforce_csrf_checks=True)  # no login, and a mail client sends no CSRF token
    client.cookies["django_language"] = "en"
    url = f"/notifications/unsubscribe/{token}/"
    if method == "get":
        return client.get(url)
    return client.post(url, {"List-Unsubscribe": "One-Click"})


def test_one_click_post_stops_everything_the_digest_gathers(member, open_round, seeded):
    DigestChoice.objects.create(user=member)
    Meeting.objects.filter(pk=seeded.pk).update(status=Meeting.Status.PLANNED)
    response = _unsubscribe_digest(member)
    assert response.status_code == 200
    assert "you will no longer receive the weekly digest" in response.content.decode()
    opted_out = set(NotificationOptOut.objects.filter(user=member).values_list("kind", flat=True))
    assert opted_out == set(DIGEST_KINDS)
    assert "round_announced" in opted_out and not opted_out & IMMEDIATE_KINDS
    assert _unsubscribe_digest(member).status_code == 200  # a second click changes nothing
    assert NotificationOptOut.objects.filter(user=member).count() == len(DIGEST_KINDS)
    # Next Monday there is no digest; an invitation still comes at once.
    with time_machine.travel(WEDNESDAY, tick=False):
        held = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round)
        invitation = outbox_enqueue(recipient=member, kind="meeting_invitation", subject=seeded)
    assert held is not None and held.digest and invitation is not None
    result = outbox_sweep(now=MONDAY_8)
    assert held.pk in result.cancelled and invitation.pk in result.sent


def test_opening_the_digest_link_only_asks_for_confirmation(member):
    response = _unsubscribe_digest(member, method="get")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop the weekly digest, and with it every e-mail it gathers:" in page
    assert "announcements of consultation rounds" in page
    assert "still come one by one" in page and "meeting invitations" in page
    assert not NotificationOptOut.objects.exists()


def test_a_forged_digest_token_is_refused(member):
    forged = signing.dumps({"u": member.pk, "k": DIGEST}, salt="another-salt")
    response = Client().post(f"/notifications/unsubscribe/{forged}/")
    assert response.status_code == 404
    assert not NotificationOptOut.objects.exists()


def test_a_held_open_notice_of_a_round_that_closed_meanwhile_is_not_sent(member, open_round):
    """The digest said "comments are open" for a round that had closed before Monday; its
    closing notice says what is true."""
    DigestChoice.objects.create(user=member)
    held = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round)
    assert held is not None and held.digest
    Round.objects.filter(pk=open_round.pk).update(closes_at=timezone.now())
    result = outbox_sweep(now=held.due_at)
    assert held.pk in result.cancelled and held.pk not in result.sent


def test_a_held_open_notice_of_a_round_still_open_is_sent(member, make_round):
    round_ = make_round(Phase.OPEN)
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() + dt.timedelta(days=30))
    DigestChoice.objects.create(user=member)
    held = outbox_enqueue(recipient=member, kind="round_opened", subject=round_)
    assert held is not None
    with time_machine.travel(held.due_at, tick=False):
        result = outbox_sweep(now=held.due_at)
    assert held.pk in result.sent
