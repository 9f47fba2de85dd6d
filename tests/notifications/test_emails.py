"""Rendering in the recipient's language, HTML and text parts, one-click unsubscribe."""

from __future__ import annotations

import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import dateformat, timezone, translation

from notifications.emails import unsubscribe_read, unsubscribe_token
from notifications.models import NotificationOptOut
from notifications.outbox import outbox_enqueue, outbox_sweep

pytestmark = pytest.mark.django_db


def _send(user, round_, kind="round_opened"):
    row = outbox_enqueue(recipient=user, kind=kind, subject=round_)
    assert row is not None
    mail.outbox.clear()
    assert row.pk in outbox_sweep().sent
    (message,) = [m for m in mail.outbox if m.extra_headers["X-Outbox-Id"] == str(row.pk)]
    return message


def test_it_writes_in_polish_by_default(member, open_round):
    assert member.language == "pl"
    message = _send(member, open_round)
    assert open_round.title in message.subject
    # New strings are translated centrally later; dates are already Polish.
    closes = timezone.localtime(open_round.closes_at)
    with translation.override("pl"):
        polish_month = dateformat.format(closes, "E")
    with translation.override("en"):
        english_month = dateformat.format(closes, "E")
    assert polish_month != english_month
    assert f"{closes.day} {polish_month} {closes.year}" in message.body
    assert english_month not in message.body


def test_it_writes_in_english_for_an_english_reader(member, open_round):
    member.language = "en"
    member.save()
    message = _send(member, open_round)
    assert message.subject.endswith(f"Consultation open for comments: {open_round.title}")
    assert "is open for comments" in message.body
    closes = timezone.localtime(open_round.closes_at)
    with translation.override("en"):
        assert dateformat.format(closes, "j E Y") in message.body


def test_it_has_a_plain_text_and_an_html_part_with_the_round_link(member, open_round):
    message = _send(member, open_round)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f"/consultations/{open_round.pk}/" in message.body
    assert f"/consultations/{open_round.pk}/" in html


def test_it_escapes_user_text_in_html(member, open_round):
    open_round.title = "<script>alert(1)</script>"
    open_round.save()
    message = _send(member, open_round)
    html = message.alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_its_subject_is_plain_text_not_html(member, open_round):
    """A title with "&", quotes or angle brackets reads as typed in the mail program's subject
    line (it was "&amp;", "&#x27;"); the HTML part still escapes it."""
    open_round.title = "Zdrowie & sport: \"<Konsultacje>\" 'nowe'"
    open_round.save()
    message = _send(member, open_round)
    assert message.subject.endswith(open_round.title)
    html = message.alternatives[0][0]
    assert "Zdrowie &amp; sport" in html and "<Konsultacje>" not in html


def test_it_carries_a_one_click_list_unsubscribe_header(member, open_round):
    message = _send(member, open_round)
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http") and "/notifications/unsubscribe/" in header
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = header.strip("<>").rstrip("/").rsplit("/", 1)[-1]
    assert unsubscribe_read(token) == (member.pk, "round_opened")
    assert header.strip("<>") in message.body


def test_one_click_post_records_the_opt_out_of_that_kind_only(member, open_round):
    token = unsubscribe_token(user_id=member.pk, kind="round_reminder")
    client = Client(enforce_csrf_checks=True)  # a mail client posts without a CSRF token
    response = client.post(
        f"/notifications/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert list(NotificationOptOut.objects.filter(user=member).values_list("kind", flat=True)) == [
        "round_reminder"
    ]


def test_opening_the_link_only_asks_for_confirmation(member):
    token = unsubscribe_token(user_id=member.pk, kind="round_reminder")
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 200
    assert (
        "Stop receiving these e-mails from the portal: "
        "reminders before a consultation round closes?" in response.content.decode()
    )
    assert not NotificationOptOut.objects.exists()


def test_a_forged_token_is_refused(member):
    forged = signing.dumps({"u": member.pk, "k": "round_reminder"}, salt="another-salt")
    response = Client().post(f"/notifications/unsubscribe/{forged}/")
    assert response.status_code == 404
    assert not NotificationOptOut.objects.exists()


@pytest.mark.parametrize("kind", ["round_opened", "report_published"])
def test_every_message_links_to_the_e_mail_settings_once(member, open_round, kind):
    """Once in each part: the HTML part of a plain-text message shows the text's own footer
    (emails/_footer.txt), a message written in HTML adds it as HTML (emails/_footer.html)."""
    message = _send(member, open_round, kind=kind)
    assert message.body.count("/notifications/settings/") == 1
    html = message.alternatives[0][0]
    assert html.count('href="http://127.0.0.1:8000/notifications/settings/"') == 1, html
    assert len(re.findall(r'href="[^"]*/notifications/unsubscribe/', html)) == 1, html


def test_html_links_only_the_portals_own_urls(member, open_round, settings):
    settings.SITE_URL = "https://ngo.krakow.pl"
    open_round.title = "Zobacz https://evil.example/phish i https://ngo.krakow.pl.evil.example/"
    open_round.save()
    message = _send(member, open_round)
    html = message.alternatives[0][0]
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert f"https://ngo.krakow.pl/consultations/{open_round.pk}/" in hrefs
    assert all(href.startswith("https://ngo.krakow.pl/") for href in hrefs), hrefs
    assert "https://evil.example/phish" in html  # shown as text, to be copied if wanted
