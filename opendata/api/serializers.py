"""Read-only representations of the public data. No e-mail address is ever serialised; a
person's name appears only next to a comment whose author agreed to show it, never the official
who recorded an adoption.

Numbers: a count is a JSON integer; an amount or a measured value (an indicator's, a figure
other than a count) is a decimal string with two places ("41250000.50"), as DRF gives every
decimal, so that no amount passes through a binary float."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actions.models import Action, Goal
from consultations.models import Comment, Round
from consultations.phases import phase_of
from drafts.models import DraftVersion
from implementation.models import (
    COUNT_KINDS,
    VALUE_DIGITS,
    ActionPlan,
    ActionYear,
    Indicator,
    IndicatorValue,
    ProgrammeFigure,
)
from swot.models import SwotEntry
from teams.models import AgendaItem, Meeting, Team

from . import selectors

NULLABLE_URL = serializers.URLField(allow_null=True)
NULLABLE_STR = serializers.CharField(allow_null=True)
NULLABLE_INT = serializers.IntegerField(allow_null=True)


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^\d{2}:\d{2}:\d{2}$",
        "description": "Local time in Europe/Warsaw, HH:MM:SS.",
    }
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time without an offset (OpenAPI's ``format: time`` would demand one)."""


def _absolute(context: dict, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class TeamSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.title", read_only=True)
    html_url = serializers.SerializerMethodField()
    calendar_url = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = [
            "id",
            "slug",
            "name",
            "name_en",
            "other_names",
            "description",
            "programme",
            "html_url",
            "calendar_url",
        ]

    def get_html_url(self, obj: Team) -> str:
        return _absolute(self.context, obj.get_absolute_url())

    def get_calendar_url(self, obj: Team) -> str:
        return _absolute(self.context, reverse("open-data:team-calendar", args=[obj.slug]))


class AgendaItemSerializer(serializers.ModelSerializer):
    starts_at = LocalTimeField(read_only=True, allow_null=True)

    class Meta:
        model = AgendaItem
        fields = ["position", "numeral", "title", "starts_at", "duration_minutes"]


class MeetingSerializer(serializers.ModelSerializer):
    team_slug = serializers.CharField(source="team.slug", read_only=True)
    start_time = LocalTimeField(read_only=True, allow_null=True)
    end_time = LocalTimeField(read_only=True, allow_null=True)
    agenda_items = AgendaItemSerializer(many=True, read_only=True)
    results_published = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "team",
            "team_slug",
            "title",
            "date",
            "start_time",
            "end_time",
            "place",
            "online_url",
            "status",
            "results_published",
            "published_at",
            "agenda_items",
            "html_url",
            "pdf_url",
        ]

    def get_results_published(self, obj: Meeting) -> bool:
        return obj.status == Meeting.Status.PUBLISHED

    def get_html_url(self, obj: Meeting) -> str:
        return _absolute(self.context, obj.get_absolute_url())

    @extend_schema_field(NULLABLE_URL)
    def get_pdf_url(self, obj: Meeting) -> str | None:
        """The postulated actions as a PDF annex: public once the results are published."""
        if obj.status != Meeting.Status.PUBLISHED:
            return None
        return _absolute(self.context, reverse("pdf:meeting-actions", args=[obj.pk]))


class SwotEntrySerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="topic.meeting_id", read_only=True)
    team = serializers.IntegerField(source="topic.meeting.team_id", read_only=True)
    topic = serializers.CharField(source="topic.title", read_only=True)
    organisation = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True, default=None
    )
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = SwotEntry
        fields = ["id", "meeting", "team", "topic", "quadrant", "text", "organisation", "html_url"]

    def get_html_url(self, obj: SwotEntry) -> str:
        path = reverse("teams:meeting-detail", args=[obj.topic.meeting_id])
        return _absolute(self.context, f"{path}#swot-entry-{obj.pk}")


