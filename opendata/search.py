"""One search over what is public: postulated actions, goals, SWOT entries, published
comments, the paragraphs of the newest published version of each programme draft, and the
follow-up of an adopted programme's actions (responsible unit, indicators).

It understands Polish inflection the same way on SQLite and PostgreSQL: every searchable text
is kept in ``SearchEntry`` as its words and their base forms (``opendata.polish``, Morfeusz 2),
folded; a query's words are analysed the same way, and a text matches when each query word
meets one of its words by a base form ("wolontariat" finds "wolontariacie") or by a shared
beginning of at least five letters ("mieszkań" finds "mieszkalnictwa"). Results are ranked
(base forms before beginnings, then how often, then newest) and shown with the matching
fragment marked. Every kind reads its public selector (``opendata.api.selectors``), so
nothing hidden, withdrawn or unpublished is ever shown.

The index is brought up to date before each search (``index_sync``): a text whose indexed
``source`` differs from the row's is analysed again, whatever changed it (a service, the
admin, a bulk update, the seeds), so no save path can be forgotten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from drafts.models import DraftVersion

from .api import selectors
from .models import SearchEntry
from .polish import WORD, Term, forms, index_words, query_terms

QUERY_MIN = 2
QUERY_MAX = 200
PER_KIND = 20
# Matching rows ranked in Python, newest first, per kind: far more than anyone reads.
CANDIDATES = 500
FRAGMENT_CHARS = 300


@dataclass(frozen=True)
class Part:
    """A piece of a hit's fragment; ``match`` pieces are marked (the template escapes all)."""

    text: str
    match: bool = False


@dataclass
class Hit:
    kind: str
    text: str
    context: str
    url: str
    score: int = 0
    fragment: list[Part] = field(default_factory=list)


@dataclass(frozen=True)
class Kind:
    """A kind of searchable row: its public rows and the text that is searched."""

    name: str
    rows: Callable[[], QuerySet]
    source: Callable[[], Any]


def _joined(*fields: str) -> Any:
    parts: list[Any] = []
    for name in fields:
        parts += [Value("\n"), F(name)] if parts else [F(name)]
    return Concat(*parts, output_field=TextField()) if len(parts) > 1 else F(fields[0])


KINDS = {
    "action": Kind("action", selectors.public_actions, lambda: _joined("text")),
    "goal": Kind("goal", selectors.public_goals, lambda: _joined("title", "proposed_solutions")),
    "swot": Kind("swot", selectors.public_swot_entries, lambda: _joined("text")),
    "comment": Kind(
        "comment", selectors.public_comments, lambda: _joined("text", "proposed_wording")
    ),
    # The follow-up of an adopted programme's actions: found by the responsible unit or by
    # the name of one of the action's indicators.
    "plan": Kind("plan", selectors.public_action_plans, lambda: _joined("responsible_unit")),
    "indicator": Kind("indicator", selectors.public_indicators, lambda: _joined("name")),
}
PARAGRAPH = "paragraph"


def _store(entries: Iterable[tuple[str, int, str, str]]) -> None:
    """Write (kind, object_id, part, source) entries, replacing what an entry held."""
    rows = [
        SearchEntry(kind=kind, object_id=pk, part=part, source=source, words=index_words(source))
        for kind, pk, part, source in entries
    ]
    if rows:
        SearchEntry.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["kind", "object_id", "part"],
            update_fields=["source", "words"],
        )


def _newest_versions() -> list[DraftVersion]:
    newest: dict[int, DraftVersion] = {}
    for version in selectors.public_programme_versions().order_by("draft_id", "-number"):
        newest.setdefault(version.draft_id, version)
    return list(newest.values())


def _paragraphs(version: DraftVersion) -> Iterable[tuple[dict[str, Any], dict[str, Any]]]:
    for section in version.snapshot.get("sections", []):
        for paragraph in section.get("paragraphs", []):
            if paragraph.get("uid") and paragraph.get("text"):
                yield section, paragraph


def index_sync() -> None:
    """Index every public text that has no entry yet or whose text changed since."""
    for kind in KINDS.values():
        indexed = SearchEntry.objects.filter(
            kind=kind.name, object_id=OuterRef("pk"), part="", source=OuterRef("src")
        )
        stale = (
            kind.rows()
            .annotate(src=kind.source())
            .filter(~Exists(indexed))
            .values_list("pk", "src")
        )
        _store((kind.name, pk, "", src or "") for pk, src in stale)
    for version in _newest_versions():
        done = set(
            SearchEntry.objects.filter(kind=PARAGRAPH, object_id=version.pk).values_list(
                "part", "source"
            )
        )
        _store(
            (PARAGRAPH, version.pk, paragraph["uid"], paragraph["text"])
            for _section, paragraph in _paragraphs(version)
            if (paragraph["uid"], paragraph["text"]) not in done
        )


def _entry_filter(terms: list[Term]) -> Q:
    condition = Q()
    for term in terms:
        either = Q()
        for form in term.exact:
            either |= Q(words__contains=f" {form} ")
        for beginning in term.beginnings:
            either |= Q(words__contains=f" {beginning}")
        condition &= either
    return condition


