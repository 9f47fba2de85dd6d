"""Reads for consultation rounds: the consulted items, comment pages, report statistics."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Action, Goal
from core.page_cache import kept, state_key
from drafts.models import DraftParagraph, DraftVersion
from swot.models import SwotEntry
from teams.models import Meeting
from teams.permissions import is_coordinator, moderator_memberships

from .models import (
    Channel,
    Comment,
    CommentQuerySet,
    Disposition,
    Flag,
    Round,
    Support,
    item_label,
    role_label,
)
from .permissions import Viewer
from .phases import Phase


def rounds_for_list(*, include_drafts: bool) -> QuerySet[Round]:
    rounds = Round.objects.select_related("meeting__team", "programme")
    return rounds if include_drafts else rounds.visible()


@dataclass(frozen=True)
class ParagraphRef:
    """A paragraph of the consulted draft version, as frozen in its snapshot."""

    uid: str
    number: int | None
    text: str
    label: str

    @property
    def pk(self) -> str:
        return self.uid


@dataclass
class ChapterRef:
    numeral: str
    title: str
    paragraphs: list[ParagraphRef]


def _option(text: str, limit: int = 90) -> str:
    """An item's text in the "comment on" select: whole, or cut at a word and marked "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–") + "…"


@dataclass
class RoundItems:
    swot_entries: list[SwotEntry]
    goals: list[Goal]
    actions: list[Action]
    chapters: list[ChapterRef] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[ParagraphRef]:
        return [p for chapter in self.chapters for p in chapter.paragraphs]

    def choices(self) -> list[tuple[Any, Any]]:
        """Grouped choices for a select: the round as a whole, then each item."""
        choices: list[tuple[Any, Any]] = [("", _("The round as a whole"))]
        if self.swot_entries:
            choices.append(
                (
                    _("SWOT analysis"),
                    [
                        (f"swot:{e.pk}", f"{e.get_quadrant_display()}: {_option(e.text)}")
                        for e in self.swot_entries
                    ],
                )
            )
        if self.goals:
            choices.append(
                (
                    _("Goals"),
                    [(f"goal:{g.pk}", f"{g.number}. {_option(g.title)}") for g in self.goals],
                )
            )
        if self.actions:
            choices.append(
                (
                    _("Postulated actions"),
                    [(f"action:{a.pk}", f"{a.number}. {_option(a.text)}") for a in self.actions],
                )
            )
        if self.chapters:
            choices.append(
                (
                    _("Programme draft"),
                    [
                        (f"paragraph:{p.uid}", f"{p.label} {_option(p.text)}")
                        for p in self.paragraphs
                    ],
                )
            )
        return choices

    def lookup(self, key: str) -> SwotEntry | Goal | Action | ParagraphRef | None:
        kind, _sep, pk = key.partition(":")
        pool: list[Any] | None = {  # type: ignore[assignment]  # the lists differ in type
            "swot": self.swot_entries,
            "goal": self.goals,
            "action": self.actions,
            "paragraph": self.paragraphs,
        }.get(kind)
        for item in pool or []:
            if str(item.pk) == pk:
                return item
        return None


STAMP_FIELDS = ("status", "opens_at", "closes_at", "version", "comments_changed_at")
# What of a round's meeting its stamp carries (``meeting_state``).
MEETING_STAMP_FIELDS = ("status", "published_at")


