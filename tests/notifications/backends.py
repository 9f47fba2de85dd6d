"""E-mail backends for the tests: the SMTP boundary, refusing."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class SlowBackend(BaseEmailBackend):
    """Sends to django.core.mail.outbox, but before the first message lets a second sweep
    (starting now) run, as another worker would while this one is slow."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        from django.core import mail
        from django.core.mail.backends.locmem import EmailBackend

        from notifications.outbox import outbox_sweep

        if not getattr(SlowBackend, "_inside", False):
            SlowBackend._inside = True  # type: ignore[attr-defined]
            try:
                outbox_sweep()
            finally:
                SlowBackend._inside = False  # type: ignore[attr-defined]
        assert hasattr(mail, "outbox")
        return EmailBackend().send_messages(email_messages)


class CountingBackend(BaseEmailBackend):
    """Django's in-memory backend that counts how many connections the sweep made."""

    made = 0

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        CountingBackend.made += 1

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        from django.core.mail.backends.locmem import EmailBackend

        return EmailBackend().send_messages(email_messages)
