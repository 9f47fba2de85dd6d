"""One access helper per object type: the object, or 404 for missing and forbidden alike."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import Http404

from core.page_cache import PAGE_CACHE_SECONDS, state_key
from teams.permissions import AnyUser

from . import permissions, selectors
from .models import Comment, Round
from .phases import phase_of


def get_round_for_user(user: AnyUser, pk: int) -> Round:
    round_ = Round.objects.select_related("meeting__team", "programme").filter(pk=pk).first()
    if round_ is None or not permissions.can_view_round(user, round_):
        raise Http404("No such consultation round.")
    return round_


def round_state(stamp: Round) -> tuple[Any, ...]:
    """What a round's cached pages depend on of the round (``stamp``: selectors.round_stamp,
    read afresh for each request): every save bumps ``version``, every change to its comments
    (and what is shown with them) ``comments_changed_at``, the phase follows the clock, and
    ``draft_rounds`` follows the rounds of the same draft whose comments the round page
    carries forward, ``meeting_state`` the publication of the meeting whose results it
    consults."""
    return (
        stamp.version,
        stamp.comments_changed_at,
        phase_of(stamp),
        stamp.draft_rounds,
        stamp.meeting_state,
    )


def get_stamped_round_for_user(user: AnyUser, pk: int) -> tuple[Round, tuple[Any, ...]]:
    """The round, as get_round_for_user, and its ``round_state``: one small query (the
    stamp), the rest of the round row from the cache (``round_row``)."""
    stamp = visible_stamp(user, pk)
    return round_row(user, stamp), round_state(stamp)


def visible_stamp(user: AnyUser, pk: int) -> Round:
    """The round's stamp (selectors.round_stamp: one small query, read afresh); 404 for a
    round that is missing or that the user may not see."""
    stamp = selectors.round_stamp(pk)
    if stamp is None or not permissions.can_view_round(user, stamp):
        raise Http404("No such consultation round.")
    return stamp


def round_row(user: AnyUser, stamp: Round) -> Round:
    """The round, as get_round_for_user, for a ``visible_stamp``: the row (with its meeting,
    team and programme) from the cache under the round's ``version``, which every save bumps;
    the stamped fields (status, schedule, ``version``, ``comments_changed_at``, and the
    meeting's status and publication), which change without a save of the round or with the
    clock, from the stamp. Keyed on the version alone, so that a comment posted in the round
    does not make the next one read the row again. What the version does not cover (a renamed
    team) shows within PAGE_CACHE_SECONDS, as on the cached pages."""
    round_ = cache.get_or_set(
        state_key("round-row", stamp.pk, (stamp.version,)),
        lambda: get_round_for_user(user, stamp.pk),
        PAGE_CACHE_SECONDS,
    )
    assert isinstance(round_, Round)  # get_round_for_user's, never None
    for name in selectors.STAMP_FIELDS:
        setattr(round_, name, getattr(stamp, name))
    if round_.meeting is not None:
        for name, value in zip(selectors.MEETING_STAMP_FIELDS, stamp.meeting_state, strict=True):
            setattr(round_.meeting, name, value)
    return round_


def get_comment_for_user(user: AnyUser, pk: int) -> tuple[Comment, permissions.Viewer]:
    """The comment and the user's roles in its round; 404 unless it is on the user's round
    page, in full or as the placeholder of a hidden comment (``can_list_comment``): what may
    be done with it is the views' and services' to say."""
    comment = (
        Comment.objects.select_related(
            "round__meeting__team", "round__programme", "author", "organisation", "parent"
        )
        .filter(pk=pk)
        .first()
    )
    if comment is None or not permissions.can_view_round(user, comment.round):
        raise Http404("No such comment.")
    viewer = permissions.viewer_for(user, comment.round)
    if not permissions.can_list_comment(viewer, comment):
        raise Http404("No such comment.")
    return comment, viewer
