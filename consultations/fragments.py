"""Each comment thread's HTML, cached by what it shows; each viewer's own controls are put in
on every request.

A logged-in member or expert is never served the anonymous visitors' cached page
(core.page_cache): what they may do differs per comment (edit their own, report others',
support on behalf of their organisation, reply). The thread itself, though — the comment, its
replies and supports, its labels — is the same for everyone who sees the same replies, each
in full or as a placeholder alike. So:

- **The thread is rendered once**, with a marker (an HTML comment, which no escaped user text
  can spell) where each control goes, and cached under a key read from the database with the
  comment: its ``thread_version`` (bumped by every change to the comment, its replies, its
  supports and the names shown with them: consultations.signals.touch_comments), the round's
  ``version`` (paragraph labels, the deadline that makes a registered comment late), the
  replies on this viewer's page (``permissions.can_list_comment``: a reply's author also has
  their withdrawn ones), whether the viewer finds the comment and each reply in full or, when
  hidden, as its placeholder (``permissions.sees_placeholder``: everyone but its author and
  the moderators), the language and the templates' version
  (core.page_cache.code_version). ``PAGE_CACHE_SECONDS`` bounds what the key does not cover,
  as for the whole page: the text of a SWOT entry, goal or action a comment is on.
- **The controls are rendered per request**: each distinct set (what the viewer may do with a
  comment, ``views.Allowed``, the organisations they may support it for, the reply form) once,
  with placeholder ids, which are then replaced for each comment. Permissions are asked per
  comment exactly as before (consultations.permissions); only the rendering is shared.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.page_cache import PAGE_CACHE_SECONDS, code_version, shared_html, state_key

from . import selectors

if TYPE_CHECKING:
    from .models import Comment, Round
    from .permissions import Viewer
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
    # Built by hand (a page puts in hundreds): the name is ours, the id a number.
    return mark_safe(f"<!--ctl:{name}:{int(pk) if pk != '' else ''}-->")  # noqa: S308


@functools.cache
def slot_pattern(name: str) -> re.Pattern[str]:
    """Finds the ``slot(name, pk)`` markers of a rendered page; its group is the id."""
    head = str(slot(name))[: -len("-->")]  # the marker without its id: "<!--ctl:name:"
    return re.compile(re.escape(head) + "([0-9]+)-->")


def _key(view: CommentView) -> str:
    comment = view.comment
    return state_key(
        f"thread:{code_version()}",
        comment.pk,
        comment.thread_version,
        comment.round.version,
        tuple((reply.comment.pk, reply.placeholder) for reply in view.replies),
        view.placeholder,
        get_language(),
    )


class Controls:
    """The controls of one request's viewer, each distinct one rendered once, and kept in
    the cache for every viewer with the same choices (core.page_cache.shared_html: the CSRF
    token is each request's own). A control's key is all it shows: what may be done, the
    organisations and the "on behalf of" choices; ids and tokens are placeholders."""

    def __init__(self, request: HttpRequest, context: dict[str, Any]) -> None:
        self.request = request
        self.context = context
        self._rendered: dict[Any, str] = {}
        viewer = context["viewer"]
        self._on_behalf = viewer.on_behalf_key()

    def _once(self, key: Any, render: Callable[[], str]) -> str:
        if key not in self._rendered:
            self._rendered[key] = shared_html(
                self.request, ("comment-control", repr(key), self._on_behalf), render
            )
        return self._rendered[key]

    def _render(self, template: str, **extra: Any) -> str:
        return render_to_string(template, {**self.context, **extra}, request=self.request)

    def actions(self, comment: Any, allowed: Any, thread: int) -> str:
        if not (allowed.can_edit or allowed.can_flag or allowed.flagged or allowed.can_moderate):
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

    def support(self, comment: Any, organisations: dict[int, str], withdraw: dict[int, str]) -> str:
        if not (organisations or withdraw):
            return ""
        html = self._once(
            ("support", tuple(organisations.items()), tuple(withdraw.items())),
            lambda: self._render(
                "consultations/partials/comment_support.html",
                comment=SimpleNamespace(pk=int(_PK)),
                organisations=organisations,
                withdraw=withdraw,
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
    whole: Callable[[list[int]], list[CommentView]] | None = None,
    error: str = "",
    notice: str = "",
    kept: str = "",
    notices: Mapping[int, Message] | None = None,
) -> list[SafeString]:
    """Each view's thread: cached HTML with this viewer's controls put in. ``context`` is the
    comment templates' (views._comment_context); ``error``/``notice`` go at the top of each
    (an htmx fragment has one thread), with ``kept``: text typed and not saved, shown back;
    ``notices``: a message for the top of some threads, by thread (a comment action's, sent
    without JavaScript).
    ``views`` may hold comments read only for the controls and the keys
    (selectors.round_comments_for_controls): ``whole`` then reads the threads missing from
    the cache whole, to render them."""
    views = list(views)
    keys = [_key(view) for view in views]
    cached = cache.get_many(keys)
    missing = {view.comment.pk for key, view in zip(keys, views, strict=True) if key not in cached}
    rendered: dict[int, str] = {}  # threads rendered now, by the top-level comment's id
    if missing:
        fresh = {}
        for view in whole(sorted(missing)) if whole else views:
            if view.comment.pk in missing:
                rendered[view.comment.pk] = fresh[_key(view)] = render_to_string(
                    THREAD_TEMPLATE,
                    {**context, "comment": view.comment, "item": view},
                    request=request,
                )
        cache.set_many(fresh, PAGE_CACHE_SECONDS)
    controls = Controls(request, context)
    out = []
    for key, view in zip(keys, views, strict=True):
        html = cached.get(key, rendered.get(view.comment.pk))
        if html is not None:  # None: the comment is gone since the page's ids were read
            message = (notices or {}).get(view.comment.pk) or Message(error, notice, kept)
            out.append(mark_safe(_fill(html, view, controls, message)))  # noqa: S308
    return out


class Message(NamedTuple):
    """What goes at the top of a thread htmx swaps in: an error or a notice, and the text the
    person typed that was not saved (shown back to copy); ``focus``: the first of them is
    focused (``autofocus``: one to a page)."""

    error: str = ""
    notice: str = ""
    kept: str = ""
    focus: bool = True


def _fill(html: str, view: CommentView, controls: Controls, message: Message) -> str:
    comment = view.comment
    filled = {
        slot("notice"): render_to_string(
            "consultations/partials/comment_notice.html",
            {**message._asdict(), "thread": comment.pk},
        )
        if message.error or message.notice
        else "",
        slot("support", comment.pk): controls.support(
            comment, view.support_orgs, view.withdraw_orgs
        ),
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


_PAGE_NUMBER = re.compile(r"[0-9]{1,6}")


class _PageOfIds(Sequence[int]):
    """A comment list of ``count`` ids of which only one page's are known (``start`` onward):
    what Paginator needs to number the pages without counting the comments again."""

    def __init__(self, count: int, start: int, pks: list[int]) -> None:
        self.count_, self.start, self.pks = count, start, pks

    def __len__(self) -> int:
        return self.count_

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, slice) or index.start != self.start:
            raise IndexError("only the cached page is known")
        return self.pks


def _prefetched_as_lists(comments: list[Comment]) -> None:
    """The comments' prefetched replies and supports kept as lists, not QuerySets: a pickled
    QuerySet carries its whole query, which made reading the page from the cache cost more
    than the rest of it. (A related manager's ``all()`` returns what was prefetched as it is.)"""
    for comment in comments:
        prefetched = getattr(comment, "_prefetched_objects_cache", {})
        for name, found in prefetched.items():
            prefetched[name] = list(found)


class _Own(NamedTuple):
    """What of a round's page is the viewer's own: whether they have comments only they see
    (``seen_only_by_author``), and which comments they flagged (``selectors.own_flags``)."""

    sees_own: bool
    flagged: frozenset[int]


def _own(round_: Round, viewer: Viewer, state: Iterable[Any] | None) -> _Own:
    """The viewer's ``_Own``, kept in the cache under the round's ``state``, which changes with
    every change to its comments (hiding, withdrawing and flagging included: the services'
    ``_touch``), so the answer is exact; asked of the database once per state."""
    user_id = viewer.active_user_id
    if user_id is None:
        return _Own(False, frozenset())

    def read() -> _Own:
        sees_own = round_.comments.seen_only_by_author(
            user_id=user_id, moderator=viewer.is_moderator
        ).exists()
        return _Own(sees_own, selectors.own_flags(round_, viewer))

    if state is None:  # nothing is shared: only the flags are asked
        return _Own(False, selectors.own_flags(round_, viewer))
    key = state_key("own", round_.pk, user_id, viewer.is_moderator, tuple(state))
    own = cache.get_or_set(key, read, PAGE_CACHE_SECONDS)
    assert isinstance(own, _Own)
    return own


class CommentPage(NamedTuple):
    """One page of a round's comments as fragments.comment_page reads it for one viewer."""

    page: Page
    comments: list[Comment]
    flagged: frozenset[int]


def comment_page(
    round_: Round, viewer: Viewer, number: str | None, state: Iterable[Any] | None, per_page: int
) -> CommentPage:
    """One page of the round's top-level comments: the paginator's page, the page's comments
    as far as the controls and the threads' keys need them
    (selectors.round_comments_for_controls), and those the viewer flagged (``_own``).

    With the round's ``state`` (access.round_state: it changes with every change to its
    comments), both are cached for everyone who sees what the others of their kind see
    (moderators, or everyone else): one small query, whether the viewer has comments of their
    own that only they see, replaces the count, the page's ids and the three reads."""
    own = _own(round_, viewer, state)
    shared = (
        state is not None
        and (number is None or _PAGE_NUMBER.fullmatch(number) is not None)
        and not own.sees_own
    )

    def read() -> tuple[Page, list[Comment]]:
        page = Paginator(selectors.round_comment_ids(round_, viewer), per_page).get_page(number)
        pks = list(page.object_list)
        return page, list(selectors.round_comments_for_controls(round_, viewer, pks))

    if not shared:
        return CommentPage(*read(), own.flagged)
    key = state_key(
        "comment-page", round_.pk, tuple(state or ()), viewer.is_moderator, number, per_page
    )
    cached = cache.get(key)
    if cached is None:
        page, comments = read()
        _prefetched_as_lists(comments)
        start = (page.number - 1) * per_page
        cache.set(
            key, (page.paginator.count, start, list(page.object_list), comments), PAGE_CACHE_SECONDS
        )
        return CommentPage(page, comments, own.flagged)
    count, start, pks, comments = cached
    page = Paginator(_PageOfIds(count, start, pks), per_page).get_page(number)
    return CommentPage(page, comments, own.flagged)
