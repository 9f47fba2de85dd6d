"""The read-only open data API (/api/v1/): public data only, the same for every client.

Each endpoint reads one selector of ``opendata.api.selectors`` (what an anonymous visitor may
see) and narrows it with optional filters given as query parameters.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from actions.models import Action
from consultations.models import Disposition
from consultations.phases import Phase
from core.ids import ID_MAX, parse_id
from implementation.models import FigureKind
from swot.models import Quadrant
from teams.models import Meeting

from . import selectors, serializers

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ID = {"type": "integer", "minimum": 1, "maximum": ID_MAX}


def _param(name: str, description: StrOrPromise, *, kind: Any = ID, enum=None):
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, enum=enum)


TEAM = _param("team", _("Only rows of this branch team (its id)."))
MEETING = _param("meeting", _("Only rows of this meeting (its id)."))
ROUND = _param("round", _("Only comments of this consultation round (its id)."))


def one_of(allowed: list[str]) -> str:
    """The message of a choice filter given another value, in the request's language."""
    return _("One of: %(values)s.") % {"values": ", ".join(allowed)}


class Filtered(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint whose list narrows by integer and choice query parameters."""

    # query parameter -> queryset lookup, for integer ids
    id_filters: dict[str, str] = {}
    # query parameter -> (lookup, allowed values)
    choice_filters: dict[str, tuple[str, list[str]]] = {}

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        params = self.request.query_params
        for name, lookup in self.id_filters.items():
            raw = params.get(name)
            if raw is None or raw == "":
                continue
            value = parse_id(raw)
            if value is None:
                raise ValidationError({name: _("Give a whole number from 1.")})
            queryset = queryset.filter(**{lookup: value})
        for name, (lookup, allowed) in self.choice_filters.items():
            raw = params.get(name)
            if raw is None or raw == "":
                continue
            if raw not in allowed:
                raise ValidationError({name: one_of(allowed)})
            queryset = queryset.filter(**{lookup: raw})
        return queryset


@extend_schema_view(
    list=extend_schema(summary=_("Branch teams")),
    retrieve=extend_schema(summary=_("A branch team")),
)
class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.TeamSerializer

    def get_queryset(self) -> QuerySet:
        return selectors.public_teams()


PUBLIC_MEETING_STATUSES = [s.value for s in Meeting.Status if s != Meeting.Status.DRAFT]


@extend_schema_view(
    list=extend_schema(
        summary=_("Meetings with their agendas (never drafts)"),
        parameters=[
            TEAM,
            _param(
                "status", _("Only meetings in this phase."), kind=str, enum=PUBLIC_MEETING_STATUSES
            ),
        ],
    ),
    retrieve=extend_schema(summary=_("A meeting with its agenda")),
)
class MeetingViewSet(Filtered):
    serializer_class = serializers.MeetingSerializer
    id_filters = {"team": "team_id"}
    choice_filters = {"status": ("status", PUBLIC_MEETING_STATUSES)}

    def get_queryset(self) -> QuerySet:
        return selectors.public_meetings()


@extend_schema_view(
    list=extend_schema(
        summary=_("SWOT entries of meetings whose results are published"),
        parameters=[
            TEAM,
            MEETING,
            _param("quadrant", _("S, W, O or T."), kind=str, enum=[q.value for q in Quadrant]),
        ],
    ),
    retrieve=extend_schema(summary=_("A SWOT entry")),
)
class SwotEntryViewSet(Filtered):
    serializer_class = serializers.SwotEntrySerializer
    id_filters = {"team": "topic__meeting__team_id", "meeting": "topic__meeting_id"}
    choice_filters = {"quadrant": ("quadrant", [q.value for q in Quadrant])}

    def get_queryset(self) -> QuerySet:
        return selectors.public_swot_entries()


@extend_schema_view(
    list=extend_schema(
        summary=_("Goals of meetings whose results are published"), parameters=[TEAM, MEETING]
    ),
    retrieve=extend_schema(summary=_("A goal")),
)
class GoalViewSet(Filtered):
    serializer_class = serializers.GoalSerializer
    id_filters = {"team": "team_id", "meeting": "meeting_id"}

    def get_queryset(self) -> QuerySet:
        return selectors.public_goals()


ACTION_STATUSES = [s.value for s in Action.Status]


@extend_schema_view(
    list=extend_schema(
        summary=_("Postulated actions of meetings whose results are published"),
        parameters=[
            TEAM,
            MEETING,
            _param("goal", _("Only actions under this goal (its id).")),
            _param("status", _("Only actions with this status."), kind=str, enum=ACTION_STATUSES),
        ],
    ),
    retrieve=extend_schema(summary=_("A postulated action")),
)
class ActionViewSet(Filtered):
    serializer_class = serializers.ActionSerializer
    id_filters = {"team": "team_id", "meeting": "meeting_id", "goal": "goal_id"}
    choice_filters = {"status": ("status", ACTION_STATUSES)}

    def get_queryset(self) -> QuerySet:
        return selectors.public_actions()


ROUND_STATUSES = [p.value for p in Phase if p != Phase.DRAFT]


@extend_schema_view(
    list=extend_schema(
        summary=_("Consultation rounds (never drafts)"),
        parameters=[
            TEAM,
            MEETING,
            _param(
                "status",
                _(
                    "Only rounds whose stored status is this (an announced round is open for "
                    "comments between opens_at and closes_at; see the phase field)."
                ),
                kind=str,
                enum=ROUND_STATUSES,
            ),
        ],
    ),
    retrieve=extend_schema(summary=_("A consultation round")),
)
class RoundViewSet(Filtered):
    serializer_class = serializers.RoundSerializer
    id_filters = {"team": "meeting__team_id", "meeting": "meeting_id"}
    choice_filters = {"status": ("status", ROUND_STATUSES)}

    def get_queryset(self) -> QuerySet:
        return selectors.public_rounds()

    @extend_schema(
        summary=_("A whole round as one JSON document (archive)"),
        responses=serializers.RoundArchiveSerializer,
    )
    @action(detail=True, url_path="archive", pagination_class=None)
    def archive(self, request: Request, pk: str | None = None) -> Response:
        round_ = self.get_object()
        meeting_id = round_.meeting_id or 0
        archive = {
            "round": round_,
            "swot_entries": selectors.public_swot_entries().filter(topic__meeting_id=meeting_id),
            "goals": selectors.public_goals().filter(meeting_id=meeting_id),
            "actions": selectors.public_actions().filter(meeting_id=meeting_id),
            "comments": selectors.public_comments_with_paragraphs().filter(round=round_),
        }
        serializer = serializers.RoundArchiveSerializer(archive, context={"request": request})
        response = Response(serializer.data)
        response["Content-Disposition"] = f'inline; filename="round-{round_.pk}.json"'
        return response


DISPOSITIONS = [d.value for d in Disposition]


@extend_schema_view(
    list=extend_schema(
        summary=_("Published comments of consultation rounds (never hidden or withdrawn ones)"),
        parameters=[
            ROUND,
            TEAM,
            _param(
                "disposition",
                _("Only comments settled so (only rounds whose report is published)."),
                kind=str,
                enum=DISPOSITIONS,
            ),
        ],
    ),
    retrieve=extend_schema(summary=_("A published comment")),
)
class CommentViewSet(Filtered):
    serializer_class = serializers.CommentSerializer
    id_filters = {"round": "round_id", "team": "round__meeting__team_id"}

    def get_queryset(self) -> QuerySet:
        return selectors.public_comments_with_paragraphs()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        raw = self.request.query_params.get("disposition")
        if raw:
            if raw not in DISPOSITIONS:
                raise ValidationError({"disposition": one_of(DISPOSITIONS)})
            # Dispositions are public only with the round's report: never filter on others.
            queryset = queryset.filter(
                Q(round__status=Phase.REPORT_PUBLISHED), parent=None, disposition=raw
            )
        return queryset


@extend_schema_view(
    list=extend_schema(
        summary=_("Published versions of the programme draft, with their paragraphs")
    ),
    retrieve=extend_schema(summary=_("A published version of the programme draft")),
)
class ProgrammeVersionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ProgrammeVersionSerializer

    def get_queryset(self) -> QuerySet:
        return selectors.public_programme_versions()


# --- The human-readable overview (/api/) -------------------------------------------------


@functools.cache
def _endpoints(language: str) -> list[dict[str, Any]]:
    """The API's operations, read from the OpenAPI schema itself (so the page cannot drift),
    in the active language (the argument keys the cache: the schema is made in one)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    endpoints = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "description": parameter.get("description", ""),
                            "enum": parameter.get("schema", {}).get("enum", []),
                        }
                        for parameter in operation.get("parameters", [])
                        if parameter.get("in") == "query"
                        and parameter["name"] not in ("page", "page_size")
                    ],
                }
            )
    return endpoints


