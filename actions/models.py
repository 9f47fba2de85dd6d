"""Goals of cooperation with their proposed solutions, and the postulated actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.text import excerpt
from teams.models import Meeting, Organisation, Team

TEXT_LIMIT = 2000


class Goal(models.Model):
    """A goal of the city's cooperation with NGOs, as a team worked it out in a meeting."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="goals")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="goals"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("goal"), max_length=500)
    proposed_solutions = models.TextField(
        _("proposed solutions"), blank=True, max_length=TEXT_LIMIT, help_text=_("One per line.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
        related_name="merged_goals",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["team", "number"]
        constraints = [
            models.UniqueConstraint(fields=["team", "number"], name="goal_unique_team_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def solution_list(self) -> list[str]:
        return [line.strip() for line in self.proposed_solutions.splitlines() if line.strip()]


class ActionQuerySet(models.QuerySet["Action"]):
    def public(self) -> ActionQuerySet:
        """Actions of meetings whose results are published (every action has a meeting): the
        public list, open data, and what the programme draft may link."""
        return self.filter(meeting__status=Meeting.Status.PUBLISHED)


class Action(models.Model):
    """A postulated action (postulowane działanie), numbered within its meeting's list."""

    class Status(models.TextChoices):
        POSTULATED = "postulated", _("postulated")
        ACCEPTED = "accepted", _("taken into the programme")
        REJECTED = "rejected", _("not taken into the programme")
        MERGED = "merged", _("merged into another action")

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"), max_length=TEXT_LIMIT)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.POSTULATED
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
        related_name="merged_actions",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("postulated action")
        verbose_name_plural = _("postulated actions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="action_unique_meeting_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {excerpt(self.text, 80)}"

    def get_absolute_url(self) -> str:
        return reverse("actions:meeting-actions", kwargs={"meeting_pk": self.meeting_id}) + (
            f"#action-{self.number}"
        )