def round_stamp(pk: int) -> Round | None:
    """The round's status, schedule, ``version`` and ``comments_changed_at`` in an unsaved
    Round, or None: enough to check who may see it, to tell its phase, and to key a cached
    page on (every save of a round bumps ``version``, every comment service bumps
    ``comments_changed_at``). A round that consults a draft version also shows the earlier
    rounds' comments on its paragraphs (``carried.earlier_comments``), so the stamp carries
    ``draft_rounds``: the sum of the versions and the latest comment change of every round
    of the same draft. A round that consults a meeting's results offers them only while the
    meeting is published, so the stamp carries ``meeting_state``: the meeting's status and
    publication time. One plain SELECT, without the ORM's query compiler, which would cost
    more than everything else a cached round page does (benchmarks/round_page.py)."""
    with connection.cursor() as cursor:
        cursor.execute(_round_stamp_sql(connection.vendor), [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    row = tuple(_aware(value) for value in row)
    own, meeting = len(STAMP_FIELDS), len(MEETING_STAMP_FIELDS)
    stamp = Round(pk=pk, **dict(zip(STAMP_FIELDS, row[:own], strict=True)))
    stamp.meeting_state = row[own : own + meeting]
    stamp.draft_rounds = row[own + meeting :]
    return stamp


@functools.cache
def _round_stamp_sql(vendor: str) -> str:
    """round_stamp's SELECT, written once per process from the models' tables and columns
    (every round page and every comment posted asks it). ``vendor`` keys the cache by the
    quoting it was written with."""
    meta = Round._meta
    quote = connection.ops.quote_name
    columns = ", ".join(
        "r." + quote(meta.get_field(f).column)  # type: ignore[union-attr,arg-type]
        for f in STAMP_FIELDS
    )
    version_table = quote(DraftVersion._meta.db_table)
    version_fk = quote(meta.get_field("draft_version").column)
    draft_fk = quote(DraftVersion._meta.get_field("draft").column)
    version_pk = quote(DraftVersion._meta.pk.column)
    rounds = quote(meta.db_table)
    meetings = quote(Meeting._meta.db_table)
    meeting_fk = quote(meta.get_field("meeting").column)
    meeting_columns = ", ".join(
        "m." + quote(Meeting._meta.get_field(f).column)  # type: ignore[union-attr,arg-type]
        for f in MEETING_STAMP_FIELDS
    )
    # Only our own table and column names are formatted in; the id is a parameter.
    return (
        f"SELECT {columns}, {meeting_columns}, d.total, d.latest FROM {rounds} r"  # noqa: S608
        f" LEFT JOIN {meetings} m ON m.{quote(Meeting._meta.pk.column)} = r.{meeting_fk}"
        f" LEFT JOIN (SELECT v.{draft_fk} AS draft, SUM(o.{quote('version')}) AS total,"
        f" MAX(o.{quote('comments_changed_at')}) AS latest FROM {rounds} o"
        f" JOIN {version_table} v ON v.{version_pk} = o.{version_fk} GROUP BY v.{draft_fk}"
        f") d ON d.draft = (SELECT w.{draft_fk} FROM {version_table} w"
        f" WHERE w.{version_pk} = r.{version_fk}) WHERE r.{quote(meta.pk.column)} = %s"
    )


def _aware(value: Any) -> Any:
    """A datetime with its zone: SQLite hands back UTC without it."""
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        return value.replace(tzinfo=dt.UTC)
    return value


def round_chapters(round_: Round) -> list[ChapterRef]:
    """The chapters and paragraphs of the round's consulted draft version (from its snapshot)."""
    version = round_.draft_version
    if version is None:
        return []
    labels = round_.paragraph_labels
    return [
        ChapterRef(
            numeral=section.get("numeral", ""),
            title=section.get("title", ""),
            paragraphs=[
                ParagraphRef(
                    uid=str(p["uid"]),
                    number=p.get("number"),
                    text=p.get("text", ""),
                    label=labels[str(p["uid"])],
                )
                for p in section.get("paragraphs", [])
            ],
        )
        for section in version.snapshot.get("sections", [])
    ]


def round_items(round_: Round) -> RoundItems:
    """The published items a round consults: its meeting's results (none for a draft meeting)
    and the paragraphs of its consulted draft version."""
    chapters = round_chapters(round_)
    meeting = round_.meeting
    if meeting is None or meeting.status != meeting.Status.PUBLISHED:
        return RoundItems([], [], [], chapters)
    return RoundItems(
        chapters=chapters,
        swot_entries=list(
            SwotEntry.objects.current().filter(topic__meeting=meeting).in_board_order()
        ),
        goals=list(Goal.objects.filter(meeting=meeting, merged_into=None).order_by("number")),
        actions=list(Action.objects.filter(meeting=meeting, merged_into=None).order_by("number")),
    )


def cached_round_items(round_: Round) -> RoundItems:
    """round_items, kept in the cache and in this process (``core.page_cache.kept``): a
    published meeting's results are frozen (the SWOT and actions services refuse to change
    them) and a draft version's snapshot never changes, so the key is the round's ``version``
    and consulted version and the meeting's publication. What it does not cover (an entry
    edited in the admin) shows within PAGE_CACHE_SECONDS, as on the cached round pages. For
    the comment form sent in the last hours of a round, when every post changes the round's
    other stamps. Shared by the requests of a process: the items are not to be changed."""
    return kept(round_items_key(round_), lambda: round_items(round_))


def round_items_key(round_: Round) -> str:
    """cached_round_items's state key."""
    meeting = round_.meeting
    return state_key(
        "round-items",
        round_.pk,
        round_.version,
        round_.draft_version_id,
        meeting and (meeting.pk, meeting.status, meeting.published_at),
    )


def _base(round_: Round) -> CommentQuerySet:
    return round_.comments.select_related("author", "organisation", "swot_entry", "goal", "action")


def _seen_by(comments: CommentQuerySet, viewer: Viewer) -> CommentQuerySet:
    """The ``comments`` on the viewer's page, in its order (oldest first): those they may
    read, and the hidden top-level ones that they find as placeholders
    (``permissions.can_list_comment``)."""
    return comments.listed_to(
        user_id=viewer.active_user_id, moderator=viewer.is_moderator
    ).order_by("created_at", "pk")


def _top_level(comments: CommentQuerySet, viewer: Viewer) -> CommentQuerySet:
    """The top-level ones of a round's ``comments`` the viewer sees, in the page's order."""
    return _seen_by(comments.filter(parent=None), viewer)


def round_comment_ids(round_: Round, viewer: Viewer) -> QuerySet[Comment, int]:
    """The ids of round_comments in its order, to paginate: a page's ids come from the index
    (``comment_round_order``) alone, and only that page's comments are then read whole. (Read
    whole with their joins, the planner sorted every comment of a big round to keep 20.)"""
    return _top_level(round_.comments.all(), viewer).values_list("pk", flat=True)


def page_of_thread(round_: Round, viewer: Viewer, thread_pk: int, per_page: int) -> int:
    """The number of the viewer's round page that lists the thread of top-level comment
    ``thread_pk``: the threads the viewer sees before it, in the page's order, by ``per_page``."""
    created = round_.comments.filter(pk=thread_pk).values_list("created_at", flat=True).first()
    if created is None:
        return 1
    before = (
        _top_level(round_.comments.all(), viewer)
        .filter(Q(created_at__lt=created) | Q(created_at=created, pk__lt=thread_pk))
        .count()
    )
    return before // per_page + 1


def round_comments(round_: Round, viewer: Viewer) -> QuerySet[Comment]:
    """Top-level comments of the page, with their replies and supports in two more queries."""
    replies = _seen_by(Comment.objects.all(), viewer).select_related("author", "organisation")
    return _top_level(_base(round_), viewer).prefetch_related(
        Prefetch("replies", queryset=replies),
        Prefetch("supports", queryset=_supports()),
    )


# What the viewer's controls (consultations.permissions) and a thread's cache key
# (consultations.fragments) read of a comment: enough for a page whose threads are cached.
_CONTROL_FIELDS = (
    "id",
    "round_id",
    "parent_id",
    "author_id",
    "organisation_id",
    "hidden_at",
    "withdrawn_at",
    "thread_version",
    "channel",  # permissions.hiding_reserved
    "disposition",
)


def round_comments_for_controls(round_: Round, viewer: Viewer, pks: list[int]) -> QuerySet[Comment]:
    """The comments ``pks`` of a page (from round_comment_ids), their visible replies and
    their supports, with only what the controls and the cache keys read, and no joins: the
    threads' HTML comes from the cache, and only threads missing there are read whole
    (round_comments)."""
    replies = _seen_by(Comment.objects.all(), viewer).only(*_CONTROL_FIELDS)
    supports = Support.objects.only("id", "comment_id", "organisation_id")
    return (
        round_.comments.filter(pk__in=pks)
        .only(*_CONTROL_FIELDS)
        .prefetch_related(Prefetch("replies", queryset=replies), Prefetch("supports", supports))
        .order_by("created_at", "pk")
    )


def own_flags(round_: Round, viewer: Viewer) -> frozenset[int]:
    """The ids of the round's comments and replies the viewer has flagged (one flag per
    person: the page says so instead of offering the form again). Only people who may flag
    are asked."""
    user_id = viewer.active_user_id
    if user_id is None or not viewer.is_commenter:
        return frozenset()
    flags = Flag.objects.filter(user_id=user_id, comment__round=round_)
    return frozenset(flags.values_list("comment_id", flat=True))


def _supports() -> QuerySet[Support]:
    return Support.objects.select_related("organisation").order_by("created_at")


def comment_thread(comment: Comment, viewer: Viewer) -> Comment:
    """One top-level comment loaded like a row of round_comments (for htmx fragments)."""
    top = comment.parent if comment.parent_id else comment
    assert top is not None
    return round_comments(comment.round, viewer).get(pk=top.pk)


def new_thread(comment: Comment) -> Comment:
    """A top-level comment just saved, as comment_thread would load it, without reading it
    back: it has no replies and no supports yet."""
    assert comment.parent_id is None and comment.pk is not None
    comment._prefetched_objects_cache = {"replies": [], "supports": []}  # type: ignore[attr-defined]
    return comment


def settle_comments(round_: Round) -> QuerySet[Comment]:
    """What the coordinating team settles: every top-level comment not withdrawn."""
    return (
        _base(round_)
        .counted()
        .prefetch_related(Prefetch("supports", queryset=_supports()))
        .order_by("created_at", "pk")
    )


def report_comments(round_: Round) -> QuerySet[Comment]:
    """The settled comments, with the draft paragraphs that cite them as answered (one more
    query per page, whatever the number of comments)."""
    return (
        settle_comments(round_)
        .prefetch_related(
            Prefetch(
                "draft_paragraphs",
                queryset=DraftParagraph.objects.select_related("section").order_by("pk"),
            )
        )
        # For Comment.item_label_of_record, without reading each version's snapshot.
        .annotate(paragraph_version_number=F("paragraph_version__number"))
    )


@dataclass
class Bar:
    label: str
    count: int
    percent: int


def _bars(rows: list[tuple[str, int]]) -> list[Bar]:
    top = max((count for _label, count in rows), default=0) or 1
    return [Bar(label, count, round(100 * count / top)) for label, count in rows]


def report_statistics(round_: Round) -> dict[str, Any]:
    comments = round_.comments.counted()
    by_disposition = dict(comments.values_list("disposition").annotate(n=Count("pk")).order_by())
    dispositions = [
        (str(label), by_disposition.get(value, 0)) for value, label in Disposition.choices
    ]
    if by_disposition.get(""):
        dispositions.append((_("not settled yet"), by_disposition[""]))
    organisations = [
        (name or role_label(role), n)
        for name, role, n in comments.values_list("organisation__name", "author_role")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation__name")
    ]
    items = [
        (
            item_label(
                swot_text=row["swot_entry__text"],
                goal_number=row["goal__number"],
                goal_title=row["goal__title"] or "",
                action_number=row["action__number"],
                action_text=row["action__text"] or "",
                paragraph_uid=row["paragraph_uid"],
                paragraph_labels=round_.paragraph_labels,
            ),
            row["n"],
        )
        for row in comments.values(
            "swot_entry__text",
            "goal__number",
            "goal__title",
            "action__number",
            "action__text",
            "paragraph_uid",
        )
        .annotate(n=Count("pk"))
        .order_by("action__number", "goal__number", "swot_entry__text", "paragraph_uid")
    ]
    by_channel = dict(comments.values_list("channel").annotate(n=Count("pk")).order_by())
    channels = [
        (str(label), by_channel[value]) for value, label in Channel.choices if by_channel.get(value)
    ]
    return {
        "total": comments.count(),
        "replies": round_.comments.exclude(parent=None).filter(withdrawn_at=None).count(),
        "supports": Support.objects.filter(comment__in=comments).count(),
        "by_channel": _bars(channels),
        "by_disposition": _bars(dispositions),
        "by_organisation": _bars(organisations),
        "by_item": _bars(items),
    }


# --- The moderation queue ------------------------------------------------------------------


def _moderated_rounds(user: Any, now: dt.datetime | None = None) -> Q:
    """Rounds whose comments ``user`` moderates now (``permissions.can_moderate`` as a filter:
    a phase that opens Feature.MODERATE, and the coordinating team or a moderator of the
    consulted meeting's team)."""
    now = now or timezone.now()
    # The phases that open Feature.MODERATE (open, closed, settled: phases.PHASE_FEATURES),
    # by stored status and dates as phases.phase_at reads them.
    in_phase = Q(round__status__in=[Phase.ANNOUNCED, Phase.OPEN], round__opens_at__lte=now) | Q(
        round__status__in=[Phase.CLOSED, Phase.SETTLED]
    )
    if is_coordinator(user):
        return in_phase
    return in_phase & Q(round__meeting__team__in=moderator_memberships(user).values("team_id"))


def _open_flags() -> QuerySet[Flag]:
    return Flag.objects.filter(reviewed_at=None)


def moderation_queue(user: Any) -> QuerySet[Comment]:
    """Comments with flags nobody has reviewed yet, in the rounds ``user`` moderates, oldest
    flag first; each with its open flags prefetched (``open_flags``). Not a withdrawn comment,
    nor a reply under one: neither is on a moderator's page (``permissions.can_list_comment``),
    nor on anyone's but the withdrawn comment's author's."""
    if not (user.is_authenticated and user.is_active):
        return Comment.objects.none()
    return (
        Comment.objects.filter(_moderated_rounds(user), withdrawn_at=None)
        .outside_withdrawn_threads()
        .filter(Exists(_open_flags().filter(comment=OuterRef("pk"))))
        .select_related(
            "round__draft_version", "organisation", "author", "swot_entry", "goal", "action"
        )
        .prefetch_related(
            Prefetch("flags", queryset=_open_flags().order_by("created_at"), to_attr="open_flags")
        )
        .order_by("round__closes_at", "created_at", "pk")
    )


def moderation_count(user: Any, *, moderated_teams: frozenset[int] | None = None) -> int:
    """The header badge: one COUNT query, or for someone who moderates no team (most
    logged-in users) one small EXISTS instead, or none when the page has read the teams
    they moderate (``moderated_teams``, permissions.Viewer); and before the COUNT, one
    smaller query that skips it while no flag waits anywhere (``_any_open_flag``)."""
    if not (user.is_authenticated and user.is_active):
        return 0
    if not is_coordinator(user):
        moderates = (
            bool(moderated_teams)
            if moderated_teams is not None
            else moderator_memberships(user).exists()
        )
        if not moderates:
            return 0
    if not _any_open_flag():
        return 0
    return moderation_queue(user).count()


def _any_open_flag() -> bool:
    """Whether any flag anywhere waits for review: one plain SELECT of at most one row (the
    ORM's compiler would cost more than the query), so that the badge of a coordinator or
    moderator costs almost nothing while nothing waits, which is most of the time."""
    table = connection.ops.quote_name(Flag._meta.db_table)
    reviewed = connection.ops.quote_name(Flag._meta.get_field("reviewed_at").column)
    with connection.cursor() as cursor:
        # Only our own table and column names are formatted in.
        cursor.execute(f"SELECT 1 FROM {table} WHERE {reviewed} IS NULL LIMIT 1")  # noqa: S608
        return cursor.fetchone() is not None
