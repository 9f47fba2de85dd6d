"""The meeting workspace's shared view helpers.

- The meeting a step works on (``get_meeting_for``), the workspace's address, the form page,
  and the answer to a step a service refuses (``forbidden_when_refused``).
- One edit / merge / move flow for SWOT entries (swot.views), goals and actions
  (actions.views): each app describes its kinds of item once (``Kind``: the form and service of
  each step, the fragment an htmx request gets, where a plain request goes back to), and
  ``form_step`` and ``move_step`` answer a plain request with POST-redirect-GET (or the form
  page, 400 with errors, 409 with a conflict) and an htmx request with the fragment, 200,
  holding the form in place, the conflict, or the updated list with its status message.
- The view models of the items' controls (``Controls.rows`` → ``Row``), which
  ``templates/teams/partials/item_controls.html`` draws, and of a form open in place
  (``InlineForm``, ``templates/teams/partials/inline_form.html``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, ParamSpec, Protocol

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import ConflictError, Refused

from . import meeting_permissions as perms
from .access import get_meeting_for_user
from .http import AuthenticatedRequest
from .models import Meeting
from .permissions import AnyUser

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FORM_PAGE = "teams/meeting_form_page.html"
Predicate = Callable[[AnyUser, Meeting], bool]
StepName = Literal["edit", "merge"]
P = ParamSpec("P")


def get_meeting_for(request: HttpRequest, pk: int, allowed: Predicate) -> Meeting:
    """The meeting if the user may see it (else 404) and ``allowed`` holds (else 403)."""
    meeting = get_meeting_for_user(request.user, pk)
    if not allowed(request.user, meeting):
        raise PermissionDenied
    return meeting


def workspace_url(meeting: Meeting) -> str:
    return reverse("teams:meeting-workspace", kwargs={"pk": meeting.pk})


def form_page(
    request: HttpRequest, meeting: Meeting, *, status: int = 200, anchor: str = "", **context: Any
) -> HttpResponse:
    """A workspace step's form on a page of its own (without JavaScript); Cancel goes back to
    the workspace at ``anchor`` unless the context says where."""
    context.setdefault("cancel_url", workspace_url(meeting) + anchor)
    return render(request, FORM_PAGE, {"meeting": meeting, **context}, status=status)


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


def autofocus(form: forms.Form, default: str) -> None:
    """htmx focuses an element with ``autofocus`` in swapped content: the first field with an
    error, else ``default``."""
    visible = [name for name, field in form.fields.items() if not field.widget.is_hidden]
    name = next((name for name in form.errors if name in visible), default)
    form.fields[name].widget.attrs["autofocus"] = True


# --- What each app says about its kinds of item ------------------------------------------------


class Answer(Protocol):
    """The fragment an htmx step on ``item`` answers with: the list that holds it (with
    ``editing`` open in place), ``message`` in its status region, ``focus`` on a control."""

    def __call__(
        self,
        request: AuthenticatedRequest,
        item: Any,
        /,
        *,
        message: str = "",
        editing: InlineForm | None = None,
        focus: Focus | None = None,
    ) -> HttpResponse: ...


def _nothing(item: Any) -> str:
    return ""


def _no_arguments(item: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Step:
    """Edit or merge: the form (with ``version``, the one the person saw), the service that
    saves it (called with ``actor``, the item under its kind's name, the form's other fields and
    ``expected_version``; it raises ConflictError when someone else saved first), and what the
    person reads."""

    form: type[forms.Form]
    save: Callable[..., object]
    heading: Callable[[Any], str]
    done: StrOrPromise
    intro: StrOrPromise = ""
    form_arguments: Callable[[Any], dict[str, Any]] = _no_arguments


@dataclass(frozen=True)
class Kind:
    """One kind of item on the workspace (a SWOT entry, a goal, an action), declared once by
    its app."""

    #: The services' keyword for the item, the stem of its URL names (``<app>:<name>-edit``,
    #: ``-merge``, ``-move``) and of the ids of its inline form's fields.
    name: str
    app: str
    #: The ids of its elements on the page: ``<element>-<pk>``, ``<element>-<pk>-edit`` …
    element: str
    #: What it says: the controls' hidden label is the first, a conflict shows them all.
    text_fields: tuple[str, ...]
    #: Of its inline form's heading, one below the heading of what holds the item.
    heading_level: int
    meeting: Callable[[Any], Meeting]
    answer: Answer
    edit: Step
    merge: Step
    move: Callable[..., object]
    #: Where a plain request goes back to on the workspace after a save.
    saved_anchor: Callable[[Any], str]
    #: Where the Cancel of the form page goes on the workspace.
    page_anchor: str = ""
    #: What the form page names after the meeting's title.
    subject: Callable[[Any], str] = _nothing
    #: How it is named as the target of a merge, and quoted in its own merge form.
    reference: Callable[[Any], str] = str

    def url(self, step: str, pk: int) -> str:
        return reverse(f"{self.app}:{self.name}-{step}", args=[pk])

    def text(self, values: Mapping[str, Any]) -> str:
        return "\n".join(filter(None, (values.get(name) or "" for name in self.text_fields)))

    def text_of(self, item: Any) -> str:
        return self.text({name: getattr(item, name) for name in self.text_fields})


# --- View models -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Focus:
    """The control htmx focuses after an in-place update: "edit", "up" or "down" of an item."""

    kind: Kind
    pk: int
    control: str


@dataclass(frozen=True)
class Conflict:
    """Someone else saved first: the item as it is now (and what it was merged into) beside
    what this person wrote, which was not saved."""

    current: str
    merged_into: str
    yours: str


@dataclass(frozen=True)
class StepTexts:
    """What an edit or merge form says, on its page or in place."""

    heading: str
    action_url: str
    submit_label: str
    subject: str = ""
    quote: str = ""
    intro: str = ""


@dataclass(frozen=True)
class InlineForm:
    """An edit or merge form open in place of its item (htmx). ``detached``: the item left the
    list meanwhile (merged by someone else), so only the conflict shows, above the list."""

    kind: Kind
    pk: int
    step: str
    form: forms.Form
    texts: StepTexts
    cancel_url: str
    conflict: Conflict | None = None
    detached: bool = False

    @property
    def element(self) -> str:
        return f"{self.kind.element}-{self.pk}"


@dataclass(frozen=True)
class Row:
    """An item on the workspace with what this person may do to it: Edit (their own, or any
    for a moderator), Merge and move (moderators; no "up" for the first, no "down" for the
    last), the control that takes the focus, and its form when it is open in place."""

    item: Any
    kind: Kind
    can_edit: bool
    can_moderate: bool
    is_first: bool
    is_last: bool
    focus: str = ""
    editing: InlineForm | None = None

    @property
    def element(self) -> str:
        return f"{self.kind.element}-{self.item.pk}"

    @property
    def label(self) -> str:
        return str(getattr(self.item, self.kind.text_fields[0]))

    @cached_property
    def edit_url(self) -> str:
        return self.kind.url("edit", self.item.pk)

    @cached_property
    def merge_url(self) -> str:
        return self.kind.url("merge", self.item.pk)

    @cached_property
    def move_url(self) -> str:
        return self.kind.url("move", self.item.pk)

    @property
    def moves(self) -> list[Move]:
        """Its move buttons: no "up" for the first item, no "down" for the last."""
        up = [] if self.is_first else [Move("up", "↑", _("Up"))]
        return up + ([] if self.is_last else [Move("down", "↓", _("Down"))])


@dataclass(frozen=True)
class Move:
    direction: str
    arrow: str
    label: str


@dataclass(frozen=True)
class Controls:
    """What this person may do to a meeting's items now, and what the step being answered left:
    the control to focus, the form open in place."""

    user_pk: int | None
    can_add: bool
    can_moderate: bool
    focus: Focus | None = None
    editing: InlineForm | None = None

    @classmethod
    def of(
        cls,
        user: AnyUser,
        meeting: Meeting,
        *,
        focus: Focus | None = None,
        editing: InlineForm | None = None,
    ) -> Controls:
        return cls(
            user_pk=user.pk,
            can_add=perms.can_add_entries(user, meeting),
            can_moderate=perms.can_moderate_entries(user, meeting),
            focus=focus,
            editing=editing,
        )

    def rows(self, kind: Kind, items: Sequence[Any]) -> list[Row]:
        """``items`` in their order (the order moves change) with their controls."""
        last = len(items) - 1
        return [
            Row(
                item=item,
                kind=kind,
                can_edit=self.can_moderate or (self.can_add and item.author_id == self.user_pk),
                can_moderate=self.can_moderate,
                is_first=index == 0,
                is_last=index == last,
                focus=self._focus(kind, item.pk, index == 0, index == last),
                editing=self._open(kind, item.pk),
            )
            for index, item in enumerate(items)
        ]

    def _focus(self, kind: Kind, pk: int, is_first: bool, is_last: bool) -> str:
        """An item moved to the top has no "up" button any more, so its "down" button takes the
        focus (and the other way round)."""
        if self.focus is None or self.focus.kind is not kind or self.focus.pk != pk:
            return ""
        wanted = self.focus.control
        if wanted == "up" and is_first:
            return "" if is_last else "down"
        if wanted == "down" and is_last:
            return "" if is_first else "up"
        return wanted

    def _open(self, kind: Kind, pk: int) -> InlineForm | None:
        editing = self.editing
        if editing is None or editing.detached or editing.kind is not kind or editing.pk != pk:
            return None
        return editing


# --- The flow ----------------------------------------------------------------------------------


def form_step(request: AuthenticatedRequest, kind: Kind, name: StepName, item: Any) -> HttpResponse:
    """Edit or merge ``item``: GET shows the form; a valid POST saves unless someone else saved
    first, in which case nothing is saved and the person sees the item as it is now beside
    their text, with the form re-armed at the current version (409). With htmx the form, its
    errors and the conflict show in place of the item, and a save answers with the list, the
    message and the focus on the Edit link of the item kept."""
    step = kind.edit if name == "edit" else kind.merge
    meeting = kind.meeting(item)
    fields = {field.name for field in item._meta.concrete_fields}
    initial = {key: item.serializable_value(key) for key in step.form.base_fields if key in fields}
    # Many forms share the workspace page: an inline form's fields get ids of their own; their
    # names stay, so the inline form and the form page post the same data.
    ids: dict[str, Any] = {"auto_id": f"id_{kind.name}-{item.pk}-%s"} if request.htmx else {}

    def bound(data: Any) -> forms.Form:
        return step.form(data, initial=initial, **step.form_arguments(item), **ids)

    texts = StepTexts(
        heading=step.heading(item),
        action_url=request.path,
        submit_label=_("Save") if name == "edit" else _("Merge"),
        subject=kind.subject(item),
        quote=kind.reference(item) if name == "merge" else "",
        intro=str(step.intro),
    )

    def answer(
        form: forms.Form, status: int, conflict: Conflict | None = None, detached: bool = False
    ) -> HttpResponse:
        if request.htmx:
            editing = InlineForm(
                kind, item.pk, name, form, texts, workspace_url(meeting), conflict, detached
            )
            return kind.answer(request, item, editing=editing)
        context = {"form": form, "conflict": conflict, **asdict(texts)}
        return form_page(request, meeting, status=status, anchor=kind.page_anchor, **context)

    form = bound(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        version = values.pop("version")
        try:
            step.save(actor=request.user, **{kind.name: item}, **values, expected_version=version)
        except ConflictError as error:
            current = error.current
            data = request.POST.copy()
            data["version"] = str(current.version)
            conflict = Conflict(
                current=kind.text_of(current),
                merged_into=kind.reference(current.merged_into) if current.merged_into else "",
                yours=kind.text(values),
            )
            return answer(bound(data), 409, conflict, current.merged_into_id is not None)
        done = str(step.done)
        if request.htmx:
            kept = values.get("into", item)
            return kind.answer(request, item, message=done, focus=Focus(kind, kept.pk, "edit"))
        messages.success(request, done)
        return redirect(workspace_url(meeting) + kind.saved_anchor(item))
    if request.htmx:
        autofocus(form, "into" if name == "merge" else kind.text_fields[0])
    return answer(form, 400 if request.method == "POST" else 200)


def move_step(request: AuthenticatedRequest, kind: Kind, item: Any) -> HttpResponse:
    """Move ``item`` one place up or down; with htmx the list answers with the focus on the
    item's move button (``Controls._focus``)."""
    direction = "up" if request.POST.get("direction") == "up" else "down"
    kind.move(actor=request.user, **{kind.name: item}, direction=direction)
    message = _("Moved up.") if direction == "up" else _("Moved down.")
    if request.htmx:
        return kind.answer(request, item, message=message, focus=Focus(kind, item.pk, direction))
    messages.success(request, message)  # without JavaScript too, as the other steps say theirs
    return redirect(f"{workspace_url(kind.meeting(item))}#{kind.element}-{item.pk}")
