"""Forms for consultation rounds. Limits are shown on the form (help text, maxlength) and
enforced here; NUL characters get a clear message of their own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from drafts.models import DraftVersion
from teams.meeting_forms import limit_help
from teams.models import Meeting

from .models import COMMENT_TEXT_LIMIT, Disposition, Round
from .permissions import Viewer
from .selectors import RoundItems

NUL_MESSAGE = _(
    "The text contains a NUL character (an invisible control character, often pasted from "
    "another program). Remove it and send again."
)


class Text(forms.CharField):
    """A multi-line text field with a visible limit and a clear NUL message."""

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
            "short_duration_reason",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "subject": forms.Textarea(attrs={"rows": 3}),
            "scope_and_forms": forms.Textarea(attrs={"rows": 3}),
            "short_duration_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "meeting": _("The meeting whose results are consulted, if any."),
            "draft_version": _(
                "The published version of the programme draft whose paragraphs are consulted, "
                "if any. Choose a meeting, a version, or both."
            ),
            "short_duration_reason": _(
                "Only for a round shorter than 7 days: why it must be shorter (recorded)."
            ),
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
        version_field.queryset = DraftVersion.objects.select_related("draft").order_by(
            "draft", "-number"
        )
        version_field.required = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("meeting") and not data.get("draft_version"):
            self.add_error(
                None,
                _(
                    "A round consults a meeting's results, a version of the programme draft, "
                    "or both: choose at least one."
                ),
            )
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes:
            if closes <= opens:
                self.add_error("closes_at", _("The round must close after it opens."))
            elif (closes - opens).days < 7 and not (
                data.get("short_duration_reason") or ""
            ).strip():
                self.add_error(
                    "short_duration_reason",
                    _(
                        "A round must last at least 7 days. To run a shorter round, give the "
                        "reason here (it is recorded in the audit log)."
                    ),
                )
        return data


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

    def clean_on_behalf(self) -> str:
        value = self.cleaned_data.get("on_behalf") or self._only_choice
        if not value:
            raise forms.ValidationError(_("Choose on whose behalf you comment."))
        return value


class CommentForm(OnBehalfMixin, forms.Form):
    item = forms.ChoiceField(label=_("Comment on"), required=False)
    text = Text(label=_("Your comment"))
    proposed_wording = Text(
        label=_("Proposed wording (optional)"),
        required=False,
        help_text=_("How the text should read, if you propose a change."),
    )

    def __init__(self, *args: Any, viewer: Viewer, items: RoundItems, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        item_field = self.fields["item"]
        assert isinstance(item_field, forms.ChoiceField)
        item_field.choices = items.choices()
        self._on_behalf(viewer)

    def clean_item(self) -> Any:
        key = self.cleaned_data.get("item") or ""
        if not key:
            return None
        item = self.items.lookup(key)
        if item is None:
            raise forms.ValidationError(_("This item is not consulted in this round."))
        return item


class ReplyForm(OnBehalfMixin, forms.Form):
    text = Text(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._on_behalf(viewer)


class CommentEditForm(forms.Form):
    text = Text(label=_("Your comment"))
    proposed_wording = Text(label=_("Proposed wording (optional)"), required=False)
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
        limit=500,
        required=False,
        widget=forms.TextInput(),
    )


class ModerationForm(forms.Form):
    reason = Text(label=_("Reason (the author will see it)"), limit=500, widget=forms.TextInput())


class SettleForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_("Disposition"), choices=Disposition.choices, widget=forms.RadioSelect
    )
    justification = Text(
        label=_("Justification"),
        help_text=_("Required for every disposition, including acceptance."),
    )
