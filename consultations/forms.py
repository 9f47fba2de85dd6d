"""Forms for consultation rounds. Limits are shown on the form (help text, maxlength) and
enforced here; NUL characters get a clear message of their own."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Q
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.text import MultilineField, MultilineNameField, NameField
from drafts.models import DraftVersion
from drafts.units import UNIT_LIMIT
from teams.meeting_forms import limit_help
from teams.models import Meeting

from . import rules
from .models import (
    COMMENT_TEXT_LIMIT,
    REASON_LIMIT,
    AuthorRole,
    Disposition,
    Round,
    RoundEvent,
)
from .permissions import Viewer
from .selectors import RoundItems

NUL_MESSAGE = _(
    "The text contains a NUL character (an invisible control character, often pasted from "
    "another program). Remove it and send again."
)


class Text(MultilineField):
    """A multi-line text field with a visible limit and a clear NUL message; its line ends
    and invisible-only content are MultilineField's."""

    def __init__(self, *, limit: int = COMMENT_TEXT_LIMIT, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        help_text = kwargs.pop("help_text", "")
        limit_text = limit_help(limit)
        kwargs["help_text"] = (
            format_lazy("{} {}", help_text, limit_text) if help_text else limit_text
        )
        super().__init__(max_length=limit, **kwargs)
        self.validators = [
            ProhibitNullCharactersValidator(message=NUL_MESSAGE)
            if isinstance(v, ProhibitNullCharactersValidator)
            else v
            for v in self.validators
        ]


class RoundForm(forms.ModelForm):
    """A round's announcement. What was entered is checked by ``Round.clean()``
    (consultations.rules.validate_round), which a ModelForm asks, as the services do."""

    opens_at = forms.DateTimeField(
        label=_("Opens at"),
        help_text=_("Europe/Warsaw time."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        help_text=_("Europe/Warsaw time. Comments are accepted until this very second."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Round
        fields = [
            "title",
            "meeting",
            "draft_version",
            "goal",
            "subject",
            "scope_and_forms",
            "responsible_office",
            "contact",
            "opens_at",
            "closes_at",
            "rules_override_reason",
        ]
        # The subject is the round's one-line summary in lists and the Atom feed: a title,
        # typed in a textarea.
        field_classes = {
            "title": NameField,
            "subject": MultilineNameField,
            "goal": MultilineField,
            "scope_and_forms": MultilineField,
            "rules_override_reason": MultilineField,
            "responsible_office": NameField,
            "contact": NameField,
        }
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "subject": forms.Textarea(attrs={"rows": 3}),
            "scope_and_forms": forms.Textarea(attrs={"rows": 3}),
            "rules_override_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "meeting": _("The meeting whose results are consulted, if any."),
            "draft_version": _(
                "The published version of the programme draft whose paragraphs are consulted, "
                "if any. Choose a meeting, a version, or both."
            ),
            "rules_override_reason": rules.OVERRIDE_HELP,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting_field = self.fields["meeting"]
        assert isinstance(meeting_field, forms.ModelChoiceField)
        meeting_field.queryset = Meeting.objects.filter(
            status=Meeting.Status.PUBLISHED
        ).select_related("team")
        meeting_field.required = False
        version_field = self.fields["draft_version"]
        assert isinstance(version_field, forms.ModelChoiceField)
        # Versions of the current programmes (and, when editing, of the round's own one).
        version_field.queryset = (
            DraftVersion.objects.filter(
                Q(draft__programme__is_current=True)
                | Q(draft__programme_id=getattr(self.instance, "programme_id", None))
            )
            .select_related("draft")
            .order_by("draft", "-number")
        )
        version_field.required = False


class OnBehalfMixin:
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    _only_choice: str

    def _on_behalf(self, viewer: Viewer) -> None:
        choices = viewer.on_behalf_choices()
        field = forms.ChoiceField(
            label=_("On behalf of"),
            choices=choices,
            help_text=_("The organisation (or your role) shown with the comment."),
        )
        if len(choices) == 1:
            # Nothing to choose: a missing value means the only choice.
            field.initial = choices[0][0]
            field.widget = forms.HiddenInput()
            field.required = False
        self._only_choice = choices[0][0] if len(choices) == 1 else ""
        self.fields = {"on_behalf": field, **self.fields}

    def clean_on_behalf(self) -> tuple[str, int | None]:
        """The author role and the id of the organisation chosen (one of the viewer's
        choices); whether the person may speak for it is the service's check, which reads the
        organisation with it (services.comment_post)."""
        value = self.cleaned_data.get("on_behalf") or self._only_choice
        if not value:
            raise forms.ValidationError(_("Choose on whose behalf you comment."))
        kind, _sep, pk = value.partition(":")
        if kind == "org":
            return AuthorRole.ORGANISATION, int(pk)
        return value, None


class ItemChoiceMixin(forms.Form):
    """A comment's ``item`` field: the key of one of the round's consulted items (``items``,
    a selectors.RoundItems set by the form), or empty for the round as a whole."""

    items: Any

    def _offer(self, items: RoundItems) -> None:
        """Offer ``items`` in the ``item`` field (and the section or point field only where a
        draft is consulted). The choices are given as a callable, which Django calls when the
        select is shown or a chosen key checked: a form sent on the round as a whole, as most
        are, is checked without building a choice per item (posts in the last hours of a
        round)."""
        self.items = items
        item_field = self.fields["item"]
        assert isinstance(item_field, forms.ChoiceField)
        item_field.choices = items.choices
        if not items.chapters:
            del self.fields["unit"]  # no draft consulted: no paragraphs to name a unit of

    def clean_item(self) -> Any:
        key = self.cleaned_data.get("item") or ""
        if not key:
            return None
        item = self.items.lookup(key)
        if item is None:
            raise forms.ValidationError(_("This item is not consulted in this round."))
        return item


class SubmissionTokenMixin(forms.Form):
    """The token issued with a comment or reply form (a fresh UUID each time the form is
    shown), which makes sending the same form twice save one comment
    (``services.comment_post``). A form without one comes from before the token existed or
    not from our page: the person is told to reload it."""

    token = forms.UUIDField(widget=forms.HiddenInput(), initial=uuid.uuid4, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        # A hidden field's error is shown by no one (the token, or the only "on behalf of"
        # choice, changed by hand or by a page from before a change): said once, in words.
        hidden = [
            name for name in list(self.errors) if name in self.fields and self[name].is_hidden
        ]
        for name in hidden:
            self.errors.pop(name)
        if hidden or not self.cleaned_data.get("token"):
            raise forms.ValidationError(
                _("This form has expired: reload the page and send your text again.")
            )
        return self.cleaned_data


class CommentForm(SubmissionTokenMixin, OnBehalfMixin, ItemChoiceMixin, forms.Form):
    item = forms.ChoiceField(label=_("Comment on"), required=False)
    unit = forms.CharField(
        label=_("Section or point (optional)"),
        required=False,
        max_length=UNIT_LIMIT,
        help_text=_(
            "For a paragraph of the draft: the section or point as the text numbers it, e.g. "
            "ust. 2 pkt 3."
        ),
    )
    text = Text(label=_("Your comment"))
    proposed_wording = Text(
        label=_("Proposed wording (optional)"),
        required=False,
        help_text=_("How the text should read, if you propose a change."),
    )
    submitter_justification = Text(
        label=_("Justification of the comment (optional)"),
        required=False,
        help_text=_("Why you propose it: the coordinating team answers it when settling."),
    )

    def __init__(self, *args: Any, viewer: Viewer, items: RoundItems, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer(items)
        self._on_behalf(viewer)


class ReplyForm(SubmissionTokenMixin, OnBehalfMixin, forms.Form):
    text = Text(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._on_behalf(viewer)


class CommentEditForm(forms.Form):
    text = Text(label=_("Your comment"))
    proposed_wording = Text(label=_("Proposed wording (optional)"), required=False)
    submitter_justification = CommentForm.base_fields["submitter_justification"]
    version = forms.IntegerField(widget=forms.HiddenInput())


class SupportForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Support on behalf of"), coerce=int)

    def __init__(self, *args: Any, organisations: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(organisations.items())


class FlagForm(forms.Form):
    reason = Text(
        label=_("What is wrong with this comment? (optional)"),
        limit=REASON_LIMIT,
        required=False,
        widget=forms.TextInput(),
    )


class ModerationForm(forms.Form):
    """Hiding a comment or showing it again. The reason is not optional, but its absence is
    the service's to refuse (services.comment_hide / comment_unhide), with the message of the
    step; the comment's actions (partials/comment_actions.html) say who reads the reason."""

    reason = Text(
        label=pgettext_lazy("hiding a comment", "Reason"),
        limit=REASON_LIMIT,
        required=False,
        widget=forms.TextInput(),
    )


class AnswerForm(forms.Form):
    """A disposition and its justification: what settles a comment, or drafts its answer."""

    disposition = forms.ChoiceField(
        label=_("Disposition"), choices=Disposition.choices, widget=forms.RadioSelect
    )
    justification = Text(
        label=_("Justification"),
        help_text=_("Required for every disposition, including acceptance."),
    )


class SettleForm(AnswerForm):
    """A disposition and its justification for the ticked comments. The settle page ticks
    comments in its table (``comments``, their ids), each row with the ``version-<id>`` the
    coordinator saw; ``cleaned_data["versions"]`` maps each chosen id to that version."""

    def chosen_versions(self) -> dict[int, int]:
        """The ticked comments that came with a version, id → version (rows without one, or
        with something other than whole numbers, are left out)."""
        if not self.is_bound:
            return {}
        data = cast(QueryDict, self.data)
        versions = {}
        for raw in data.getlist("comments"):
            pk, version = whole_number(raw), whole_number(data.get(f"version-{raw}"))
            if pk is not None and version is not None:
                versions[pk] = version
        return versions

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.cleaned_data["versions"] = self.chosen_versions()
        if not self.cleaned_data["versions"]:
            raise forms.ValidationError(_("Choose at least one comment to settle."))
        return self.cleaned_data


def whole_number(raw: Any) -> int | None:
    """A posted id or version as an int, or None when it is not one."""
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


# --- The moderation queue ------------------------------------------------------------------


class QueueDecisionForm(forms.Form):
    """One step in the moderation queue: hide the comment (a reason the author will see) or
    dismiss its flags (a reason for the log, optional)."""

    HIDE = "hide"
    DISMISS = "dismiss"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(HIDE, _("Hide the comment")), (DISMISS, _("Dismiss the flags"))],
    )
    reason = Text(
        label=_(
            "Reason (when hiding: shown to everyone in place of the comment, and in the report)"
        ),
        limit=REASON_LIMIT,
        required=False,
        widget=forms.TextInput(),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == self.HIDE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for hiding the comment."))
        return data


# --- A round's events (Kraków's rules) -------------------------------------------------------


def _local_datetime(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=_("Europe/Warsaw time."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class RoundEventForm(forms.ModelForm):
    """An event of a round, checked by ``RoundEvent.clean()`` (consultations.rules
    .validate_event): it ends after it starts, within the round when its kind must, and its
    attendance is recorded after it."""

    starts_at = _local_datetime(_("Starts at"))
    ends_at = _local_datetime(_("Ends at"))

    class Meta:
        model = RoundEvent
        fields = ["kind", "starts_at", "ends_at", "place", "attendance"]
        field_classes = {"place": NameField}
        help_texts = {
            "place": _("Where it takes place, or the address comments are sent to."),
            "attendance": _("How many people came; recorded after the event."),
        }


class AttendanceForm(forms.ModelForm):
    """A closed round's event: only its attendance is recorded."""

    class Meta:
        model = RoundEvent
        fields = ["attendance"]


class AnnounceForm(forms.Form):
    override_reason = Text(
        label=_("Reason for departing from Kraków's rules"),
        help_text=rules.OVERRIDE_HELP,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(forms.Form):
    """Closing a round before its announced deadline: why (services.round_close)."""

    reason = Text(
        label=_("Why the round closes before its announced deadline"),
        help_text=_(
            "Recorded in the audit log, given in the e-mail to the round's participants and "
            "printed in the consultation report beside the announced deadline."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- Settling a big round ------------------------------------------------------------------


class AnswerTemplateForm(forms.Form):
    """An answer template: a title for the list and the justification it fills in."""

    title = NameField(label=_("Title"), max_length=200)
    text = Text(label=_("Justification"))


def error_items(
    form: forms.Form, *, non_field: str = "", targets: Mapping[str, str] | None = None
) -> list[dict[str, str]]:
    """Each error of a refused ``form`` for the summary at its top
    (partials/refused_summary.html): the form's own errors first (``target``: ``non_field``,
    where the page shows them, if they are not right below the summary), then each field's,
    with its label and the id of its input (or the one in ``targets``) to link to. The register
    and settle pages use it."""
    items = [{"target": non_field, "label": "", "error": str(e)} for e in form.non_field_errors()]
    for field in form:
        target = (targets or {}).get(field.name) or field.id_for_label
        if field.is_hidden:
            target = ""
        elif not target and field.auto_id:  # a radio list: its first choice
            target = f"{field.auto_id}_0"
        items += [
            {"target": target, "label": str(field.label), "error": str(e)} for e in field.errors
        ]
    return items
