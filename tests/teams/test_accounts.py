"""Sign-up, verification, log-in, password reset and log-out through allauth, in the portal."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from pytest_django.fixtures import Settings

from teams.models import Meeting, Membership, User

from .conftest import PASSWORD

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
RESET = "/accounts/password/reset/"


def signup_data(email: str = "anna@example.org", **extra: object) -> dict[str, object]:
    return {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Anna",
        "last_name": "Nowak",
        **extra,
    }


def link_in_last_mail(path_prefix: str) -> str:
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}[^\s]+)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_signup_page_shows_the_form_and_the_information_clause(
    en_client: Client, seeded: Meeting
) -> None:
    response = en_client.get(SIGNUP)
    text = response.content.decode()
    assert response.status_code == 200
    for field in ("email", "password1", "password2", "first_name", "last_name"):
        assert f'name="{field}"' in text
    assert 'name="show_name_publicly"' in text
    assert "The controller of your personal data is the Mayor of the City of Kraków" in text
    assert 'href="/privacy/"' in text


def test_signup_creates_an_unverified_account_with_name_and_consent(
    en_client: Client, seeded: Meeting
) -> None:
    response = en_client.post(SIGNUP, signup_data(show_name_publicly="on"))
    assert response.status_code == 302
    user = User.objects.get(email="anna@example.org")
    assert (user.first_name, user.last_name, user.show_name_publicly) == ("Anna", "Nowak", True)
    assert user.language == "en"
    assert user.emailaddress_set.get().verified is False
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_the_confirmation_mail_carries_no_text_the_registrant_typed(
    en_client: Client, seeded: Meeting
) -> None:
    """The address may be anyone's: the portal's mail to it must not quote a stranger's text
    (allauth's own message names "user <typed name>")."""
    bait = "Wygrana! Odbierz na evil.example"
    en_client.post(SIGNUP, signup_data("victim@example.org", first_name=bait, last_name="Nowak"))
    (message,) = mail.outbox
    assert message.to == ["victim@example.org"]
    assert "Wygrana" not in message.body and "Nowak" not in message.body
    assert "/accounts/confirm-email/" in message.body
    assert "without the confirmation the account cannot be used" in message.body
    assert "erased after 7 days" in message.body


def test_signup_without_consent_keeps_the_name_private(en_client: Client, seeded: Meeting) -> None:
    en_client.post(SIGNUP, signup_data(first_name="", last_name=""))
    user = User.objects.get(email="anna@example.org")
    assert user.show_name_publicly is False
    assert user.get_full_name() == ""


def test_unverified_person_cannot_log_in_until_they_open_the_link(
    en_client: Client, seeded: Meeting
) -> None:
    en_client.post(SIGNUP, signup_data())
    en_client.logout()
    response = en_client.post(LOGIN, {"login": "anna@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in en_client.session
    assert response.status_code == 302 and "confirm-email" in response["Location"]

    confirm = link_in_last_mail("/accounts/confirm-email/")
    assert en_client.get(confirm).status_code == 200
    en_client.post(confirm)
    assert User.objects.get(email="anna@example.org").emailaddress_set.get().verified

    response = en_client.post(LOGIN, {"login": "anna@example.org", "password": PASSWORD})
    assert response.status_code == 302
    # Nobody can contribute yet, so the account page (with the next step) comes first.
    assert response["Location"] == "/my-account/"
    assert en_client.session["_auth_user_id"] == str(User.objects.get(email="anna@example.org").pk)


def test_approved_member_lands_on_the_account_page_after_log_in(
    en_client: Client, member: User
) -> None:
    """Every role lands on the page that says what it can do now (issue 16)."""
    response = en_client.post(LOGIN, {"login": member.email, "password": "demo-krakow-2011"})
    assert response["Location"] == "/my-account/"


def test_signup_with_an_existing_email_answers_like_a_new_one(
    en_client: Client, member: User
) -> None:
    new = en_client.post(SIGNUP, signup_data("brand-new@example.org"))
    en_client.logout()
    existing = en_client.post(SIGNUP, signup_data(member.email))
    assert existing.status_code == new.status_code == 302
    assert existing["Location"] == new["Location"]
    assert User.objects.filter(email=member.email).count() == 1
    # The owner of the address is told somebody tried; the page says nothing.
    assert mail.outbox[-1].to == [member.email]


def test_password_reset_answers_the_same_for_unknown_and_known_addresses(
    en_client: Client, member: User
) -> None:
    known = en_client.post(RESET, {"email": member.email})
    unknown = en_client.post(RESET, {"email": "nobody-here@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 2


def test_password_reset_link_sets_a_new_password(en_client: Client, member: User) -> None:
    en_client.post(RESET, {"email": member.email})
    link = link_in_last_mail("/accounts/password/reset/key/")
    response = en_client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    new_password = "another-Passw0rd-2026"  # noqa: S105
    response = en_client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new_password)


def test_log_out_ends_the_session(en_client: Client, member: User) -> None:
    en_client.force_login(member)
    response = en_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in en_client.session


def test_a_session_cookie_kept_from_before_logging_out_no_longer_logs_anyone_in(
    en_client: Client, member: User
) -> None:
    en_client.force_login(member)
    old = en_client.cookies["sessionid"].value
    assert en_client.get("/my-account/").status_code == 200  # read through the cache
    en_client.post("/accounts/logout/")
    thief = Client()
    thief.cookies["sessionid"] = old
    response = thief.get("/my-account/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_signup_with_bad_input_is_refused_with_clear_messages(
    en_client: Client, seeded: Meeting
) -> None:
    response = en_client.post(
        SIGNUP,
        {
            "email": "not-an-address",
            "password1": PASSWORD,
            "password2": PASSWORD + "x",
            "first_name": "A" * 151,
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid e-mail address." in text
    assert "You must type the same password each time." in text
    assert "Ensure this value has at most 150 characters (it has 151)." in text
    assert not User.objects.filter(email="not-an-address").exists()
    assert mail.outbox == []


def test_failed_log_ins_are_throttled_even_with_the_right_password(
    en_client: Client, member: User
) -> None:
    for _attempt in range(5):
        en_client.post(LOGIN, {"login": member.email, "password": "wrong-password"})
    response = en_client.post(LOGIN, {"login": member.email, "password": "demo-krakow-2011"})
    assert response.status_code == 429  # issue 12: a lockout is a 429, not a form error
    assert response["Retry-After"] == "300"  # the "5/5m/key" window of login_failed
    assert "Please wait 5 minutes and try again." in response.content.decode()
    assert "_auth_user_id" not in en_client.session


@pytest.mark.parametrize("path", ["/admin/login/", "/admin/login/?next=/admin/"])
def test_admin_log_in_goes_through_the_throttled_portal_log_in(
    client: Client, seeded: Meeting, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=%2Fadmin%2F")


def test_admin_log_in_post_cannot_bypass_the_throttle(client: Client, seeded: Meeting) -> None:
    response = client.post(
        "/admin/login/", {"username": "admin@example.org", "password": "demo-krakow-2011"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_non_staff_person_is_refused_the_admin_log_in(client: Client, member: User) -> None:
    client.force_login(member)
    assert client.get("/admin/login/").status_code == 403


def test_staff_reach_the_admin_after_the_portal_log_in(client: Client, seeded: Meeting) -> None:
    response = client.post(
        LOGIN + "?next=/admin/",
        {"login": "admin@example.org", "password": "demo-krakow-2011", "next": "/admin/"},
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_signup_is_rate_limited(en_client: Client, seeded: Meeting) -> None:
    statuses = [
        en_client.post(SIGNUP, signup_data(f"p{i}@example.org")).status_code for i in range(21)
    ]
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429
    assert User.objects.filter(email="p20@example.org").exists() is False


def test_password_reset_requests_for_one_address_are_rate_limited(
    en_client: Client, member: User
) -> None:
    statuses = [en_client.post(RESET, {"email": member.email}).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert len(mail.outbox) == 5
    assert "Too many attempts" in en_client.post(RESET, {"email": member.email}).content.decode()


@pytest.mark.django_db
def test_the_password_reset_page_says_whom_to_write_to(
    en_client: Client, client: Client, settings: Settings
) -> None:
    """allauth's page says "contact us" and gives no way to; the portal gives its address."""
    settings.PORTAL_CONTACT_EMAIL = "pomoc@krakow.example"
    link = '<a href="mailto:pomoc@krakow.example">pomoc@krakow.example</a>'
    english = en_client.get(RESET).content.decode()
    assert f"trouble resetting your password, write to {link}" in english
    client.cookies["django_language"] = "pl"
    polish = client.get(RESET).content.decode()
    assert f"napisz na adres {link}" in polish and "Resetowanie hasła" in polish


def test_a_sign_up_never_confirmed_is_erased_after_the_days_the_e_mail_says(
    en_client: Client, seeded: Meeting
) -> None:
    """Someone may have typed another person's address: unconfirmed, the account and what was
    given with it are erased after ``UNCONFIRMED_SIGNUP_DAYS`` (the hourly beat task), and
    nothing else is: confirmed accounts, role accounts, a recent sign-up. The audit log keeps
    how many, not who."""
    import datetime as dt

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.utils import timezone

    from core.models import AuditEntry
    from teams.services import UNCONFIRMED_SIGNUP_DAYS, purge_unconfirmed_signups

    en_client.post(SIGNUP, signup_data("obcy@example.org", first_name="Jan", last_name="Obcy"))
    stranger = User.objects.get(email="obcy@example.org")
    en_client.post(SIGNUP, signup_data("wczoraj@example.org"))
    recent = User.objects.get(email="wczoraj@example.org")
    confirmed = User.objects.get(email="ngo@example.org")
    staff = User.objects.create_user("kadra@example.org", PASSWORD, is_staff=True)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=False, primary=True)
    # Given a team in the admin before confirming: a record hangs on the row, which stays.
    en_client.post(SIGNUP, signup_data("czlonek@example.org"))
    attached = User.objects.get(email="czlonek@example.org")
    Membership.objects.create(user=attached, team=seeded.team, status=Membership.Status.APPROVED)
    week = dt.timedelta(days=UNCONFIRMED_SIGNUP_DAYS)
    User.objects.filter(pk__in=[stranger.pk, staff.pk, attached.pk]).update(
        date_joined=timezone.now() - week - dt.timedelta(hours=1)
    )
    User.objects.filter(pk=recent.pk).update(date_joined=timezone.now() - week / 2)

    assert purge_unconfirmed_signups() == 1
    assert not User.objects.filter(pk=stranger.pk).exists()
    assert not EmailAddress.objects.filter(email="obcy@example.org").exists()
    assert User.objects.filter(pk__in=[recent.pk, confirmed.pk, staff.pk, attached.pk]).count() == 4
    assert Membership.objects.filter(user=attached).exists()
    entry = AuditEntry.objects.get(action="user.signups_purged")
    assert entry.data == {"count": 1, "days": UNCONFIRMED_SIGNUP_DAYS}
    assert "obcy" not in str(entry.data) and "Obcy" not in entry.target_repr
    assert purge_unconfirmed_signups() == 0  # nothing left to erase: nothing recorded
    assert AuditEntry.objects.filter(action="user.signups_purged").count() == 1
    assert settings.CELERY_BEAT_SCHEDULE["purge-unconfirmed-signups"]["task"] == (
        "teams.tasks.purge_unconfirmed_signups"
    )
    privacy = en_client.get("/privacy/").content.decode()
    assert f"never confirmed is erased after {UNCONFIRMED_SIGNUP_DAYS} days" in privacy
