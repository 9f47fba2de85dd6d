"""One helper renders every e-mail: subject, plain text and HTML from
``templates/emails/<kind>_subject.txt``, ``<kind>_body.txt`` and ``<kind>_body.html`` (or the
shared ``base_body.html`` that shows the plain text), under the recipient's language.

Each message carries a one-click unsubscribe from its kind (RFC 8058): a signed token in a
link and in the ``List-Unsubscribe`` header. The weekly digest carries one too, whose token's
kind is ``DIGEST``: it stops the digest and every kind of message it gathers.
"""

from __future__ import annotations

import functools
import json
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.core.mail import message as django_message
from django.template import Context, TemplateDoesNotExist
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation

from core.site import absolute
from core.text import strip_bidi

from . import registry
from .models import Outbox

UNSUBSCRIBE_SALT = "consultations.notices.unsubscribe"
# The kind in the unsubscribe token of the weekly digest (no outbox row has this kind).
DIGEST = "digest"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str]:
    """The (user id, kind) of a token; raises signing.BadSignature for a forged one."""
    value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(value["u"]), str(value["k"])


def render_email(*, kind: str, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject (one line, no bidi controls: mail programs show it without isolation), plain
    text and HTML of a message of ``kind`` in ``language``."""
    with translation.override(language):
        # Plain text, not HTML: a title "Zdrowie & sport" stays so, not "Zdrowie &amp; sport"
        # (the plain bodies say ``{% autoescape off %}`` themselves; the HTML part escapes the
        # subject it shows).
        subject_template = get_template(f"emails/{kind}_subject.txt")
        assert isinstance(subject_template, DjangoTemplate)
        rendered = subject_template.template.render(Context(context, autoescape=False))
        subject = " ".join(strip_bidi(rendered).split())
        text = render_to_string(f"emails/{kind}_body.txt", context).strip() + "\n"
        try:
            html_template = get_template(f"emails/{kind}_body.html")
        except TemplateDoesNotExist:
            html_template = get_template("emails/base_body.html")
        # No request, so no i18n context processor: the part says its language itself.
        html = html_template.render(
            {**context, "text_body": text, "email_subject": subject, "LANGUAGE_CODE": language}
        )
    return subject, text, html


def sending_language(row: Outbox) -> str:
    """The language a row is written in when it is sent: its recipient's as it is then (they may
    have chosen another since the row was queued, a week earlier for a digest), else, for a row
    whose account is gone, the one stored when it was queued."""
    recipient = row.recipient if row.recipient_id else None
    return getattr(recipient, "language", "") or row.language or settings.LANGUAGE_CODE


def sending_address(row: Outbox) -> str:
    """Where a row goes when it is sent: its recipient's address as it is then, else, for a row
    whose account is gone, the one stored when it was queued."""
    recipient = row.recipient if row.recipient_id else None
    return getattr(recipient, "email", "") or row.email


def unsubscribe_url(*, user_id: int | None, kind: str) -> str:
    """The absolute one-click link for a person and a kind (or DIGEST); none without a person."""
    return _unsubscribe_link(unsubscribe_token(user_id=user_id, kind=kind) if user_id else "")


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058: the link, and that a POST to it unsubscribes at once (no page to confirm)."""
    if not url:
        return {}
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


@functools.lru_cache(maxsize=512)
def _encoded_header(name: str, value: str, encoding: str) -> str:
    """A header's value as Django's MIME message carries it (RFC 2047 for non-ASCII text), by
    Django's own function: one call per distinct value, not one per message."""
    return str(django_message.forbid_multi_line_headers(name, value, encoding)[1])


class OutboxMessage(EmailMultiAlternatives):
    """An outbox e-mail: Django's message, the same bytes, but its Subject and From are encoded
    once per distinct value (``_encoded_header``). Encoding a non-ASCII header was the costliest
    step of building a message, and a sweep sends one subject and one sender to many people."""

    def message(self) -> Any:
        encoding = self.encoding or settings.DEFAULT_CHARSET
        subject, sender = self.subject, self.from_email
        # Django encodes them in message(); empty, they cost nothing, and are replaced below.
        self.subject = self.from_email = ""
        try:
            msg = super().message()
        finally:
            self.subject, self.from_email = subject, sender
        msg.replace_header("Subject", _encoded_header("Subject", str(subject), encoding))
        sender = self.extra_headers.get("From", sender)
        msg.replace_header("From", _encoded_header("From", str(sender), encoding))
        return msg


