"""Publications: what a published document showed at the moment it was published, kept as
the record (see documents/publications.py and docs/programme.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import excerpt


class Publication(models.Model):
    """A published document frozen: the HTML its PDF is made from, rendered once from the
    builder's data at publication, and the PDF made from it once (``file``, ``sha256``).
    Nothing here changes after the render; a correction is an erratum (``PublicationChange``)
    or a new version. The record fields follow Kraków's public information bulletin (BIP):
    publishing body, responsible person, created, published and updated dates."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("being made")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    kind = models.CharField(max_length=32)
    object_id = models.CharField(max_length=64)
    title = models.CharField(_("title"), max_length=300)
    filename = models.CharField(max_length=200)
    html = models.TextField(editable=False)
    #: The document part of its HTML page, frozen with the PDF's HTML (documents/pages.py):
    #: ``head`` and, for a report, ``pages`` (the rows of each page of its table) and ``rows``
    #: (its CSV/XLSX). None for a kind without a page of its own (the version page is built
    #: from the version's snapshot) and for a publication frozen before pages were.
    page = models.JSONField(null=True, editable=False)
    publishing_body = models.CharField(_("publishing body"), max_length=300)
    responsible = models.CharField(_("responsible person"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"))
    published_at = models.DateTimeField(_("published"))
    frozen_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(upload_to="publications/", blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    byte_size = models.PositiveIntegerField(null=True, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="publication_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)

    @property
    def anchor(self) -> str:
        """The id of its record on its page (a version page shows two records)."""
        return "publication-record" if self.kind == "version" else f"publication-record-{self.kind}"

    @property
    def updated_at(self) -> object:
        # From the prefetched register where the record has it (one query less).
        return max((change.at for change in self.changes.all()), default=None)


class PublicationChange(models.Model):
    """An entry of a publication's change register: a dated erratum, signed. The frozen
    bytes stay as they were."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="changes")
    at = models.DateTimeField(_("date"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_name = models.CharField(_("by"), max_length=300)
    text = models.TextField(_("erratum"), max_length=4000)

    class Meta:
        verbose_name = _("erratum")
        verbose_name_plural = _("errata")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return excerpt(self.text, 60)


class PublicationFile(models.Model):
    """A file of a publication besides its PDF, made once at publication from the same data
    (a consultation report's ODT and DOCX, its comment table's spreadsheets and text
    documents) and served from these bytes ever after."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="files")
    #: What the file is, as its URL names it (``report.odt``, ``comment-table.csv``).
    name = models.CharField(max_length=64)
    file = models.FileField(upload_to="publications/files/")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("file of a publication")
        verbose_name_plural = _("files of a publication")
        constraints = [
            models.UniqueConstraint(fields=["publication", "name"], name="publication_file_unique")
        ]

    def __str__(self) -> str:
        return f"{self.publication} – {self.name}"
