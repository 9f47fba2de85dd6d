"""The erratum form of a publication's record."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .publications import ERRATUM_LIMIT


class ErratumForm(forms.Form):
    text = forms.CharField(
        label=_("Erratum"),
        max_length=ERRATUM_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Dated and signed in the change register. The published document and its PDF "
            "stay as they were; a change of the text is a new version."
        ),
    )