class GoalSerializer(serializers.ModelSerializer):
    proposed_solutions = serializers.SerializerMethodField()
    organisation = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True, default=None
    )
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = Goal
        fields = [
            "id",
            "team",
            "meeting",
            "number",
            "title",
            "proposed_solutions",
            "organisation",
            "html_url",
        ]

    def get_proposed_solutions(self, obj: Goal) -> list[str]:
        return obj.solution_list

    def get_html_url(self, obj: Goal) -> str:
        path = reverse("teams:meeting-detail", args=[obj.meeting_id])
        return _absolute(self.context, f"{path}#goal-{obj.pk}")


class ActionSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True, default=None
    )
    html_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "team",
            "meeting",
            "goal",
            "number",
            "text",
            "status",
            "merged_into",
            "organisation",
            "html_url",
            "pdf_url",
        ]

    def get_html_url(self, obj: Action) -> str:
        return _absolute(self.context, obj.get_absolute_url())

    def get_pdf_url(self, obj: Action) -> str:
        return _absolute(self.context, reverse("pdf:meeting-actions", args=[obj.meeting_id]))


class RoundSerializer(serializers.ModelSerializer):
    phase = serializers.SerializerMethodField()
    programme = serializers.CharField(source="programme.title", read_only=True)
    team = serializers.SerializerMethodField()
    report_published = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = [
            "id",
            "programme",
            "meeting",
            "team",
            "title",
            "goal",
            "subject",
            "scope_and_forms",
            "responsible_office",
            "contact",
            "opens_at",
            "closes_at",
            "phase",
            "announced_at",
            "report_published",
            "report_published_at",
            "html_url",
            "report_url",
        ]

    def get_phase(self, obj: Round) -> str:
        return str(phase_of(obj).value)

    @extend_schema_field(NULLABLE_INT)
    def get_team(self, obj: Round) -> int | None:
        return obj.meeting.team_id if obj.meeting_id else None  # type: ignore[union-attr]

    def get_report_published(self, obj: Round) -> bool:
        return selectors.report_is_public(obj)

    def get_html_url(self, obj: Round) -> str:
        return _absolute(self.context, obj.get_absolute_url())

    @extend_schema_field(NULLABLE_URL)
    def get_report_url(self, obj: Round) -> str | None:
        if not selectors.report_is_public(obj):
            return None
        return _absolute(self.context, reverse("consultations:round-report", args=[obj.pk]))


class CommentSerializer(serializers.ModelSerializer):
    item_type = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    organisation = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True, default=None
    )
    paragraph_uid = serializers.UUIDField(
        read_only=True,
        allow_null=True,
        help_text=(
            "The paragraph of the consulted version of the programme draft the comment is on "
            "(its uid, as in /api/v1/programme-versions/); null when it is not on a paragraph."
        ),
    )
    paragraph_number = serializers.SerializerMethodField()
    paragraph_label = serializers.SerializerMethodField()
    disposition = serializers.SerializerMethodField()
    justification = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()
    registration_number = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=(
            "Its number in the city's register of comments (KZ/<year>/<number>), as the "
            "consultation report and the comment table name it; null for a reply."
        ),
    )
    received_at = serializers.DateTimeField(
        source="received",
        read_only=True,
        help_text=(
            "When the comment reached the city: sent on the portal, or received by e-mail, "
            "post or in person for a comment the coordinating team registered (whose "
            "created_at is when it was registered)."
        ),
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "round",
            "parent",
            "item_type",
            "swot_entry",
            "goal",
            "action",
            "paragraph_uid",
            "paragraph_number",
            "paragraph_label",
            "author_role",
            "organisation",
            "author",
            "text",
            "proposed_wording",
            "created_at",
            "edited_at",
            "disposition",
            "justification",
            "html_url",
            "registration_number",
            "channel",
            "received_at",
        ]

    def get_item_type(self, obj: Comment) -> str:
        """What the comment is about: swot, goal, action, paragraph (of the programme draft),
        or round (the round as a whole)."""
        return obj.item_key.partition(":")[0] or "round"

    def _paragraph(self, obj: Comment, name: str) -> Any:
        """The comment's paragraph in the round's ``paragraph_numbers`` or
        ``paragraph_labels`` (None when it is on no paragraph of the consulted version).

        The maps are read once per version and request, not once per comment: every comment
        has its own copy of the round (select_related), each with its own cached map."""
        if obj.paragraph_uid is None:
            return None
        maps = self.context.setdefault(name, {})
        key = obj.round.draft_version_id
        if key not in maps:
            maps[key] = getattr(obj.round, name)
        return maps[key].get(str(obj.paragraph_uid))

    @extend_schema_field(
        serializers.IntegerField(
            allow_null=True,
            help_text=(
                "The paragraph's § number in the consulted version; null for the preamble's "
                "unnumbered paragraphs and for comments not on a paragraph."
            ),
        )
    )
    def get_paragraph_number(self, obj: Comment) -> int | None:
        return self._paragraph(obj, "paragraph_numbers")

    @extend_schema_field(
        serializers.CharField(
            allow_null=True,
            help_text=(
                "The paragraph as the round page names it: '§ 3', or the preamble's label, with "
                "the paragraph's place when the preamble has several (in Polish unless the "
                "language cookie chose English); null for comments not on a paragraph."
            ),
        )
    )
    def get_paragraph_label(self, obj: Comment) -> str | None:
        return self._paragraph(obj, "paragraph_labels")

    def get_author(self, obj: Comment) -> str:
        """The organisation or role, with the person's name only if they agreed to show it."""
        return obj.author_label

    @extend_schema_field(NULLABLE_STR)
    def get_disposition(self, obj: Comment) -> str | None:
        """How the coordinating team settled it: only once the round's report is published."""
        if obj.parent_id or not selectors.report_is_public(obj.round):
            return None
        return obj.disposition or None

    @extend_schema_field(NULLABLE_STR)
    def get_justification(self, obj: Comment) -> str | None:
        if obj.parent_id or not selectors.report_is_public(obj.round):
            return None
        return obj.justification or None

    def get_html_url(self, obj: Comment) -> str:
        return _absolute(self.context, obj.get_absolute_url())


