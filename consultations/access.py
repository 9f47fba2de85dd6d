"""One access helper per object type: the object, or 404 for missing and forbidden alike."""

from __future__ import annotations

from django.http import Http404

from teams.permissions import AnyUser

from . import permissions
from .models import Comment, Round


def get_round_for_user(user: AnyUser, pk: int) -> Round:
    round_ = Round.objects.select_related("meeting__team", "programme").filter(pk=pk).first()
    if round_ is None or not permissions.can_view_round(user, round_):
        raise Http404("No such consultation round.")
    return round_


def get_comment_for_user(user: AnyUser, pk: int) -> tuple[Comment, permissions.Viewer]:
    """The comment and the user's roles in its round; 404 unless the user may see it."""
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
    if not permissions.can_see_comment(viewer, comment):
        raise Http404("No such comment.")
    return comment, viewer
