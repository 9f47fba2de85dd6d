"""What is public, as querysets: the one place the API, the feeds and the search read from.

These mirror the predicates for an anonymous visitor, as filters:

- meetings: ``teams.permissions.can_view_meeting`` — every meeting except drafts;
- SWOT entries, goals, actions: ``teams.meeting_permissions.can_view_results`` — only those of
  meetings whose results are published (current ones: merged entries stay on record only);
- rounds: ``consultations.permissions.can_view_round`` — every round except drafts;
- comments: ``consultations.permissions.can_see_comment`` — never hidden, never withdrawn;
- dispositions: ``consultations.permissions.can_view_report`` — only once the report is out;
- the follow-up of the adopted programme (``implementation``): all of it is public (a plan
  exists only for an action of an adopted programme), as the implementation pages show it;
- programme draft: its published versions (``drafts.views.get_version``), never
  the working copy.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from actions.models import Action, Goal
from consultations.models import Comment, Round
from consultations.phases import Feature, Phase, phase_opens
from drafts.models import DraftVersion
from implementation import rules
from implementation.models import ActionPlan, Indicator, ProgrammeFigure
from swot.models import SwotEntry
from teams.models import AgendaItem, Meeting, Team

PUBLISHED = Meeting.Status.PUBLISHED


def public_teams() -> QuerySet[Team]:
    return Team.objects.select_related("programme").order_by("pk")


def public_meetings() -> QuerySet[Meeting]:
    return (
        Meeting.objects.public()
        .select_related("team")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position"))
        )
        .order_by("pk")
    )


def public_swot_entries() -> QuerySet[SwotEntry]:
    return (
        SwotEntry.objects.current()
        .filter(topic__meeting__status=PUBLISHED)
        .select_related("topic__meeting", "organisation")
        .order_by("pk")
    )


def public_goals() -> QuerySet[Goal]:
    return (
        Goal.objects.filter(meeting__status=PUBLISHED, merged_into__isnull=True)
        .select_related("meeting", "team", "organisation")
        .order_by("pk")
    )


def public_actions() -> QuerySet[Action]:
    return Action.objects.public().select_related("meeting", "team", "organisation").order_by("pk")


def public_rounds() -> QuerySet[Round]:
    return Round.objects.visible().select_related("meeting", "programme").order_by("pk")


def public_comments() -> QuerySet[Comment]:
    """Comments anyone may read: shown (neither hidden nor withdrawn), in an announced round."""
    return (
        Comment.objects.shown()
        .exclude(round__status=Phase.DRAFT)
        # A reply is public under a comment anyone may read, and under a hidden one, whose place
        # the round page keeps for everyone with its replies (consultations.permissions.
        # sees_placeholder); not under a withdrawn one, which is gone with its thread.
        .outside_withdrawn_threads()
        .select_related("round", "organisation", "author")
        .order_by("pk")
    )


def public_comments_with_paragraphs() -> QuerySet[Comment]:
    """``public_comments()`` with the draft version each round consults, for the § number of
    comments on its paragraphs: one more query for any number of rows (none when no round on
    the page consults a version). Only the snapshot is loaded; the search does without."""
    return public_comments().prefetch_related(
        Prefetch("round__draft_version", queryset=DraftVersion.objects.only("pk", "snapshot"))
    )


def public_programme_versions() -> QuerySet[DraftVersion]:
    """Published versions of the programme draft are public (the working copy is not)."""
    return DraftVersion.objects.select_related("draft__programme").order_by("pk")


def report_is_public(round_: Round) -> bool:
    return phase_opens(round_, Feature.REPORT)


def public_action_plans() -> QuerySet[ActionPlan]:
    """Each followed action's unit, partners, yearly statuses and indicators."""
    return (
        ActionPlan.objects.select_related("action__team", "programme")
        .prefetch_related("partners", "years", "indicators__values")
        .order_by("pk")
    )


def public_indicators() -> QuerySet[Indicator]:
    return Indicator.objects.order_by("pk")


def public_programme_figures() -> QuerySet[ProgrammeFigure]:
    """The evaluation figures of years whose implementation report is published: before
    that they are the report's draft, which only officials and the coordinating team see
    (implementation.rules.published_years; docs/implementation.md)."""
    return (
        ProgrammeFigure.objects.filter(rules.in_published_year())
        .select_related("programme")
        .order_by("programme", "year", "pk")
    )
