"""Permanent failures are shown to the coordinating team, who may send a message again."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from core.models import AuditEntry
from notifications.models import Outbox
from notifications.outbox import outbox_enqueue

pytestmark = pytest.mark.django_db

URL = "/notifications/failed/"


@pytest.fixture
def failed_row(member, open_round):
    row = outbox_enqueue(recipient=member, kind="round_reminder", subject=open_round)
    assert row is not None
    Outbox.objects.filter(pk=row.pk).update(
        failed_at=timezone.now(), attempts=6, last_error="SMTPRecipientsRefused: <x@y>"
    )
    return row


def _client(user):
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def test_coordinators_see_failed_e_mails(coordinator, failed_row, member):
    response = _client(coordinator).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert member.email in page
    assert "SMTPRecipientsRefused: &lt;x@y&gt;" in page
    assert "reminders before a consultation round closes" in page


def test_the_page_says_where_sending_again_goes_when_the_address_changed(
    coordinator, failed_row, member
):
    """A message is sent to the account's address as it is then: after a change, "Send
    again" does not go where the page said it failed."""
    member.email = "nowy-adres@example.org"
    member.save(update_fields=["email"])
    page = _client(coordinator).get(URL).content.decode()
    assert failed_row.email in page
    assert "Sent again to the account's address now: nowy-adres@example.org" in page


@pytest.mark.parametrize("persona", ["member", "moderator", "expert", "official"])
def test_others_may_not_see_failed_e_mails(request, persona, failed_row):
    user = request.getfixturevalue(persona)
    assert _client(user).get(URL).status_code == 403
    assert _client(user).post(URL, {"row": failed_row.pk}).status_code == 403
    failed_row.refresh_from_db()
    assert failed_row.failed_at is not None


def test_anonymous_visitors_are_sent_to_log_in(failed_row):
    response = Client().get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_sending_again_makes_the_message_due_with_fresh_attempts(coordinator, failed_row):
    response = _client(coordinator).post(URL, {"row": failed_row.pk}, follow=True)
    assert "The e-mail will be sent again." in response.content.decode()
    failed_row.refresh_from_db()
    assert failed_row.failed_at is None and failed_row.attempts == 0
    assert failed_row.due_at <= timezone.now()
    assert AuditEntry.objects.filter(action="outbox.retry", actor=coordinator).exists()


def test_sending_again_a_message_that_did_not_fail_changes_nothing(coordinator, member, open_round):
    row = outbox_enqueue(recipient=member, kind="round_announced", subject=open_round)
    assert row is not None
    response = _client(coordinator).post(URL, {"row": row.pk}, follow=True)
    assert "nothing changed" in response.content.decode()
    assert not AuditEntry.objects.filter(action="outbox.retry").exists()
    response = _client(coordinator).post(URL, {"row": "not-a-number"}, follow=True)
    assert "nothing changed" in response.content.decode()