class MessageRenderer:
    """The messages of one sweep. A kind that is not personal (notifications.registry) is
    rendered once per (kind, subject, occasion, language, row data, with or without a
    recipient), with a random mark where the unsubscribe token goes; each recipient's message
    is that rendering with their own token put in, the same bytes as if it had been rendered
    for them alone."""

    def __init__(self) -> None:
        # Random per renderer: no title a person types can contain it. Letters and digits, as
        # in a token, so escaping and link_portal treat the mark as they treat a token.
        self._mark = "m" + secrets.token_hex(16)
        self._shared: dict[tuple[Any, ...], tuple[str, str, str]] = {}
        # The unsubscribe link, reversed once: a token's characters (URL-safe base64, ":" and
        # ".") need no quoting, so putting one in place of the mark gives reverse()'s link.
        self._link = _unsubscribe_link(self._mark)
        # The subjects' addresses, for notifications.outbox.context_for.
        self.urls: dict[Any, str] = {}

    def message(self, row: Outbox, context: dict[str, Any]) -> EmailMultiAlternatives:
        """The message for one outbox row; ``context`` comes from notifications.context_for."""
        token = (
            unsubscribe_token(user_id=row.recipient_id, kind=row.kind) if row.recipient_id else ""
        )
        language = sending_language(row)
        if registry.is_personal(row.kind):
            parts = self._render(row, {**context, "recipient": row.recipient}, token, language)
        else:
            key = (
                row.kind,
                row.subject_type_id,
                str(row.subject_id),
                row.occasion,
                language,
                bool(token),
                json.dumps(row.data, sort_keys=True, default=str),
            )
            if key not in self._shared:
                self._shared[key] = self._render(
                    row, context, self._mark if token else "", language
                )
            subject, text, html = (part.replace(self._mark, token) for part in self._shared[key])
            parts = (subject, text, html)
        subject, text, html = parts
        unsubscribe = self._link.replace(self._mark, token) if token else ""
        headers = {
            "X-Outbox-Id": str(row.pk),
            "Auto-Submitted": "auto-generated",
            "Content-Language": language,
            **unsubscribe_headers(unsubscribe),
        }
        message = OutboxMessage(
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
            body=text,
            to=[sending_address(row)],
            headers=headers,
        )
        message.attach_alternative(html, "text/html")
        for filename, content, mimetype in context.get("attachments", []):
            message.attach(filename, content, mimetype)
        return message

    @staticmethod
    def _render(
        row: Outbox, context: dict[str, Any], token: str, language: str
    ) -> tuple[str, str, str]:
        context = {
            **context,
            "site_url": settings.SITE_URL,
            "unsubscribe_url": _unsubscribe_link(token),
            "settings_url": absolute(reverse("notifications:settings")),
        }
        return render_email(kind=row.kind, language=language, context=context)


def _unsubscribe_link(token: str) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[token])) if token else ""


def build_message(row: Outbox, context: dict[str, Any]) -> EmailMultiAlternatives:
    """The message for one outbox row, rendered alone (a sweep uses one MessageRenderer)."""
    return MessageRenderer().message(row, context)


def build_digest(items: list[tuple[Outbox, dict[str, Any]]]) -> EmailMultiAlternatives:
    """One weekly message listing several outbox rows of one recipient (subject and link of
    each, as its single message would have had them), with a one-click unsubscribe from the
    digest (``DIGEST``) in a link and in the ``List-Unsubscribe`` headers. All of it is in one
    language, the recipient's as it is when it is sent, whatever each row was queued in."""
    first = items[0][0]
    language = sending_language(first)
    entries = []
    for row, context in items:
        full = {**context, "recipient": row.recipient, "site_url": settings.SITE_URL}
        subject, _text, _html = render_email(kind=row.kind, language=language, context=full)
        entries.append({"subject": subject, "url": context.get("url", settings.SITE_URL)})
    unsubscribe = unsubscribe_url(user_id=first.recipient_id, kind=DIGEST)
    context = {
        "entries": entries,
        "recipient": first.recipient,
        "unsubscribe_url": unsubscribe,
        "settings_url": absolute(reverse("notifications:settings")),
    }
    subject, text, html = render_email(kind="digest", language=language, context=context)
    message = OutboxMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        to=[sending_address(first)],
        headers={
            "X-Outbox-Id": ",".join(str(row.pk) for row, _context in items),
            "Auto-Submitted": "auto-generated",
            "Content-Language": language,
            **unsubscribe_headers(unsubscribe),
        },
    )
    message.attach_alternative(html, "text/html")
    return message
