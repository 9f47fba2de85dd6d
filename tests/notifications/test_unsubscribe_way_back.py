"""After unsubscribing, the page leads back to the e-mail settings, where one chooses again."""

from __future__ import annotations

import pytest
from django.test import Client

from notifications.emails import unsubscribe_token
from notifications.models import NotificationOptOut

pytestmark = pytest.mark.django_db


def test_the_unsubscribe_page_links_to_the_e_mail_settings_when_done(member) -> None:
    token = unsubscribe_token(user_id=member.pk, kind="round_reminder")
    response = Client().post(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 200
    assert NotificationOptOut.objects.filter(user=member, kind="round_reminder").exists()
    page = response.content.decode()
    assert 'href="/notifications/settings/"' in page
    assert "Wybierz ponownie w ustawieniach wiadomości e-mail" in page


@pytest.mark.parametrize("kind", ["round_reminder", "digest"])
def test_the_unsubscribe_page_speaks_the_language_of_the_person_it_was_sent_to(
    member, kind: str
) -> None:
    """The link comes from an e-mail in the person's language and, opened from a mail
    program, carries no language cookie: the page asking them to confirm is in that language
    too, whatever the browser's Accept-Language says. (A browser that chose a language for
    the portal keeps it: its cookie wins.)"""
    member.language = "en"
    member.save(update_fields=["language"])
    token = unsubscribe_token(user_id=member.pk, kind=kind)
    page = Client().get(f"/notifications/unsubscribe/{token}/", HTTP_ACCEPT_LANGUAGE="pl")
    body = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="en"' in body
    assert page["Content-Language"] == "en"
    assert "Unsubscribe" in body and "Wypisz" not in body
    chose = Client()
    chose.cookies["django_language"] = "pl"
    assert "Wypisz" in chose.get(f"/notifications/unsubscribe/{token}/").content.decode()
