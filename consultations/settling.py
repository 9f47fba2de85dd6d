"""Reads of the settle page: the coordinating team finds comments by filters and sees them
grouped by the item or paragraph they are on, with the item's wording at the consulted version,
their supports and replies.

A page of a round with 3,000 comments costs the same number of queries as one with 30: the
filters and the order are SQL, a page is read with its related rows selected and its supports
and replies prefetched (two more queries), and the groups are made from the page's rows.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teams.models import Organisation, User

from . import rules, similarity
from .models import AnswerDraft, Channel, Comment, Round, item_label
from .selectors import round_chapters, round_items, settle_comments

# The filter's value for comments on the round as a whole (no item).
WHOLE_ROUND = "round"


class SettleFilterForm(forms.Form):
    """The settle page's filters (a GET form). Choices are the round's own items and the
    organisations that commented, so a value from elsewhere is "not a valid choice", never a
    database error."""

    item = forms.ChoiceField(label=_("Item or paragraph"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("All channels")), *Channel.choices],
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All, unsettled first")),
            ("open", _("Not settled yet")),
            ("settled", _("Settled")),
        ],
    )
    q = forms.CharField(label=_("Words in the text"), required=False, max_length=200)
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("", _("Grouped by item or paragraph")),
            ("sent", _("In the order sent")),
            ("text", _("By text (identical comments side by side)")),
        ],
    )

    def __init__(self, data: Any, *, round_: Round) -> None:
        super().__init__(data)

        # Read when the form is shown or an item or organisation is chosen, not to check the
        # other filters: a cached settle page (settle_views) needs only their validity.
        @functools.cache
        def items() -> list[tuple[str, Any]]:
            return [
                ("", _("All items")),
                (WHOLE_ROUND, _("The round as a whole")),
                *round_items(round_).choices()[1:],
            ]

        @functools.cache
        def organisations() -> list[tuple[str, Any]]:
            named = (
                Organisation.objects.filter(pk__in=round_.comments.counted_organisations())
                .order_by("name")
                .values_list("pk", "name")
            )
            return [("", _("All organisations")), *((str(pk), name) for pk, name in named)]

        self.fields["item"].choices = items  # type: ignore[attr-defined]
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]
        for name, form_field in self.fields.items():
            css = "form-control" if name == "q" else "form-select"
            form_field.widget.attrs["class"] = css

    def value(self, name: str) -> str:
        """A filter's valid value ("" when it was not given or not valid)."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return str(self.cleaned_data.get(name) or "")


def _item_filter(key: str) -> Q:
    if key == WHOLE_ROUND:
        return Q(swot_entry=None, goal=None, action=None, paragraph_uid=None)
    kind, _sep, pk = key.partition(":")
    column = {"swot": "swot_entry_id", "goal": "goal_id", "action": "action_id"}.get(kind)
    return Q(**{column or "paragraph_uid": pk})


def _words_filter(words: str) -> Q:
    """Every word appears in the text, the proposed wording, the submitter's name or the
    registration number (case-insensitive)."""
    found = Q()
    for word in words.split():
        found &= (
            Q(text__icontains=word)
            | Q(proposed_wording__icontains=word)
            | Q(submitter_name__icontains=word)
            | Q(registration_number__icontains=word)
        )
    return found


def _unsettled_first() -> Case:
    return Case(When(disposition="", then=Value(0)), default=Value(1), output_field=IntegerField())


