"""One helper renders every e-mail: subject, plain text and HTML from
``templates/emails/<kind>_subject.txt``, ``<kind>_body.txt`` and ``<kind>_body.html`` (or the
shared ``base_body.html`` that shows the plain text), under the recipient's language.

Each message carries a one-click unsubscribe from its kind (RFC 8058): a signed token in a
link and in the ``List-Unsubscribe`` header. The weekly digest carries one too, whose token's
kind is ``DIGEST``: it stops the digest and every kind of message it gathers.
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

from core.site import absolute
from core.text import strip_bidi

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
        rendered = render_to_string(f"emails/{kind}_subject.txt", context)
        subject = " ".join(strip_bidi(rendered).split())
        text = render_to_string(f"emails/{kind}_body.txt", context).strip() + "\n"
        try:
            html_template = get_template(f"emails/{kind}_body.html")
        except TemplateDoesNotExist:
            html_template = get_template("emails/base_body.html")
        html = html_template.render({**context, "text_body": text, "email_subject": subject})
    return subject, text, html


def unsubscribe_url(*, user_id: int | None, kind: str) -> str:
    """The absolute one-click link for a person and a kind (or DIGEST); none without a person."""
    if not user_id:
        return ""
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return absolute(reverse("notifications:unsubscribe", args=[token]))


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058: the link, and that a POST to it unsubscribes at once (no page to confirm)."""
    if not url:
        return {}
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def build_message(row: Outbox, context: dict[str, Any]) -> EmailMultiAlternatives:
    """The message for one outbox row; ``context`` comes from notifications.context_for."""
    unsubscribe = unsubscribe_url(user_id=row.recipient_id, kind=row.kind)
    context = {
        **context,
        "recipient": row.recipient,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe,
        "settings_url": absolute(reverse("notifications:settings")),
    }
    subject, text, html = render_email(kind=row.kind, language=row.language, context=context)
    headers = {
        "X-Outbox-Id": str(row.pk),
        "Auto-Submitted": "auto-generated",
        **unsubscribe_headers(unsubscribe),
    }
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
    each, as its single message would have had them), with a one-click unsubscribe from the
    digest (``DIGEST``) in a link and in the ``List-Unsubscribe`` headers."""
    first = items[0][0]
    entries = []
    for row, context in items:
        full = {**context, "recipient": row.recipient, "site_url": settings.SITE_URL}
        subject, _text, _html = render_email(kind=row.kind, language=row.language, context=full)
        entries.append({"subject": subject, "url": context.get("url", settings.SITE_URL)})
    unsubscribe = unsubscribe_url(user_id=first.recipient_id, kind=DIGEST)
    context = {
        "entries": entries,
        "recipient": first.recipient,
        "unsubscribe_url": unsubscribe,
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
            **unsubscribe_headers(unsubscribe),
        },
    )
    message.attach_alternative(html, "text/html")
    return message
