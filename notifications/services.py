"""A person's choices about e-mail."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import DigestChoice, NotificationOptOut


@transaction.atomic
def notification_settings_save(
    *, user: Any, digest: bool, receive: set[str], kinds: set[str]
) -> None:
    """The person's choices: a weekly digest or not, and which ``kinds`` they receive (the
    others are opted out of). Messages already queued keep their schedule."""
    if digest:
        DigestChoice.objects.get_or_create(user=user)
    else:
        DigestChoice.objects.filter(user=user).delete()
    NotificationOptOut.objects.filter(user=user, kind__in=receive).delete()
    for kind in sorted(kinds - receive):
        NotificationOptOut.objects.get_or_create(user=user, kind=kind)