class ParagraphSerializer(serializers.Serializer):
    uid = serializers.UUIDField(help_text="Stable across versions: diffs match paragraphs by it.")
    number = serializers.IntegerField(
        allow_null=True, default=None, help_text="§ number; none in the preamble."
    )
    text = serializers.CharField()


class ChapterSerializer(serializers.Serializer):
    element = serializers.IntegerField(help_text="0 = preamble, 1–11 = art. 5a ust. 4 elements.")
    numeral = serializers.CharField()
    title = serializers.CharField()
    paragraphs = ParagraphSerializer(many=True)


class ProgrammeVersionSerializer(serializers.ModelSerializer):
    """A published, numbered version of the programme draft, frozen: its chapters and
    paragraphs as they were published; for the adopted version, the council's resolution
    (never who recorded it: personal data)."""

    programme = serializers.CharField(source="draft.programme.title", read_only=True)
    title = serializers.CharField(source="draft.title", read_only=True)
    resolution_number = serializers.SerializerMethodField()
    resolution_date = serializers.SerializerMethodField()
    resolution_url = serializers.SerializerMethodField()
    adoption_recorded_at = serializers.SerializerMethodField()
    chapters = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    adopted_pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = DraftVersion
        fields = [
            "id",
            "programme",
            "title",
            "number",
            "published_at",
            "note",
            "adopted",
            "resolution_number",
            "resolution_date",
            "resolution_url",
            "adoption_recorded_at",
            "chapters",
            "html_url",
            "pdf_url",
            "adopted_pdf_url",
        ]

    @extend_schema_field(
        serializers.CharField(
            allow_null=True,
            help_text=_(
                "The number of the city council's resolution that adopted the programme in "
                "this version (e.g. XXI/123/11); null unless the version is adopted."
            ),
        )
    )
    def get_resolution_number(self, obj: DraftVersion) -> str | None:
        return (obj.resolution_number or None) if obj.adopted else None

    @extend_schema_field(
        serializers.DateField(
            allow_null=True,
            help_text=_("The date of that resolution; null unless the version is adopted."),
        )
    )
    def get_resolution_date(self, obj: DraftVersion) -> str | None:
        if not obj.adopted or obj.resolution_date is None:
            return None
        return obj.resolution_date.isoformat()

    @extend_schema_field(
        serializers.URLField(
            allow_null=True,
            help_text=_(
                "The https address of the resolution's publication (e.g. in the Public "
                "Information Bulletin); null unless the version is adopted."
            ),
        )
    )
    def get_resolution_url(self, obj: DraftVersion) -> str | None:
        return (obj.resolution_url or None) if obj.adopted else None

    @extend_schema_field(
        serializers.DateTimeField(
            allow_null=True,
            help_text=_(
                "When the adoption was recorded on the portal (not the resolution's date); "
                "null unless the version is adopted."
            ),
        )
    )
    def get_adoption_recorded_at(self, obj: DraftVersion) -> str | None:
        if not obj.adopted or obj.adopted_at is None:
            return None
        return serializers.DateTimeField().to_representation(obj.adopted_at)

    @extend_schema_field(ChapterSerializer(many=True))
    def get_chapters(self, obj: DraftVersion) -> list[dict]:
        return list(ChapterSerializer(obj.snapshot.get("sections", []), many=True).data)

    def get_html_url(self, obj: DraftVersion) -> str:
        return _absolute(self.context, obj.get_absolute_url())

    def get_pdf_url(self, obj: DraftVersion) -> str:
        return _absolute(self.context, reverse("drafts:version-pdf", args=[obj.pk]))

    @extend_schema_field(
        serializers.URLField(
            allow_null=True,
            help_text=_(
                "The adopted programme as the annex to the council's resolution (PDF, without "
                "the draft's PROJEKT mark); null unless the version is adopted."
            ),
        )
    )
    def get_adopted_pdf_url(self, obj: DraftVersion) -> str | None:
        if not obj.adopted:
            return None
        return _absolute(self.context, reverse("drafts:version-adopted-pdf", args=[obj.pk]))


