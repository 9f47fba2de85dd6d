"""Cheap stamps of the programme's PDF documents (see pdf.cache.pdf_document).

A stamp is small plain data that changes whenever anything its builder in ``draft_views``
reads changes, read with a constant number of small queries, whatever the number of comments.
A download whose stamp matches a stored rendering's is served without building the document
(which, for the full programme, means reading every comment of every published report).

How each input is followed:

- small rows (the version, meetings, teams, actions, SWOT entries, rounds, the items the
  comments are about) are read as the very values the builder prints, with their ``version``
  where they have one;
- the comments of a report, which can be thousands, by their round's ``version`` and
  ``comments_changed_at``: every comment service bumps the latter, and the receivers in
  ``consultations/signals.py`` bump it for comments and supports saved elsewhere and for
  renamed organisations and people (the same marker the round page's cache relies on);
- the phase (whether a report is published) is computed from the round's status and dates at
  the time of the request, as the builder does;
- a published version's snapshot is frozen (written once by ``draft_version_publish``;
  ``editable=False``), so the version's primary key stands for it.

Whoever changes what a builder reads must change its stamp here: tests/pdf/test_stamp_cache.py
checks that each input change gives a new stamp.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from actions.models import Action
from consultations.models import AnnouncementPlace, Comment, Round, RoundAnnex, RoundEvent
from consultations.phases import Feature, phase_opens
from drafts import services as draft_services
from drafts.models import DraftParagraph, DraftVersion, ProgrammeDraft
from swot.models import SwotEntry
from teams.models import Meeting

_ROUND_FIELDS = (
    "pk",
    "title",
    "opens_at",
    "closes_at",
    "responsible_office",
    "status",
    "draft_version_id",
    "version",
    "comments_changed_at",
)


# What the report prints of the round besides ``_ROUND_FIELDS`` (read as the values).
_REPORT_TEXT_FIELDS = (
    "goal",
    "subject",
    "scope_and_forms",
    "synthesis",
    "rules_override_reason",
    "programme_id",
    "draft_version_id",
)


def _pk(object_id: str) -> int:
    return int(str(object_id).partition(":")[0])


def _rounds(queryset: QuerySet[Round]) -> list[dict[str, Any]]:
    rows = list(queryset.order_by("opens_at", "pk").values(*_ROUND_FIELDS))
    for row in rows:
        row["report"] = phase_opens(SimpleNamespace(**row), Feature.REPORT)
    return rows


def _items(round_ids: list[int]) -> list[tuple[Any, ...]]:
    """What the reports print of the items their comments are about (a SWOT entry's text, a
    goal's or an action's number): these live on other rows, which the rounds' markers do not
    follow. One row per item, however many comments point at it."""
    if not round_ids:
        return []
    rows = (
        Comment.objects.counted()
        .filter(round_id__in=round_ids)
        .exclude(swot_entry=None, goal=None, action=None)
        .order_by()
        .values_list(
            "swot_entry_id",
            "swot_entry__text",
            "swot_entry__version",
            "goal_id",
            "goal__number",
            "action_id",
            "action__number",
        )
        .distinct()
    )
    return sorted(rows, key=str)


def _annexes(programme_id: int) -> dict[str, Any]:
    """Mirrors ``documents.programme.programme_annexes``: the published meetings with their actions
    and current SWOT entries, and the rounds whose report is published."""
    published = {"team__programme_id": programme_id, "status": Meeting.Status.PUBLISHED}
    meetings = Meeting.objects.filter(**published).order_by("date", "pk")
    actions = Action.objects.filter(
        meeting__team__programme_id=programme_id, meeting__status=Meeting.Status.PUBLISHED
    ).order_by("meeting_id", "number", "pk")
    swot = (
        SwotEntry.objects.current()
        .filter(
            topic__meeting__team__programme_id=programme_id,
            topic__meeting__status=Meeting.Status.PUBLISHED,
        )
        .order_by("topic__meeting_id", "topic__position", "quadrant", "position", "pk")
    )
    reports = [
        row for row in _rounds(Round.objects.filter(programme_id=programme_id)) if row["report"]
    ]
    return {
        "meetings": list(
            meetings.values_list("pk", "team__name", "date", "annex_title", "version")
        ),
        "actions": list(
            actions.values_list("meeting_id", "number", "text", "merged_into__number", "version")
        ),
        "swot": list(
            swot.values_list(
                "topic__meeting_id", "topic__title", "quadrant", "pk", "text", "version"
            )
        ),
        "reports": reports,
        "items": _items([row["pk"] for row in reports]),
    }


def programme_version_stamp(object_id: str) -> dict[str, Any]:
    """For ``programme_version_document``: the version's own fields (its snapshot and, when
    kept, its annexes are frozen) and, for a version published before its annexes were kept,
    the live annexes' markers (six small queries more)."""
    version = DraftVersion.objects.filter(pk=_pk(object_id)).values(
        "number",
        "published_at",
        "adopted",
        "resolution_number",
        "resolution_date",
        "krdpp_opinion",
        "draft__programme_id",
        kept=Q(annexes__isnull=False),
    )
    row = version.get()
    if row["kept"]:
        return {"version": row}
    return {"version": row, **_annexes(row["draft__programme_id"])}


