"""Keep ``Round.comments_changed_at`` true whatever path a change takes, so that no cached
round page outlives it (core.page_cache).

The comment services bump it themselves, also after their conditional UPDATEs (which send no
signals); these receivers catch the rest: comments and supports saved or deleted elsewhere
(the admin), and the names shown next to comments, which live on other apps' models: a person
who withdraws consent to show their name must not stay named on a cached page."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver
from django.utils import timezone

from teams.models import Organisation, User

from .models import Comment, Round, Support

_NAME_FIELDS = {"first_name", "last_name", "show_name_publicly", "is_active"}


def touch_rounds(condition: Q) -> None:
    """Mark the chosen rounds' pages changed (``comments_changed_at``, part of their cache
    key): for what a round page shows from elsewhere, such as the apps that compose it."""
    Round.objects.filter(condition).update(comments_changed_at=timezone.now())


@receiver(post_save, sender=User, dispatch_uid="consultations-user-name")
def user_saved(
    sender: Any, instance: User, created: bool, update_fields: Any, **kwargs: Any
) -> None:
    if created or (update_fields is not None and not _NAME_FIELDS & set(update_fields)):
        return
    touch_rounds(Q(comments__author=instance))


@receiver(post_save, sender=Organisation, dispatch_uid="consultations-organisation-name")
def organisation_saved(
    sender: Any, instance: Organisation, created: bool, update_fields: Any, **kwargs: Any
) -> None:
    if created or (update_fields is not None and "name" not in update_fields):
        return
    touch_rounds(Q(comments__organisation=instance) | Q(comments__supports__organisation=instance))


@receiver(post_save, sender=Comment, dispatch_uid="consultations-comment-saved")
@receiver(post_delete, sender=Comment, dispatch_uid="consultations-comment-deleted")
def comment_changed(sender: Any, instance: Comment, **kwargs: Any) -> None:
    touch_rounds(Q(pk=instance.round_id))


@receiver(post_save, sender=Support, dispatch_uid="consultations-support-saved")
@receiver(post_delete, sender=Support, dispatch_uid="consultations-support-deleted")
def support_changed(sender: Any, instance: Support, **kwargs: Any) -> None:
    touch_rounds(Q(comments__pk=instance.comment_id))


#: A round's report was published (committed). Sent with ``round_id`` and ``actor_id``;
#: documents freezes the report (documents/publications.py).
report_published = Signal()
