"""The English account screens and e-mails (allauth's, in the portal) read like the rest of the
English interface: sentence case and "e-mail", through the overrides in locale/en (allauth's
own English is Title Case and writes "Email"). Polish stays Polish."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import Client

from teams.models import Meeting, User

from ..conftest import DEMO_PASSWORD
from .conftest import PASSWORD
from .test_accounts import LOGIN, RESET, SIGNUP, link_in_last_mail

pytestmark = pytest.mark.django_db

# Two or more words, each capitalised: "Remember Me", "Password Reset", "Sign In".
TITLE_CASE = re.compile(r"^[A-Z][\w'’]*(?: \(?[A-Z][\w'’)]*)+[.:?]?$")
EMAIL_WITHOUT_HYPHEN = re.compile(r"\bemails?\b", re.IGNORECASE)
SHOWN_ATTRIBUTES = {"placeholder", "aria-label", "title", "alt"}


class _MainText(HTMLParser):
    """What a reader sees or hears inside <main>: each text node, and the attributes that are
    shown or read out."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = self.inside or tag == "main"
        if self.inside:
            self.texts += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        self.inside = self.inside and tag != "main"

    def handle_data(self, data: str) -> None:
        if self.inside and data.strip():
            self.texts.append(" ".join(data.split()))


def shown_texts(html: str) -> list[str]:
    parser = _MainText()
    parser.feed(html)
    assert parser.texts, "no <main> on the page"
    return parser.texts


def not_house_style(texts: list[str]) -> list[str]:
    return [t for t in texts if TITLE_CASE.match(t) or EMAIL_WITHOUT_HYPHEN.search(t)]


def _reset_form(client: Client, user: User) -> str:
    client.post(RESET, {"email": user.email})
    response = client.get(link_in_last_mail("/accounts/password/reset/key/"), follow=True)
    return response.redirect_chain[-1][0]


def _confirmation_page(client: Client) -> str:
    client.post(SIGNUP, {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD})
    return link_in_last_mail("/accounts/confirm-email/")


# Each allauth page the portal offers, in the states our pages reach (what each shows was
# found by rendering them and noting every allauth msgid looked up).
PAGES: dict[str, Callable[[Client, User], object]] = {
    "log-in": lambda c, u: c.get(LOGIN),
    "log-in, wrong password": lambda c, u: c.post(LOGIN, {"login": u.email, "password": "x"}),
    "sign-up": lambda c, u: c.get(SIGNUP),
    "sign-up, bad input": lambda c, u: c.post(SIGNUP, {"email": "x", "password1": "a"}),
    "sign-up, sent": lambda c, u: c.post(
        SIGNUP,
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    ),
    "password reset": lambda c, u: c.get(RESET),
    "password reset, sent": lambda c, u: c.post(RESET, {"email": u.email}, follow=True),
    "password reset, new password": lambda c, u: c.get(_reset_form(c, u)),
    "password reset, bad link": lambda c, u: c.get("/accounts/password/reset/key/1-bad/"),
    "e-mail confirmation": lambda c, u: c.get(_confirmation_page(c)),
    "e-mail confirmed": lambda c, u: c.post(_confirmation_page(c), follow=True),
    "e-mail confirmation, bad link": lambda c, u: c.get("/accounts/confirm-email/bad/"),
    "log-out": lambda c, u: (c.force_login(u), c.get("/accounts/logout/"))[1],
    "e-mail addresses": lambda c, u: (c.force_login(u), c.get("/accounts/email/"))[1],
    "password change": lambda c, u: (c.force_login(u), c.get("/accounts/password/change/"))[1],
    "re-authentication": lambda c, u: (c.force_login(u), c.get("/accounts/reauthenticate/"))[1],
}


@pytest.mark.parametrize("page", PAGES)
def test_english_account_pages_write_sentence_case_and_e_mail(
    en_client: Client, member: User, page: str
) -> None:
    response = PAGES[page](en_client, member)
    assert response.status_code == 200  # type: ignore[attr-defined]
    texts = shown_texts(response.content.decode())  # type: ignore[attr-defined]
    assert not_house_style(texts) == []


def test_english_log_in_names_its_fields_as_the_rest_of_the_portal(
    en_client: Client, seeded: Meeting
) -> None:
    texts = shown_texts(en_client.get(LOGIN).content.decode())
    assert {"E-mail", "E-mail address", "Remember me", "Forgot your password?"} <= set(texts)
    response = en_client.post(SIGNUP, {"email": "not-an-address"})
    assert "Enter a valid e-mail address." in shown_texts(response.content.decode())


def test_english_log_in_and_out_say_logged_in_and_out(en_client: Client, member: User) -> None:
    credentials = {"login": member.email, "password": DEMO_PASSWORD}
    logged_in = shown_texts(en_client.post(LOGIN, credentials, follow=True).content.decode())
    assert f"You are logged in as {member.get_full_name()}." in logged_in
    logged_out = shown_texts(en_client.post("/accounts/logout/", follow=True).content.decode())
    assert "You have logged out." in logged_out


def test_english_account_e_mails_write_e_mail(en_client: Client, member: User) -> None:
    # An account's e-mails are in its own language (teams.adapter): an English account.
    member.language = "en"
    member.save(update_fields=["language"])
    en_client.post(RESET, {"email": member.email})  # password reset
    en_client.post(RESET, {"email": "nobody@example.org"})  # unknown account
    en_client.post(SIGNUP, {"email": member.email, "password1": PASSWORD, "password2": PASSWORD})
    assert [m.subject for m in mail.outbox] == [
        "[Kraków NGO] Password reset",
        "[Kraków NGO] Unknown account",
        "[Kraków NGO] Account already exists",
    ]
    for message in mail.outbox:
        assert not EMAIL_WITHOUT_HYPHEN.search(message.body), message.body


def test_polish_account_pages_stay_polish(client: Client, seeded: Meeting) -> None:
    log_in = shown_texts(client.get(LOGIN).content.decode())
    assert "Pamiętaj mnie" in log_in and "Adres e-mail" in log_in
    assert "Remember me" not in log_in
    assert "Resetowanie hasła" in shown_texts(client.get(RESET).content.decode())
