"""The erratum form of a publication's record."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import MultilineField

from .publications import ERRATUM_LIMIT


class ErratumForm(forms.Form):
    text = MultilineField(
        label=_("Erratum"),
        max_length=ERRATUM_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Dated and signed in the change register. The published document and its PDF "
            "stay as they were; a change of the text is a new version."
        ),
    )


# The synthesis of a round's comments in the consultation report.
SYNTHESIS_LIMIT = 20000


class SynthesisForm(forms.Form):
    synthesis = MultilineField(
        label=_("Synthesis of the comments"),
        max_length=SYNTHESIS_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Written by the coordinating team for the consultation report; it can be changed "
            "until the report is published."
        ),
    )
    # The version of the synthesis the form was filled from (Round.synthesis_version);
    # without it (a page from before) nothing is saved.
    synthesis_version = forms.IntegerField(widget=forms.HiddenInput(), required=False, min_value=0)