class RoundArchiveSerializer(serializers.Serializer):
    """A whole round in one document: the announcement, the published items it consults and
    every published comment (with dispositions once the report is out)."""

    round = RoundSerializer()
    swot_entries = SwotEntrySerializer(many=True)
    goals = GoalSerializer(many=True)
    actions = ActionSerializer(many=True)
    comments = CommentSerializer(many=True)


# --- The follow-up of the adopted programme (implementation/) --------------------------------


class IndicatorValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = ["year", "planned", "achieved", "source"]


class IndicatorSerializer(serializers.ModelSerializer):
    values = IndicatorValueSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["name", "unit", "values"]


class ActionYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionYear
        fields = ["year", "status", "comment"]


class ActionPlanSerializer(serializers.ModelSerializer):
    action_number = serializers.IntegerField(source="action.number", read_only=True)
    action_text = serializers.CharField(source="action.text", read_only=True)
    team = serializers.IntegerField(source="action.team_id", read_only=True)
    partners = serializers.SerializerMethodField()
    years = ActionYearSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "programme",
            "action",
            "action_number",
            "action_text",
            "team",
            "responsible_unit",
            "partners",
            "years",
            "indicators",
            "html_url",
        ]

    def get_partners(self, obj: ActionPlan) -> list[str]:
        return sorted(organisation.name for organisation in obj.partners.all())

    def get_html_url(self, obj: ActionPlan) -> str:
        return _absolute(self.context, reverse("implementation:action", args=[obj.action_id]))


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 0},
            {"type": "string", "format": "decimal", "pattern": r"^\d+\.\d{2}$"},
        ],
        "description": _(
            "A count (kinds organisations, competitions, offers, contracts, non_financial) as "
            "an integer; an amount in PLN (funds_planned, funds_spent) or another figure as a "
            "decimal string with two places, like every decimal of the API."
        ),
    }
)
class FigureValueField(serializers.DecimalField):
    """A figure's value (the field is given the whole figure): a count as an integer, any
    other figure as DRF writes a decimal."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=VALUE_DIGITS, decimal_places=2, source="*", read_only=True, **kwargs
        )

    def to_representation(self, value: Any) -> Any:
        if value.kind in COUNT_KINDS:
            return int(value.value)
        return super().to_representation(value.value)


class ProgrammeFigureSerializer(serializers.ModelSerializer):
    value = FigureValueField()

    class Meta:
        model = ProgrammeFigure
        fields = ["id", "programme", "year", "kind", "name", "label", "value", "source"]
