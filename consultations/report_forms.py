"""The forms of the report's records (consultations.report_services): where the announcement
was published. The rules (a web link, a date not in the future) are the model's, so the
services ask the same."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import NameField

from .models import WEB_LINK, AnnouncementPlace


class AnnouncementPlaceForm(forms.ModelForm):
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[WEB_LINK],
        help_text=_("The address of the announcement, if it is online."),
    )

    class Meta:
        model = AnnouncementPlace
        fields = ["kind", "details", "url", "published_on"]
        field_classes = {"details": NameField}
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "details": _("For example the newspaper's title or the notice board's address."),
        }
