"""One helper renders every e-mail: subject, plain text and HTML from
``templates/emails/<kind>_subject.txt``, ``<kind>_body.txt`` and ``<kind>_body.html`` (or the
shared ``base_body.html`` that shows the plain text), under the recipient's language.

Each message carries a one-click unsubscribe from its kind (RFC 8058): a signed token in a
link and in the ``List-Unsubscribe`` header.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Outbox

UNSUBSCRIBE_SALT = "krakow_ngo.notifications.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str]:
    """The (user id, kind) of a token; raises signing.BadSignature for a forged one."""
    value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(value["u"]), str(value["k"])


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def render_email(*, kind: str, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject (one line), plain text and HTML of a message of ``kind`` in ``language``."""
    with translation.override(language):
        subject = render_to_string(f"emails/{kind}_subject.txt", context)
        subject = " ".join(subject.split())
        text = render_to_string(f"emails/{kind}_body.txt", context).strip() + "\n"
        try:
            html_template = get_template(f"emails/{kind}_body.html")
        except TemplateDoesNotExist:
            html_template = get_template("emails/base_body.html")
        html = html_template.render({**context, "text_body": text, "email_subject": subject})
    return subject, text, html


def build_message(row: Outbox, context: dict[str, Any]) -> EmailMultiAlternatives:
    """The message for one outbox row; ``context`` comes from notifications.context_for."""
    unsubscribe_url = ""
    if row.recipient_id:
        token = unsubscribe_token(user_id=row.recipient_id, kind=row.kind)
        unsubscribe_url = absolute(reverse("notifications:unsubscribe", args=[token]))
    context = {
        **context,
        "recipient": row.recipient,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url,
        "settings_url": absolute(reverse("notifications:settings")),
    }
    subject, text, html = render_email(kind=row.kind, language=row.language, context=context)
    headers = {"X-Outbox-Id": str(row.pk), "Auto-Submitted": "auto-generated"}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        to=[row.email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in context.get("attachments", []):
        message.attach(filename, content, mimetype)
    return message


def build_digest(items: list[tuple[Outbox, dict[str, Any]]]) -> EmailMultiAlternatives:
    """One weekly message listing several outbox rows of one recipient (subject and link of
    each, as its single message would have had them)."""
    first = items[0][0]
    entries = []
    for row, context in items:
        full = {**context, "recipient": row.recipient, "site_url": settings.SITE_URL}
        subject, _text, _html = render_email(kind=row.kind, language=row.language, context=full)
        entries.append({"subject": subject, "url": context.get("url", settings.SITE_URL)})
    context = {
        "entries": entries,
        "recipient": first.recipient,
        "settings_url": absolute(reverse("notifications:settings")),
    }
    subject, text, html = render_email(kind="digest", language=first.language, context=context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        to=[first.email],
        headers={
            "X-Outbox-Id": ",".join(str(row.pk) for row, _context in items),
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
