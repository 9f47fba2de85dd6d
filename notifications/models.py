"""The outbox and each person's choices about e-mail (see notifications/outbox.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxQuerySet(models.QuerySet["Outbox"]):
    def pending(self) -> OutboxQuerySet:
        return self.filter(sent_at=None, failed_at=None, cancelled_at=None)

    def about(self, subject: models.Model) -> OutboxQuerySet:
        """The messages whose subject is ``subject`` (of any kind, to anyone)."""
        return self.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
        )


class Outbox(models.Model):
    """One e-mail to one person, written in the same transaction as its cause and sent once
    by the sweep (notifications.outbox). The unique key (recipient, kind, subject, occasion)
    makes enqueueing idempotent: the same cause never queues the same message twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8, default="pl")
    kind = models.CharField(_("kind"), max_length=40)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.CharField(max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    occasion = models.CharField(_("occasion"), max_length=100, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(_("due at"), db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(_("last error"), blank=True)
    failed_at = models.DateTimeField(_("failed permanently at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    # Held for the recipient's weekly digest: sent together with the others, not alone.
    digest = models.BooleanField(default=False)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        db_table = "krakow_ngo_outbox"
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_type", "subject_id", "occasion"],
                name="outbox_unique_message",
            )
        ]
        indexes = [models.Index(fields=["sent_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.email} ({self.occasion})"


class NotificationOptOut(models.Model):
    """A person does not want e-mails of one kind (recorded by the one-click unsubscribe)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_opt_outs"
    )
    kind = models.CharField(_("kind"), max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "krakow_ngo_notificationoptout"
        verbose_name = _("notification opt-out")
        verbose_name_plural = _("notification opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="optout_unique_user_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ✕ {self.kind}"


class DigestChoice(models.Model):
    """A person chose one weekly digest instead of single messages (where a message can wait)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_choice"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "krakow_ngo_digestchoice"
        verbose_name = _("weekly digest choice")
        verbose_name_plural = _("weekly digest choices")

    def __str__(self) -> str:
        return f"{self.user_id} digest"
