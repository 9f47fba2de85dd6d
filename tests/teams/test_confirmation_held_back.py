"""allauth sends at most one confirmation e-mail to an address in 3 minutes (its
ACCOUNT_RATE_LIMITS "confirm_email"), on sign-up and on a log-in before confirming, and shows
the "e-mail sent" page either way: the page says a new e-mail went only when one did, and
otherwise when the person may ask again (teams.adapter)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

from teams.models import Meeting, User

from .conftest import PASSWORD
from .test_accounts import LOGIN, SIGNUP, signup_data
from .test_english_account_texts import shown_texts

WARSAW = ZoneInfo("Europe/Warsaw")
FIRST = dt.datetime(2026, 3, 10, 12, 0, 20, tzinfo=WARSAW)
SENT = "follow the link in the e-mail we have sent to the address you gave."
HELD = (
    "An e-mail was already sent to this address a moment ago, so we have not sent another one now."
)


def page_text(response) -> str:
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/accounts/confirm-email/"
    return " ".join(shown_texts(response.content.decode()))


@pytest.mark.parametrize("address", ["anna@example.org", "ngo@example.org"])
def test_a_repeated_sign_up_within_three_minutes_says_no_new_e_mail_went_and_when_to_ask_again(
    en_client: Client, seeded: Meeting, address: str
) -> None:
    """The same for a new address and for one that has an account (no enumeration)."""
    with time_machine.travel(FIRST, tick=False):
        first = page_text(en_client.post(SIGNUP, signup_data(address), follow=True))
    assert SENT in first and HELD not in first
    assert len(mail.outbox) == 1

    with time_machine.travel(FIRST + dt.timedelta(minutes=1), tick=False):
        again = page_text(en_client.post(SIGNUP, signup_data(address), follow=True))
        reloaded = " ".join(shown_texts(again_page(en_client).decode()))
    assert len(mail.outbox) == 1  # held back by allauth
    assert SENT not in again and HELD in again
    # 12:00:20 + 3 minutes, rounded up to the minute: asking at 12:03 would be held again.
    assert "you can ask for a new one from 12:04" in again
    assert "We have sent an e-mail to" not in again  # allauth's "sent" message is not shown
    assert HELD in reloaded  # until the time has come


def again_page(client: Client) -> bytes:
    return client.get("/accounts/confirm-email/").content


def test_a_log_in_before_confirming_sends_again_only_after_the_wait(
    en_client: Client, seeded: Meeting
) -> None:
    with time_machine.travel(FIRST, tick=False):
        en_client.post(SIGNUP, signup_data("anna@example.org"))
    credentials = {"login": "anna@example.org", "password": PASSWORD}

    with time_machine.travel(FIRST + dt.timedelta(minutes=2), tick=False):
        held = page_text(en_client.post(LOGIN, credentials, follow=True))
    assert HELD in held and "from 12:04" in held
    assert len(mail.outbox) == 1

    # Once the time has come, the page no longer says to wait, and a log-in sends a new one.
    with time_machine.travel(FIRST + dt.timedelta(minutes=3, seconds=40), tick=False):
        assert SENT in " ".join(shown_texts(again_page(en_client).decode()))
        sent = page_text(en_client.post(LOGIN, credentials, follow=True))
    assert SENT in sent and HELD not in sent
    assert len(mail.outbox) == 2
    assert [m.to for m in mail.outbox] == [["anna@example.org"], ["anna@example.org"]]
    assert User.objects.get(email="anna@example.org").emailaddress_set.get().verified is False
