"""Forms of the programme draft's editing pages."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import PARAGRAPH_LIMIT


class ParagraphForm(forms.Form):
    text = forms.CharField(
        label=_("Paragraph text"),
        max_length=PARAGRAPH_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ParagraphEditForm(ParagraphForm):
    answers = forms.MultipleChoiceField(
        label=_("Settled comments this wording answers"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        cast(forms.ChoiceField, self.fields["answers"]).choices = choices
        if not choices:
            del self.fields["answers"]


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("What changed in this version"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LinkForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("Linked items"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        cast(forms.ChoiceField, self.fields["items"]).choices = choices


class CompareForm(forms.Form):
    old = forms.TypedChoiceField(label=_("Older version"), coerce=int)
    new = forms.TypedChoiceField(label=_("Newer version"), coerce=int)
    layout = forms.ChoiceField(
        label=_("Layout"),
        choices=[("side", _("Side by side")), ("inline", _("Inline"))],
        initial="side",
        required=False,
    )

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("old", "new"):
            cast(forms.ChoiceField, self.fields[name]).choices = choices