def _item_order(round_: Round) -> list[Any]:
    """SWOT entries, goals, actions, then the draft's paragraphs in the consulted version's
    order, then the round as a whole."""
    kind = Case(
        When(swot_entry__isnull=False, then=Value(0)),
        When(goal__isnull=False, then=Value(1)),
        When(action__isnull=False, then=Value(2)),
        When(paragraph_uid__isnull=False, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    uids = list(round_.paragraph_numbers)
    paragraph = (
        Case(
            *(When(paragraph_uid=uid, then=Value(i)) for i, uid in enumerate(uids)),
            default=Value(len(uids)),
            output_field=IntegerField(),
        )
        if uids
        else Value(0)
    )
    return [kind, "swot_entry_id", "goal__number", "action__number", paragraph, "paragraph_uid"]


def settle_page_comments(round_: Round, filters: SettleFilterForm) -> QuerySet[Comment]:
    """The round's counted comments as the filters choose them, in the chosen order (unsettled
    first within each item, or overall), with supports and replies prefetched."""
    comments = (
        settle_comments(round_)
        .select_related("answer_draft__assignee")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Comment.objects.filter(withdrawn_at=None)
                .select_related("author", "organisation")
                .order_by("created_at", "pk"),
            )
        )
    )
    if item := filters.value("item"):
        comments = comments.filter(_item_filter(item))
    if organisation := filters.value("organisation"):
        comments = comments.filter(organisation_id=organisation)
    if channel := filters.value("channel"):
        comments = comments.filter(channel=channel)
    state = filters.value("state")
    if state == "open":
        comments = comments.filter(disposition="")
    elif state == "settled":
        comments = comments.exclude(disposition="")
    if words := filters.value("q"):
        comments = comments.filter(_words_filter(words))
    order = filters.value("order")
    if order == "text":
        return comments.order_by("text", "created_at", "pk")
    if order == "sent":
        return comments.order_by(_unsettled_first(), "created_at", "pk")
    return comments.order_by(*_item_order(round_), _unsettled_first(), "created_at", "pk")


@dataclass
class Group:
    """Comments of one page on one item, below its label and wording."""

    key: str
    label: str
    wording: str
    comments: list[Comment] = field(default_factory=list)


def _wording(comment: Comment, paragraphs: dict[str, str]) -> str:
    if comment.swot_entry_id:
        return comment.swot_entry.text  # type: ignore[union-attr]
    if comment.goal_id:
        return comment.goal.title  # type: ignore[union-attr]
    if comment.action_id:
        return comment.action.text  # type: ignore[union-attr]
    if comment.paragraph_uid:
        return paragraphs.get(str(comment.paragraph_uid), comment.paragraph_wording)
    return ""


def page_groups(round_: Round, rows: list[Comment], *, by_item: bool) -> list[Group]:
    """The page's rows in groups of consecutive comments on one item (one group without a
    heading when the page is not ordered by item)."""
    if not rows:
        return []
    if not by_item:
        return [Group(key="", label="", wording="", comments=rows)]
    paragraphs = {p.uid: p.text for chapter in round_chapters(round_) for p in chapter.paragraphs}
    groups: list[Group] = []
    for comment in rows:
        key = (comment.item_key or WHOLE_ROUND).replace(":", "-")
        if not groups or groups[-1].key != key:
            groups.append(
                Group(key=key, label=comment.item_label, wording=_wording(comment, paragraphs))
            )
        groups[-1].comments.append(comment)
    return groups


def filter_query(query: Any) -> str:
    """The filters of the page's query string, to carry into its pagination links (with a
    trailing ``&``, as the pagination partial expects); "" without filters."""
    kept = query.copy()
    kept.pop("page", None)
    encoded = kept.urlencode()
    return f"{encoded}&" if encoded else ""


# --- Similar comments ----------------------------------------------------------------------

SIMILAR_CACHE_SECONDS = 300


def similar_comment_groups(round_: Round) -> list[list[int]]:
    """Groups of the round's unsettled counted comments with the same or nearly the same text
    (consultations.similarity), largest first: one query, then linear work in Python, kept
    in the cache until a comment of the round changes (``comments_changed_at``)."""
    key = f"settle-similar:{round_.pk}:{round_.comments_changed_at.isoformat()}"
    groups: list[list[int]] | None = cache.get(key)
    if groups is None:
        texts = round_.comments.counted().filter(disposition="").values_list("pk", "text")
        groups = similarity.similar_groups(texts.order_by("created_at", "pk"))
        cache.set(key, groups, SIMILAR_CACHE_SECONDS)
    return groups


