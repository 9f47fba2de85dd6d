"""The Site of django.contrib.sites follows SITE_URL after every migrate, so allauth's e-mails
(account confirmation, password reset) name the portal, not "example.com"."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sites.models import Site
from django.core import mail
from django.db.models.signals import post_migrate
from django.test import Client, override_settings

from teams.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-pass-2027"


def _sign_up(email: str = "anna@example.org") -> str:
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert User.objects.filter(email=email).exists()
    (message,) = mail.outbox
    return f"{message.subject}\n{message.body}"


def _migrated() -> None:
    """What ``manage.py migrate`` sends at its end, for the sites app (the receiver's sender)."""
    config = apps.get_app_config("sites")
    post_migrate.send(
        sender=config, app_config=config, verbosity=0, interactive=False, using="default"
    )


def test_migrate_left_the_site_with_the_host_of_site_url_and_the_portal_name() -> None:
    site = Site.objects.get_current()
    assert site.pk == settings.SITE_ID
    assert site.domain == urlsplit(settings.SITE_URL).netloc
    assert site.name == "Kraków NGO"


def test_the_confirmation_e_mail_names_the_portal_and_its_host() -> None:
    text = _sign_up()
    assert "Thank you for using the Kraków NGO portal!" in text
    assert f"for an account on {urlsplit(settings.SITE_URL).netloc}" in text
    assert "example.com" not in text


@override_settings(SITE_URL="https://konsultacje.krakow.test/")
def test_a_new_site_url_reaches_the_e_mails_with_the_next_migrate() -> None:
    Site.objects.filter(pk=settings.SITE_ID).update(domain="example.com", name="example.com")
    Site.objects.clear_cache()
    _migrated()
    text = _sign_up()
    assert "for an account on konsultacje.krakow.test." in text
    assert "Thank you for using the Kraków NGO portal!\nkonsultacje.krakow.test" in text
    assert "example.com" not in text
    _migrated()  # a second migrate changes nothing
    assert Site.objects.get().domain == "konsultacje.krakow.test"