@require_safe
def api_overview(request: HttpRequest) -> HttpResponse:
    """A plain page for people: what the open data offers, and where."""
    return render(request, "api/overview.html", {"endpoints": _endpoints(get_language())})


PROGRAMME = _param("programme", _("Only rows of this programme (its id)."))


@extend_schema_view(
    list=extend_schema(
        summary=_("How the adopted programme's actions are implemented"),
        parameters=[PROGRAMME, TEAM],
    ),
    retrieve=extend_schema(summary=_("One action's implementation")),
)
class ActionPlanViewSet(Filtered):
    serializer_class = serializers.ActionPlanSerializer
    id_filters = {"programme": "programme_id", "team": "action__team_id"}

    def get_queryset(self) -> QuerySet:
        return selectors.public_action_plans()


@extend_schema_view(
    list=extend_schema(
        summary=_("The programme's evaluation figures by year"),
        parameters=[
            PROGRAMME,
            _param("year", _("Only figures of this year.")),
            _param("kind", _("Only figures of this kind."), kind=str, enum=FigureKind.values),
        ],
    ),
    retrieve=extend_schema(summary=_("An evaluation figure")),
)
class ProgrammeFigureViewSet(Filtered):
    serializer_class = serializers.ProgrammeFigureSerializer
    id_filters = {"programme": "programme_id", "year": "year"}
    choice_filters = {"kind": ("kind", FigureKind.values)}

    def get_queryset(self) -> QuerySet:
        return selectors.public_programme_figures()
