"""One search over what is public: postulated actions, goals, SWOT entries, published
comments and the paragraphs of the newest published version of each programme draft.

On PostgreSQL with the ``unaccent`` extension (migration krakow_ngo 0010) the search is
full-text (``simple`` configuration, websearch syntax) over unaccented text, so "zrodla" finds
"źródła". Elsewhere (SQLite in development and tests) it falls back to a case-insensitive
substring match of the query as typed. Every kind reads its public selector
(``opendata.api.selectors``), so nothing hidden, withdrawn or unpublished is ever searched.

Programme paragraphs live in a version's frozen JSON snapshot, so they are matched in Python,
on every database alike (case and diacritics folded, every word must occur): the candidates
are the paragraphs of one document per programme, bounded by the document's length, not by
the number of users' contributions.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, Value
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from drafts.models import DraftVersion

from .api import selectors

QUERY_MIN = 2
QUERY_MAX = 200
PER_KIND = 20


@dataclass
class Hit:
    kind: str
    text: str
    context: str
    url: str


def unaccent_available() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
        return cursor.fetchone() is not None


def _match(queryset: QuerySet, fields: list[str], query: str, *, full_text: bool) -> QuerySet:
    if full_text:
        vector = SearchVector(
            *[Func(F(field), function="unaccent") for field in fields], config="simple"
        )
        search = SearchQuery(
            Func(Value(query), function="unaccent"), config="simple", search_type="websearch"
        )
        return queryset.annotate(search=vector).filter(search=search)
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": query})
    return queryset.filter(condition)


def fold(text: str) -> str:
    """Lower case without diacritics: "Źródła" -> "zrodla" (ł has no decomposition)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ł", "l"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _paragraph_hits(query: str) -> list[Hit]:
    words = fold(query).split()
    hits: list[Hit] = []
    newest: dict[int, DraftVersion] = {}
    for version in selectors.public_programme_versions().order_by("draft_id", "-number"):
        newest.setdefault(version.draft_id, version)
    for version in newest.values():
        for section in version.snapshot.get("sections", []):
            for paragraph in section.get("paragraphs", []):
                text = paragraph.get("text", "")
                folded = fold(text)
                if all(word in folded for word in words):
                    number = paragraph.get("number")
                    label = f"§ {number}" if number else section.get("title", "")
                    hits.append(
                        Hit(
                            "paragraph",
                            text,
                            f"{version} · {label}",
                            version.get_absolute_url() + f"#p-{paragraph.get('uid', '')}",
                        )
                    )
                    if len(hits) >= PER_KIND:
                        return hits
    return hits


def _implementation_matches(query: str, *, full_text: bool) -> QuerySet:
    """Followed actions whose responsible unit or one of whose indicators matches."""
    units = _match(
        selectors.public_action_plans(), ["responsible_unit"], query, full_text=full_text
    )
    indicators = _match(selectors.public_indicators(), ["name"], query, full_text=full_text)
    return (
        selectors.public_action_plans()
        .filter(Q(pk__in=units.values("pk")) | Q(pk__in=indicators.values("plan_id")))
        .order_by("-pk")[:PER_KIND]
    )


def search(query: str) -> dict[str, list[Hit]]:
    """Up to PER_KIND hits of each kind, newest rows first."""
    full_text = unaccent_available()
    actions = _match(selectors.public_actions(), ["text"], query, full_text=full_text)
    goals = _match(
        selectors.public_goals(), ["title", "proposed_solutions"], query, full_text=full_text
    )
    entries = _match(selectors.public_swot_entries(), ["text"], query, full_text=full_text)
    comments = _match(
        selectors.public_comments(), ["text", "proposed_wording"], query, full_text=full_text
    )
    return {
        "actions": [
            Hit(
                "action",
                f"{action.number}. {action.text}",
                f"{action.meeting.title} ({action.team.name})",
                action.get_absolute_url(),
            )
            for action in actions.order_by("-pk")[:PER_KIND]
        ],
        "goals": [
            Hit(
                "goal",
                f"{goal.number}. {goal.title}",
                f"{goal.meeting.title} ({goal.team.name})",
                reverse("teams:meeting-detail", args=[goal.meeting_id]) + f"#goal-{goal.pk}",
            )
            for goal in goals.order_by("-pk")[:PER_KIND]
        ],
        "swot_entries": [
            Hit(
                "swot",
                entry.text,
                entry.topic.meeting.title,
                reverse("teams:meeting-detail", args=[entry.topic.meeting_id])
                + f"#swot-entry-{entry.pk}",
            )
            for entry in entries.order_by("-pk")[:PER_KIND]
        ],
        "comments": [
            Hit(
                "comment",
                comment.text,
                f"{comment.round.title}: {comment.author_label}",
                f"{comment.round.get_absolute_url()}#comment-{comment.pk}",
            )
            for comment in comments.order_by("-pk")[:PER_KIND]
        ],
        "paragraphs": _paragraph_hits(query),
        "implementation": [
            Hit(
                "implementation",
                f"{plan.action.number}. {plan.action.text}",
                plan.responsible_unit,
                reverse("implementation:action", args=[plan.action_id]),
            )
            for plan in _implementation_matches(query, full_text=full_text)
        ],
    }


@require_safe
def search_view(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())
    error = ""
    results: dict[str, list[Hit]] | None = None
    if query:
        if len(query) < QUERY_MIN:
            error = _("Type at least %(min)s characters.") % {"min": QUERY_MIN}
        elif len(query) > QUERY_MAX:
            error = _("Type at most %(max)s characters.") % {"max": QUERY_MAX}
        else:
            results = search(query)
    sections = []
    if results is not None:
        sections = [
            (_("Postulated actions"), results["actions"]),
            (_("Goals"), results["goals"]),
            (_("SWOT entries"), results["swot_entries"]),
            (_("Published comments"), results["comments"]),
            (_("Programme draft"), results["paragraphs"]),
            (_("Implementation of the programme"), results["implementation"]),
        ]
    return render(
        request,
        "search.html",
        {
            "query": query,
            "error": error,
            "sections": sections,
            "total": sum(len(hits) for _label, hits in sections),
            "per_kind": PER_KIND,
        },
        status=400 if error else 200,
    )
