"""One access helper per object type: the object, or 404 for missing and forbidden alike."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from . import permissions, selectors
from .models import Meeting, User


def get_meeting_for_user(user: User | AnonymousUser, pk: int) -> Meeting:
    meeting = selectors.meeting_with_plan(Meeting.objects.all()).filter(pk=pk).first()
    if meeting is None or not permissions.can_view_meeting(user, meeting):
        raise Http404("No such meeting.")
    return meeting
