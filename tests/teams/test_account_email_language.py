"""Account e-mails (allauth's, sent during the request) are in the language of the account the
address belongs to, whichever language the page that set them off was in; an address nobody
has gets the page's language. And the subject of an approved representation says only what
the body says: speaking for an unverified organisation waits for its verification."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import translation
from pytest_django.fixtures import Settings

from notifications.models import Outbox
from notifications.outbox import outbox_sweep
from teams import services
from teams.models import Organisation, Representation, User

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
RESET = "/accounts/password/reset/"
PREFIX = "[Kraków NGO] "


def _account(email: str, language: str) -> User:
    user = User.objects.create_user(email, PASSWORD, language=language)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _client(language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    return client


def _subject(msgid: str, language: str) -> str:
    """An allauth subject as the catalogues of ``language`` have it (the project's English
    overrides, allauth's Polish, or the portal's Polish override when there is one)."""
    with translation.override(language):
        return PREFIX + translation.gettext(msgid)


def _assert_polish(message: mail.EmailMessage) -> None:
    assert message.body.startswith("Dzień dobry,"), message.body
    assert "Otrzymujesz tę wiadomość" in message.body
    assert "You are receiving" not in message.body
    assert "Dziękujemy za korzystanie z portalu" in message.body


def _assert_english(message: mail.EmailMessage) -> None:
    assert message.body.startswith("Good day,"), message.body
    assert "You are receiving this e-mail because" in message.body
    assert "Otrzymujesz" not in message.body
    assert "Thank you for using the" in message.body


def _only_message_to(email: str) -> mail.EmailMessage:
    (message,) = mail.outbox
    assert message.to == [email]
    return message


def test_it_tells_a_polish_account_in_polish_when_an_english_page_signs_up_with_its_address() -> (
    None
):
    _account("polka@example.org", "pl")
    response = _client("en").post(
        SIGNUP, {"email": "polka@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    message = _only_message_to("polka@example.org")
    assert message.subject == PREFIX + "Konto już istnieje"
    _assert_polish(message)
    assert "/accounts/password/reset/" in message.body


def test_it_tells_an_english_account_in_english_when_a_polish_page_signs_up_with_its_address() -> (
    None
):
    _account("english@example.org", "en")
    _client("pl").post(
        SIGNUP, {"email": "english@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    message = _only_message_to("english@example.org")
    assert message.subject == PREFIX + "Account already exists"
    _assert_english(message)


def test_it_sends_a_polish_account_its_reset_in_polish_when_asked_from_an_english_page() -> None:
    _account("polka@example.org", "pl")
    response = _client("en").post(RESET, {"email": "polka@example.org"})
    assert response.status_code == 302
    message = _only_message_to("polka@example.org")
    assert message.subject == _subject("Password Reset Email", "pl")
    assert message.subject != PREFIX + "Password reset"
    _assert_polish(message)
    assert "/accounts/password/reset/key/" in message.body


def test_it_sends_an_english_account_its_reset_in_english_when_asked_from_a_polish_page() -> None:
    _account("english@example.org", "en")
    _client("pl").post(RESET, {"email": "english@example.org"})
    message = _only_message_to("english@example.org")
    assert message.subject == PREFIX + "Password reset"
    _assert_english(message)
    assert "set a new password" in message.body


def test_an_html_part_follows_the_account_language_too(settings: Settings, tmp_path: Path) -> None:
    """allauth sends a ``_message.html`` part when a template for it exists (the portal has
    none yet): it is rendered in the account's language like the text."""
    html = tmp_path / "account" / "email" / "password_reset_key_message.html"
    html.parent.mkdir(parents=True)
    html.write_text('{% load i18n %}<p>{% translate "Good day," %}</p>', encoding="utf-8")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    _account("polka@example.org", "pl")
    _client("en").post(RESET, {"email": "polka@example.org"})
    message = _only_message_to("polka@example.org")
    assert isinstance(message, mail.EmailMultiAlternatives)
    ((content, mimetype),) = message.alternatives
    assert (content, mimetype) == ("<p>Dzień dobry,</p>", "text/html")
    _assert_polish(message)


@pytest.mark.parametrize(
    ("language", "subject", "check"),
    [("en", "Unknown account", _assert_english), ("pl", "Nieznane konto", _assert_polish)],
)
def test_it_answers_an_address_nobody_has_in_the_language_of_the_page(
    language: str, subject: str, check: object
) -> None:
    _client(language).post(RESET, {"email": "nikt@example.org"})
    message = _only_message_to("nikt@example.org")
    assert message.subject == PREFIX + subject
    check(message)  # type: ignore[operator]


def test_the_page_stays_in_its_language_after_an_account_email_in_another() -> None:
    """allauth words its "e-mail sent" notice after sending: it is the page's language."""
    _account("polka@example.org", "pl")
    response = _client("en").post(
        SIGNUP,
        {"email": "polka@example.org", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    assert "We have sent an e-mail to polka@example.org." in response.content.decode()


# The representation's decision (outbox e-mail, in the account's language).


@pytest.fixture
def registrant() -> User:
    return User.objects.create_user("rejestrujaca@example.org", PASSWORD, language="en")


@pytest.fixture
def coordinating() -> User:
    return User.objects.create_user("zk@example.org", PASSWORD, is_coordinator=True)


@pytest.fixture
def organisation(registrant: User) -> Organisation:
    return services.organisation_register(
        actor=registrant, name="Stowarzyszenie Nowe", legal_form="association", nip="5260250274"
    )


def _approve(coordinating: User, registrant: User) -> mail.EmailMessage:
    representation = Representation.objects.get(user=registrant)
    services.representation_decide(actor=coordinating, representation=representation, approve=True)
    ids = set(Outbox.objects.filter(kind="representation_decided").values_list("pk", flat=True))
    mail.outbox.clear()
    outbox_sweep()
    (message,) = [m for m in mail.outbox if int(m.extra_headers["X-Outbox-Id"]) in ids]
    return message


def test_an_approval_for_an_unverified_organisation_does_not_promise_speaking_for_it(
    coordinating: User, registrant: User, organisation: Organisation
) -> None:
    message = _approve(coordinating, registrant)
    assert "You can speak for it once the coordinating team has verified" in message.body
    assert message.subject == PREFIX + (
        "Your request to represent Stowarzyszenie Nowe was approved; "
        "the organisation awaits verification"
    )


def test_an_approval_for_a_verified_organisation_says_you_may_speak_for_it(
    coordinating: User, registrant: User, organisation: Organisation
) -> None:
    services.organisation_verify(actor=coordinating, organisation=organisation)
    message = _approve(coordinating, registrant)
    assert "You can now comment in consultation rounds on its behalf" in message.body
    assert message.subject == PREFIX + "You may speak for Stowarzyszenie Nowe"


def test_an_approval_for_a_verified_organisation_says_so_in_polish(
    coordinating: User, registrant: User, organisation: Organisation
) -> None:
    registrant.language = "pl"
    registrant.save(update_fields=["language"])
    services.organisation_verify(actor=coordinating, organisation=organisation)
    message = _approve(coordinating, registrant)
    assert message.subject == PREFIX + "Możesz występować w imieniu organizacji Stowarzyszenie Nowe"
