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