def programme_working_copy_stamp(object_id: str) -> dict[str, Any]:
    """For ``programme_working_copy_document``: the working copy's snapshot itself (chapters,
    paragraphs and linked rows: small, and exactly what the builder prints) and the annexes'
    markers."""
    draft = ProgrammeDraft.objects.select_related("programme").get(pk=_pk(object_id))
    return {"snapshot": draft_services.draft_snapshot(draft), **_annexes(draft.programme_id)}


def round_report_stamp(object_id: str) -> dict[str, Any]:
    """For ``round_report_document`` (documents.consultation_report.report_sections): the
    round's fields and markers, its phase, its text fields, its events, the places of its
    announcement, its annexes, the versions of the programme's draft (their snapshots are
    frozen, so their keys stand for the changes they cite), the items its comments are about
    and the resolution named as the legal basis; the working copy's paragraph order and its
    paragraphs that answer the round's comments. Nine small queries."""
    pk = _pk(object_id)
    rows = _rounds(Round.objects.filter(pk=pk))
    if not rows:
        raise Round.DoesNotExist(f"No round {object_id}.")
    text = Round.objects.filter(pk=pk).values(*_REPORT_TEXT_FIELDS).get()
    return {
        "round": rows[0],
        "text": text,
        "events": list(
            RoundEvent.objects.filter(round_id=pk).values_list(
                "pk", "kind", "starts_at", "ends_at", "place", "attendance"
            )
        ),
        "places": list(
            AnnouncementPlace.objects.filter(round_id=pk).values_list(
                "pk", "kind", "details", "url", "published_on"
            )
        ),
        "annexes": list(
            RoundAnnex.objects.filter(round_id=pk).values_list("pk", "kind", "event_id", "file")
        ),
        "versions": list(
            DraftVersion.objects.filter(draft__programme_id=text["programme_id"])
            .order_by("pk")
            .values_list("pk", "number")
        ),
        "items": _items([pk]),
        "resolution": settings.CONSULTATIONS_RULES_RESOLUTIONS,
        # The working copy's paragraphs in order (their § numbers) and which of them answer
        # this round's comments: the report lists changes made but not yet published.
        "working_copy": list(
            DraftParagraph.objects.filter(section__draft__programme_id=text["programme_id"])
            .order_by("section__element", "position", "pk")
            .values_list("pk", "section__element")
        ),
        "answers": list(
            Comment.draft_paragraphs.through.objects.filter(comment__round_id=pk)
            .order_by("comment_id", "draftparagraph_id")
            .values_list("comment_id", "draftparagraph_id")
        ),
    }
