"""Each comment thread's HTML, cached by what it shows; each viewer's own controls are put in
on every request.

A logged-in member or expert is never served the anonymous visitors' cached page
(core.page_cache): what they may do differs per comment (edit their own, report others',
support on behalf of their organisation, reply). The thread itself, though — the comment, its
replies and supports, its labels — is the same for everyone who sees the same replies. So:

- **The thread is rendered once**, with a marker (an HTML comment, which no escaped user text
  can spell) where each control goes, and cached under a key read from the database with the
  comment: its ``thread_version`` (bumped by every change to the comment, its replies, its
  supports and the names shown with them: consultations.signals.touch_comments), the round's
  ``version`` (paragraph labels, the deadline that makes a registered comment late), the
  replies this viewer sees (a moderator and a reply's author also see hidden ones), the
  language and the templates' version (core.page_cache.code_version). ``PAGE_CACHE_SECONDS``
  bounds what the key does not cover, as for the whole page: the text of a SWOT entry, goal
  or action a comment is on.
- **The controls are rendered per request**: each distinct set (what the viewer may do with a
  comment, ``views.Allowed``, the organisations they may support it for, the reply form) once,
  with placeholder ids, which are then replaced for each comment. Permissions are asked per
  comment exactly as before (consultations.permissions); only the rendering is shared.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.page_cache import PAGE_CACHE_SECONDS, code_version

if TYPE_CHECKING:
    from .views import CommentView

# Stand-ins for a comment's id, its thread's id and a reply form's submission token in the
# controls rendered once per request; each is replaced by the real value for each comment.
# Ids are 19 digits (within core.ids.ID_MAX) so that the URLs reverse; no id comes close.
_PK = "9187201950435737471"
_THREAD = "9187201950435737472"
_TOKEN = "00000000-0000-4000-8000-00000000f00d"  # noqa: S105 - a placeholder, not a secret

THREAD_TEMPLATE = "consultations/partials/comment.html"


def slot(name: str, pk: Any = "") -> SafeString:
    """The marker where a control goes in a cached thread (the template writes it with
    ``{% control name pk %}``, consultations/templatetags/comment_controls.py)."""
    return format_html("<!--ctl:{}:{}-->", name, pk)


def _key(view: CommentView) -> str:
    comment = view.comment
    state = (
        comment.pk,
        comment.thread_version,
        comment.round.version,
        tuple(reply.comment.pk for reply in view.replies),
        get_language(),
    )
    digest = hashlib.sha256(repr(state).encode()).hexdigest()
    return f"thread:{code_version()}:{digest}"


class Controls:
    """The controls of one request's viewer, each distinct one rendered once."""

    def __init__(self, request: HttpRequest, context: dict[str, Any]) -> None:
        self.request = request
        self.context = context
        self._rendered: dict[Any, str] = {}

    def _once(self, key: Any, render: Callable[[], str]) -> str:
        if key not in self._rendered:
            self._rendered[key] = render()
        return self._rendered[key]

    def _render(self, template: str, **extra: Any) -> str:
        return render_to_string(template, {**self.context, **extra}, request=self.request)

    def actions(self, comment: Any, allowed: Any, thread: int) -> str:
        if not (allowed.can_edit or allowed.can_flag or allowed.can_moderate):
            html = self._once("no-actions", lambda: self._actions(allowed, hidden=False))
        else:
            html = self._once(
                ("actions", allowed, comment.is_hidden),
                lambda: self._actions(allowed, hidden=comment.is_hidden),
            )
        return html.replace(_PK, str(comment.pk)).replace(_THREAD, str(thread))

    def _actions(self, allowed: Any, *, hidden: bool) -> str:
        stand_in = SimpleNamespace(pk=int(_PK), is_hidden=hidden)
        return self._render(
            "consultations/partials/comment_actions.html",
            c=stand_in,
            allowed=allowed,
            thread=int(_THREAD),
        )

    def support(self, comment: Any, organisations: dict[int, str]) -> str:
        if not organisations:
            return ""
        html = self._once(
            ("support", tuple(organisations.items())),
            lambda: self._render(
                "consultations/partials/comment_support.html",
                comment=SimpleNamespace(pk=int(_PK)),
                organisations=organisations,
            ),
        )
        return html.replace(_PK, str(comment.pk))

    def reply_form(self, comment: Any, token: str) -> str:
        html = self._once(
            "reply",
            lambda: self._render(
                "consultations/partials/comment_reply_form.html",
                comment=SimpleNamespace(pk=int(_PK)),
                reply_token=_TOKEN,
            ),
        )
        return html.replace(_PK, str(comment.pk)).replace(_TOKEN, str(uuid.UUID(token)))


def threads_html(
    request: HttpRequest,
    context: dict[str, Any],
    views: Iterable[CommentView],
    *,
    error: str = "",
    notice: str = "",
) -> list[SafeString]:
    """Each view's thread: cached HTML with this viewer's controls put in. ``context`` is the
    comment templates' (views._comment_context); ``error``/``notice`` go at the top of each
    (an htmx fragment has one thread)."""
    views = list(views)
    keys = [_key(view) for view in views]
    cached = cache.get_many(keys)
    fresh: dict[str, str] = {}
    controls = Controls(request, context)
    out = []
    for key, view in zip(keys, views, strict=True):
        html = cached.get(key)
        if html is None:
            html = fresh[key] = render_to_string(
                THREAD_TEMPLATE,
                {**context, "comment": view.comment, "item": view},
                request=request,
            )
        out.append(mark_safe(_fill(html, view, controls, error, notice)))  # noqa: S308
    if fresh:
        cache.set_many(fresh, PAGE_CACHE_SECONDS)
    return out


def _fill(html: str, view: CommentView, controls: Controls, error: str, notice: str) -> str:
    comment = view.comment
    filled = {
        slot("notice"): render_to_string(
            "consultations/partials/comment_notice.html", {"error": error, "notice": notice}
        )
        if error or notice
        else "",
        slot("support", comment.pk): controls.support(comment, view.support_orgs),
        slot("actions", comment.pk): controls.actions(comment, view.allowed, comment.pk),
        slot("reply", comment.pk): (
            controls.reply_form(comment, view.reply_token) if view.can_reply else ""
        ),
    }
    for reply in view.replies:
        filled[slot("actions", reply.comment.pk)] = controls.actions(
            reply.comment, reply.allowed, comment.pk
        )
    for marker, control in filled.items():
        html = html.replace(marker, control, 1)
    return html