def comments_by_pk(round_: Round, pks: list[int]) -> dict[int, Comment]:
    """The round's counted comments with these ids, loaded like the settle page's rows."""
    return {c.pk: c for c in settle_comments(round_).filter(pk__in=pks)}


# --- Assign and draft: queues and progress -------------------------------------------------


def my_queue(user: User) -> QuerySet[AnswerDraft]:
    """The unsettled comments assigned to ``user`` (every round), the earliest report first."""
    return (
        AnswerDraft.objects.filter(
            assignee=user, comment__disposition="", comment__withdrawn_at=None
        )
        .select_related(
            "comment__round",
            "comment__organisation",
            "comment__author",
            "comment__swot_entry",
            "comment__goal",
            "comment__action",
        )
        .order_by("comment__round__closes_at", "comment__created_at", "comment__pk")
    )


@dataclass
class ProgressRow:
    label: str
    settled: int
    drafted: int
    open: int


@dataclass
class Progress:
    by_assignee: list[ProgressRow]
    by_item: list[ProgressRow]
    report_due: Any
    days_left: int

    @property
    def tables(self) -> list[dict[str, Any]]:
        """The two tables the pages show, with their captions and first column's heading."""
        return [
            {
                "caption": _("Progress per assignee"),
                "heading": _("Assigned to"),
                "rows": self.by_assignee,
            },
            {"caption": _("Progress per item"), "heading": _("Item"), "rows": self.by_item},
        ]


_DRAFTED = Q(disposition="", answer_draft__disposition__gt="")


def _counts() -> dict[str, Any]:
    return {
        "n_settled": Count("pk", filter=~Q(disposition="")),
        "n_drafted": Count("pk", filter=_DRAFTED),
        "n_unsettled": Count("pk", filter=Q(disposition="")),
    }


def _row(label: str, values: dict[str, Any]) -> ProgressRow:
    drafted = values["n_drafted"]
    return ProgressRow(label, values["n_settled"], drafted, values["n_unsettled"] - drafted)


def round_progress(round_: Round) -> Progress:
    """Settled / drafted / open counts of the round's counted comments per assignee and per
    item (two aggregate queries and one for the assignees' names, whatever the size), and the
    days left until the report is due (Europe/Warsaw)."""
    comments = round_.comments.counted()
    per_assignee = list(
        comments.values("answer_draft__assignee_id").annotate(**_counts()).order_by()
    )
    names = {
        user.pk: user.get_full_name() or user.email
        for user in User.objects.filter(
            pk__in=[row["answer_draft__assignee_id"] for row in per_assignee]
        )
    }
    by_assignee = sorted(
        (
            _row(
                names.get(row["answer_draft__assignee_id"], "") or str(_("Not assigned")),
                row,
            )
            for row in per_assignee
        ),
        key=lambda row: row.label,
    )
    by_item = [
        _row(
            item_label(
                swot_text=row["swot_entry__text"],
                goal_number=row["goal__number"],
                action_number=row["action__number"],
                paragraph_uid=row["paragraph_uid"],
                paragraph_labels=round_.paragraph_labels,
            ),
            row,
        )
        for row in comments.values(
            "swot_entry__text", "goal__number", "action__number", "paragraph_uid"
        )
        .annotate(**_counts())
        .order_by("action__number", "goal__number", "swot_entry__text", "paragraph_uid")
    ]
    due = rules.report_due(round_.closes_at)
    return Progress(
        by_assignee=by_assignee,
        by_item=by_item,
        report_due=due,
        days_left=(due - timezone.localdate()).days,
    )


def assignable() -> list[User]:
    """Whom the settle page offers to assign comments to (the service asks
    ``permissions.may_draft_answers`` again): the active coordinating team and city
    officials."""
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(is_coordinator=True) | Q(is_official=True) | Q(is_superuser=True))
        .order_by("last_name", "first_name", "email")
    )