def _rank(hit: Hit, terms: list[Term]) -> Hit:
    """Score the hit's text against the query and cut its fragment around the first match."""
    matches: list[tuple[int, int]] = []
    best = [0] * len(terms)
    for found in WORD.finditer(hit.text):
        word_forms = forms(found.group())
        strengths = [term.strength(word_forms) for term in terms]
        if any(strengths):
            matches.append(found.span())
            best = [max(pair) for pair in zip(best, strengths, strict=True)]
    hit.score = sum(best) * 1000 + len(matches)
    hit.fragment = _fragment(hit.text, matches)
    return hit


def _fragment(text: str, matches: list[tuple[int, int]]) -> list[Part]:
    start = 0
    if matches and matches[0][0] > FRAGMENT_CHARS // 3:
        start = text.rfind(" ", 0, matches[0][0] - FRAGMENT_CHARS // 3) + 1
    end = min(len(text), start + FRAGMENT_CHARS)
    if end < len(text):
        end = max(text.rfind(" ", start, end), matches[0][1] if matches else end)
    parts = [Part("… ")] if start else []
    position = start
    for match_start, match_end in matches:
        if match_start < start or match_end > end:
            continue
        parts += [Part(text[position:match_start]), Part(text[match_start:match_end], True)]
        position = match_end
    parts.append(Part(text[position:end]))
    if end < len(text):
        parts.append(Part(" …"))
    return [part for part in parts if part.text]


def _matching_ids(kind: str, condition: Q) -> QuerySet:
    return SearchEntry.objects.filter(condition, kind=kind).values("object_id")


def _best(hits: list[Hit], terms: list[Term]) -> list[Hit]:
    ranked = [_rank(hit, terms) for hit in hits]
    # Stable sort: equal scores keep the newest-first order the rows came in.
    return sorted(ranked, key=lambda hit: -hit.score)[:PER_KIND]


def _paragraph_hits(condition: Q, terms: list[Term]) -> list[Hit]:
    versions = {version.pk: version for version in _newest_versions()}
    found = set(
        SearchEntry.objects.filter(condition, kind=PARAGRAPH, object_id__in=versions).values_list(
            "object_id", "part"
        )[:CANDIDATES]
    )
    hits = []
    for pk, version in versions.items():
        for section, paragraph in _paragraphs(version):
            if (pk, paragraph["uid"]) in found:
                number = paragraph.get("number")
                label = f"§ {number}" if number else section.get("title", "")
                hits.append(
                    Hit(
                        PARAGRAPH,
                        paragraph["text"],
                        f"{version} · {label}",
                        version.get_absolute_url() + f"#p-{paragraph['uid']}",
                    )
                )
    return _best(hits, terms)


def search(query: str) -> dict[str, list[Hit]]:
    """Up to PER_KIND hits of each kind, best first (then newest)."""
    index_sync()
    terms = query_terms(query)
    condition = _entry_filter(terms)

    def rows(kind: str) -> QuerySet:
        ids = _matching_ids(kind, condition)
        return KINDS[kind].rows().filter(pk__in=ids).order_by("-pk")[:CANDIDATES]

    actions = [
        Hit(
            "action",
            f"{action.number}. {action.text}",
            f"{action.meeting.title} ({action.team.local_name})",
            action.get_absolute_url(),
        )
        for action in rows("action")
    ]
    goals = [
        Hit(
            "goal",
            f"{goal.number}. {goal.title}"
            + (f"\n{goal.proposed_solutions}" if goal.proposed_solutions else ""),
            f"{goal.meeting.title} ({goal.team.local_name})",
            reverse("teams:meeting-detail", args=[goal.meeting_id]) + f"#goal-{goal.pk}",
        )
        for goal in rows("goal")
    ]
    entries = [
        Hit(
            "swot",
            entry.text,
            entry.topic.meeting.title,
            reverse("teams:meeting-detail", args=[entry.topic.meeting_id])
            + f"#swot-entry-{entry.pk}",
        )
        for entry in rows("swot")
    ]
    comments = [
        Hit(
            "comment",
            comment.text + (f"\n{comment.proposed_wording}" if comment.proposed_wording else ""),
            f"{comment.round.title}: {comment.author_label}",
            comment.get_absolute_url(),
        )
        for comment in rows("comment")
    ]
    indicator_plans = (
        KINDS["indicator"].rows().filter(pk__in=_matching_ids("indicator", condition))
    ).values("plan_id")
    implementation = [
        Hit(
            "implementation",
            "\n".join([plan.responsible_unit, *(i.name for i in plan.indicators.all())]),
            f"{plan.action.number}. {plan.action.text}",
            reverse("implementation:action", args=[plan.action_id]),
        )
        for plan in KINDS["plan"]
        .rows()
        .filter(Q(pk__in=_matching_ids("plan", condition)) | Q(pk__in=indicator_plans))
        .order_by("-pk")[:CANDIDATES]
    ]
    return {
        "actions": _best(actions, terms),
        "goals": _best(goals, terms),
        "swot_entries": _best(entries, terms),
        "comments": _best(comments, terms),
        "paragraphs": _paragraph_hits(condition, terms),
        "implementation": _best(implementation, terms),
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
