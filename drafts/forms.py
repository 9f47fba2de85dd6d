"""Forms of the programme draft's editing pages."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.validators import RegexValidator, URLValidator
from django.utils.translation import gettext_lazy as _

from core.text import MultilineField

from .models import OPINION_LIMIT
from .services import PARAGRAPH_LIMIT


class ParagraphForm(forms.Form):
    text = MultilineField(
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
    # The version number the confirmation page named: publishing again from a second tab, a
    # double click or the back button finds it taken and publishes nothing
    # (services.draft_version_publish).
    number = forms.IntegerField(widget=forms.HiddenInput(), min_value=1, required=False)
    note = MultilineField(
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
    changes = forms.ChoiceField(
        label=_("Show"),
        choices=[("only", _("Changes only")), ("all", _("The whole text"))],
        initial="only",
        required=False,
    )

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("old", "new"):
            cast(forms.ChoiceField, self.fields[name]).choices = choices


#: A resolution of Kraków's council is numbered session/number/year: "XII/123/11".
RESOLUTION_NUMBER = r"^[IVXLCDM]+/\d{1,5}/\d{2}$"


class HttpsURLField(forms.URLField):
    """A web address that must be https, with one message that says so (URLField's own check
    and an https-only one each said "Enter a valid URL", twice, also for an http address)."""

    default_validators = [URLValidator(schemes=["https"])]
    default_error_messages = {
        "invalid": _("Enter an address that starts with https:// (http:// is not accepted).")
    }


class AdoptForm(forms.Form):
    """The council's resolution adopting a version. The rules about dates and adopting twice
    are the service's (drafts.services.draft_version_adopt)."""

    resolution_number = forms.CharField(
        label=_("Resolution number"),
        max_length=50,
        validators=[
            RegexValidator(
                RESOLUTION_NUMBER,
                _("Write the number as the council does: session/number/year, e.g. XII/123/11."),
            )
        ],
        help_text=_("As the council numbers it, e.g. XII/123/11."),
    )
    resolution_date = forms.DateField(
        label=_("Resolution date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    resolution_url = HttpsURLField(
        label=_("Link to the resolution's publication"),
        assume_scheme="https",
        help_text=_("An https address, e.g. of the resolution in the public information bulletin."),
    )
    krdpp_opinion = MultilineField(
        label=_("Opinion of the public benefit council (KRDPP)"),
        required=False,
        max_length=OPINION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Art. 5a ust. 2a: if the council gave its opinion, paste its text; it is printed as "
            "an annex of the adopted programme."
        ),
    )
