"""Stored PDF renderings (see pdf/cache.py)."""

from __future__ import annotations

from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class PdfRendering(models.Model):
    """A PDF made from a document's inputs, in the default storage and served until the
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
        db_table = "krakow_ngo_pdfrendering"
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

    @property
    def etag(self) -> str:
        """The HTTP ETag of the stored file: a keyed hash of ``key`` (with SECRET_KEY), so that
        no response names the file in storage."""
        return f'"{salted_hmac("pdf.etag", self.key, algorithm="sha256").hexdigest()[:40]}"'
