"""Project-wide records: the audit log of moderation-relevant changes."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who did what to which object, when and why. Written by services, never edited.

    ``target_repr`` keeps a readable name of the object so the entry still reads well after
    the object is deleted or anonymised.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("what"), max_length=64, db_index=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(_("object"), max_length=300, blank=True)
    reason = models.TextField(_("why"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class PdfRendering(models.Model):
    """A PDF made from a document's inputs, stored under MEDIA_ROOT and served until the
    inputs change. ``key`` is the hash of the inputs (template, context data, code version);
    ``builder`` + ``object_id`` say how to rebuild the document (see krakow_ngo/pdf.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("being made")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    key = models.CharField(max_length=64, unique=True)
    # The digest of the builder's cheap stamp (pdf.document_stamp) that was current when this
    # rendering's inputs were read: a request with the same stamp is served without building
    # the document. Empty when the builder has none or the inputs changed while being read.
    stamp = models.CharField(max_length=64, blank=True, default="")
    builder = models.CharField(max_length=200)
    object_id = models.CharField(max_length=64)
    template_name = models.CharField(max_length=200)
    title = models.CharField(_("title"), max_length=300, blank=True)
    filename = models.CharField(max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(upload_to="pdf/", blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    byte_size = models.PositiveIntegerField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("PDF rendering")
        verbose_name_plural = _("PDF renderings")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["builder", "object_id"])]

    def __str__(self) -> str:
        return f"{self.title or self.template_name} ({self.status})"

    @property
    def is_ready(self) -> bool:
        return (
            self.status == self.Status.DONE
            and bool(self.file)
            and self.file.storage.exists(self.file.name)
        )


class OutboxQuerySet(models.QuerySet["Outbox"]):
    def pending(self) -> OutboxQuerySet:
        return self.filter(sent_at=None, failed_at=None, cancelled_at=None)


class Outbox(models.Model):
    """One e-mail to one person, written in the same transaction as its cause and sent once
    by the sweep (krakow_ngo.outbox). The unique key (recipient, kind, subject, occasion)
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
        verbose_name = _("weekly digest choice")
        verbose_name_plural = _("weekly digest choices")

    def __str__(self) -> str:
        return f"{self.user_id} digest"
