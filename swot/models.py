"""SWOT analysis of a meeting: topics, and entries in the four quadrants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import excerpt
from teams.models import AgendaItem, Meeting, Organisation

ENTRY_TEXT_LIMIT = 1000


class Quadrant(models.TextChoices):
    STRENGTHS = "S", _("Strengths")
    WEAKNESSES = "W", _("Weaknesses")
    OPPORTUNITIES = "O", _("Opportunities")
    THREATS = "T", _("Threats")


class SwotTopic(models.Model):
    """A set topic of a meeting's SWOT analysis."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="swot_topics")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="swot_topics",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=500)

    class Meta:
        verbose_name = _("SWOT topic")
        verbose_name_plural = _("SWOT topics")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="swottopic_unique_meeting_position"
            )
        ]

    def __str__(self) -> str:
        return self.title


def quadrant_order() -> models.Case:
    """The quadrants in the seeds' order ("silne i słabe strony, szanse i zagrożenia": S, W, O,
    T, the order of ``Quadrant``), not the letters' alphabetical order."""
    return models.Case(
        *[models.When(quadrant=q.value, then=models.Value(i)) for i, q in enumerate(Quadrant)],
        output_field=models.IntegerField(),
    )


class SwotEntryQuerySet(models.QuerySet["SwotEntry"]):
    def current(self) -> SwotEntryQuerySet:
        """Entries on the board: merged entries stay on record but are not shown twice."""
        return self.filter(merged_into__isnull=True)

    def in_board_order(self) -> SwotEntryQuerySet:
        """Topic by topic, each quadrant in the seeds' order, entries by their position."""
        return self.order_by("topic__position", quadrant_order(), "position", "pk")


class SwotEntry(models.Model):
    topic = models.ForeignKey(SwotTopic, on_delete=models.CASCADE, related_name="entries")
    quadrant = models.CharField(_("quadrant"), max_length=1, choices=Quadrant.choices)
    text = models.TextField(_("text"), max_length=ENTRY_TEXT_LIMIT)
    position = models.PositiveIntegerField(_("position"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="swot_entries",
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_entries",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SwotEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("SWOT entry")
        verbose_name_plural = _("SWOT entries")
        ordering = ["topic", "quadrant", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.quadrant}: {excerpt(self.text, 60)}"
