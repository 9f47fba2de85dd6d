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
