"""The meeting workspace's shared view helpers: the meeting a step works on, the workspace's
address, the answer to a refused step, and the focus rules of the in-place (htmx) updates of
SWOT entries (swot.views) and goals and actions (actions.views)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from core.errors import ConflictError, Refused

from .access import get_meeting_for_user
from .models import Meeting
from .permissions import AnyUser

Predicate = Callable[[AnyUser, Meeting], bool]
P = ParamSpec("P")


def get_meeting_for(request: HttpRequest, pk: int, allowed: Predicate) -> Meeting:
    """The meeting if the user may see it (else 404) and ``allowed`` holds (else 403)."""
    meeting = get_meeting_for_user(request.user, pk)
    if not allowed(request.user, meeting):
        raise PermissionDenied
    return meeting


def workspace_url(meeting: Meeting) -> str:
    return reverse("teams:meeting-workspace", kwargs={"pk": meeting.pk})


def forbidden_when_refused(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """A step the service refuses (``core.errors.Refused``: the meeting's phase moved on since
    the page was loaded) answers 403, as a step the view itself refuses. A conflict is not a
    refusal here: the views answer it themselves (409, or the inline conflict)."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except ConflictError:
            raise
        except Refused as refusal:
            raise PermissionDenied(str(refusal)) from refusal

    return wrapped


def focus_after_move(item: Any, wanted: str) -> str:
    """The control of ``item`` that takes the focus after a move: an item moved to the top has
    no "up" button any more, so its "down" button does (and the other way round)."""
    if wanted == "up" and item.is_first:
        return "" if item.is_last else "down"
    if wanted == "down" and item.is_last:
        return "" if item.is_first else "up"
    return wanted


def autofocus(form: forms.Form, default: str) -> None:
    """htmx focuses an element with ``autofocus`` in swapped content: the first field with an
    error, else ``default``."""
    visible = [name for name, field in form.fields.items() if not field.widget.is_hidden]
    name = next((name for name in form.errors if name in visible), default)
    form.fields[name].widget.attrs["autofocus"] = True
