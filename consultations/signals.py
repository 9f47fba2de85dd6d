"""Keep ``Round.comments_changed_at`` and ``Comment.thread_version`` true whatever path a
change takes, so that no cached round page (core.page_cache) and no cached comment thread
(consultations.fragments) outlives it.

The comment services bump it themselves, also after their conditional UPDATEs (which send no
signals); these receivers catch the rest: comments and supports saved or deleted elsewhere
(the admin), and the names shown next to comments, which live on other apps' models: a person
who withdraws consent to show their name must not stay named on a cached page."""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection
from django.db.models import F, Q
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


def touch_round(pk: int) -> None:
    """``touch_rounds`` for one round, in SQL written once per process: every new comment
    asks it, and the ORM's compiling of the UPDATE cost more than running it
    (docs/architecture.md, "Posting")."""
    field = Round._meta.get_field("comments_changed_at")
    with connection.cursor() as cursor:
        cursor.execute(
            _touch_round_sql(connection.vendor),
            [field.get_db_prep_value(timezone.now(), connection), pk],
        )


@functools.cache
def _touch_round_sql(vendor: str) -> str:
    """``vendor`` keys the cache by the quoting the SQL was written with."""
    quote = connection.ops.quote_name
    meta = Round._meta
    changed = quote(meta.get_field("comments_changed_at").column)
    # Only the model's own table and column names are formatted in; the values are parameters.
    return f"UPDATE {quote(meta.db_table)} SET {changed} = %s WHERE {quote(meta.pk.column)} = %s"  # noqa: S608


def touch_comments(condition: Q) -> None:
    """The comments matching ``condition`` changed (or what is shown with them): bump the
    ``thread_version`` of each one's thread (the comment itself, or its parent for a reply) and
    mark their rounds changed."""
    changed = Comment.objects.filter(condition)
    threads = Q(pk__in=changed.filter(parent=None).values("pk")) | Q(
        pk__in=changed.exclude(parent=None).values("parent_id")
    )
    Comment.objects.filter(threads).update(thread_version=F("thread_version") + 1)
    touch_rounds(Q(pk__in=changed.values("round_id")))


@receiver(post_save, sender=User, dispatch_uid="consultations-user-name")
def user_saved(
    sender: Any, instance: User, created: bool, update_fields: Any, **kwargs: Any
) -> None:
    if created or (update_fields is not None and not _NAME_FIELDS & set(update_fields)):
        return
    touch_comments(Q(author=instance))


@receiver(post_save, sender=Organisation, dispatch_uid="consultations-organisation-name")
def organisation_saved(
    sender: Any, instance: Organisation, created: bool, update_fields: Any, **kwargs: Any
) -> None:
    if created or (update_fields is not None and "name" not in update_fields):
        return
    touch_comments(Q(organisation=instance) | Q(supports__organisation=instance))


@receiver(post_save, sender=Comment, dispatch_uid="consultations-comment-saved")
def comment_saved(sender: Any, instance: Comment, created: bool, **kwargs: Any) -> None:
    if created and instance.parent_id is None:
        # A new thread: nothing of it can be cached yet (ids are never reused), only its
        # round's pages, which list it.
        touch_round(instance.round_id)
        return
    touch_comments(Q(pk=instance.pk))


@receiver(post_delete, sender=Comment, dispatch_uid="consultations-comment-deleted")
def comment_deleted(sender: Any, instance: Comment, **kwargs: Any) -> None:
    if instance.parent_id is not None:
        touch_comments(Q(pk=instance.parent_id))
    touch_rounds(Q(pk=instance.round_id))


@receiver(post_save, sender=Support, dispatch_uid="consultations-support-saved")
@receiver(post_delete, sender=Support, dispatch_uid="consultations-support-deleted")
def support_changed(sender: Any, instance: Support, **kwargs: Any) -> None:
    touch_comments(Q(pk=instance.comment_id))


#: A round's report was published (committed). Sent with ``round_id`` and ``actor_id``;
#: documents freezes the report (documents/publications.py).
report_published = Signal()
