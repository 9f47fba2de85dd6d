"""The programme draft: a working copy of the programme (the preamble and the 11 statutory
elements of art. 5a ust. 4, numbered § paragraphs with stable uids, linked goals and actions)
and its published, frozen versions. Consultation rounds consult a version; which settled
comments a paragraph answers is recorded by consultations (``Comment.draft_paragraphs``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.models import Action, Goal
from core.text import excerpt
from teams.models import Programme

#: The longest note on a published version (the same as a comment).
NOTE_LIMIT = 2000
#: The longest opinion of the public benefit council (KRDPP) kept as text.
OPINION_LIMIT = 20000


class DraftElement(models.IntegerChoices):
    """The preamble and the 11 elements of art. 5a ust. 4, in the statutory order."""

    PREAMBLE = 0, _("preamble")
    GOALS = 1, _("main goal and specific goals")
    PRINCIPLES = 2, _("principles of cooperation")
    SCOPE = 3, _("subject scope")
    FORMS = 4, _("forms of cooperation")
    PRIORITY_TASKS = 5, _("priority public tasks")
    PERIOD = 6, _("period of the programme")
    IMPLEMENTATION = 7, _("method of implementation")
    FUNDS = 8, _("planned funds")
    EVALUATION = 9, _("evaluation method")
    CREATION = 10, _("how the programme was created and how consultation went")
    COMMITTEES = 11, _("competition committees")


class ProgrammeDraft(models.Model):
    """The working copy of a programme's draft: one per programme."""

    programme = models.OneToOneField(Programme, on_delete=models.PROTECT, related_name="draft")
    title = models.CharField(_("title"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "consultations_programmedraft"
        verbose_name = _("programme draft")
        verbose_name_plural = _("programme drafts")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("drafts:draft-edit", kwargs={"pk": self.pk})


# Chapters are numbered in Roman numerals, as the published programme numbers them; the
# preamble (element 0) has none.
NUMERALS = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


class DraftSection(models.Model):
    """A chapter of the working copy: the preamble or one statutory element. Goals and
    actions are linked (rendered from the live rows), not retyped."""

    draft = models.ForeignKey(ProgrammeDraft, on_delete=models.CASCADE, related_name="sections")
    element = models.PositiveSmallIntegerField(_("element"), choices=DraftElement.choices)
    title = models.CharField(_("chapter title"), max_length=300)
    goals = models.ManyToManyField(Goal, blank=True, related_name="+")
    actions = models.ManyToManyField(Action, blank=True, related_name="+")

    class Meta:
        db_table = "consultations_draftsection"
        verbose_name = _("draft section")
        verbose_name_plural = _("draft sections")
        ordering = ["draft", "element"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "element"], name="draft_section_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def numeral(self) -> str:
        return NUMERALS[self.element]


class DraftParagraph(models.Model):
    """A paragraph (§) of the working copy. ``uid`` survives versions: comments and diffs
    match paragraphs by it."""

    section = models.ForeignKey(DraftSection, on_delete=models.CASCADE, related_name="paragraphs")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("text"), max_length=10000)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "consultations_draftparagraph"
        verbose_name = _("draft paragraph")
        verbose_name_plural = _("draft paragraphs")
        ordering = ["section", "position", "pk"]

    def __str__(self) -> str:
        return excerpt(self.text, 60)


class DraftVersion(models.Model):
    """A published, numbered, dated version of the draft: a frozen snapshot (JSON) of its
    sections, paragraphs (with their uids) and linked goals and actions."""

    draft = models.ForeignKey(ProgrammeDraft, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("what changed"), blank=True, max_length=NOTE_LIMIT)
    snapshot = models.JSONField(editable=False)
    # The annexes as published with the version (each published meeting's actions and SWOT,
    # each published consultation report: documents.programme.programme_annexes), kept when
    # it is published (signals.version_publishing), so that the version's PDF and the adopted
    # programme print the annexes that were consulted, not the live rows. None for versions
    # published before they were kept: those print the live annexes.
    annexes = models.JSONField(null=True, blank=True, editable=False)
    adopted = models.BooleanField(_("adopted by the council"), default=False)
    # The council's resolution (set once, by draft_version_adopt).
    resolution_number = models.CharField(_("resolution number"), max_length=50, blank=True)
    resolution_date = models.DateField(_("resolution date"), null=True, blank=True)
    resolution_url = models.URLField(_("resolution's publication"), blank=True)
    krdpp_opinion = models.TextField(
        _("opinion of the public benefit council"), blank=True, max_length=OPINION_LIMIT
    )
    adopted_at = models.DateTimeField(_("adoption recorded at"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "consultations_draftversion"
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        ordering = ["draft", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="draft_version_unique"),
            # A programme is adopted once.
            models.UniqueConstraint(
                fields=["draft"], condition=models.Q(adopted=True), name="draft_adopted_once"
            ),
        ]

    def __str__(self) -> str:
        return _("%(draft)s, version %(number)s") % {"draft": self.draft, "number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("drafts:version-detail", kwargs={"pk": self.pk})
