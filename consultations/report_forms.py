"""The forms of the report's records (consultations.report_services): where the announcement
was published, and the annexes (their file checked by the register's ``check_upload``). The
rules (a web link, a date not in the future) are the model's, so the
services ask the same."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import NameField

from .models import WEB_LINK, AnnouncementPlace, Round, RoundAnnex, RoundEvent, minutes_label
from .register_forms import check_upload
from .register_services import Original


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


ANNEX_LIMIT_MB = 10


class AnnexForm(forms.Form):
    """The KRDPP opinion or the minutes of one of the round's open meetings, as a PDF."""

    target = forms.ChoiceField(label=_("Annex"))
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.events = {
            f"minutes:{event.pk}": event
            for event in round_.events.filter(kind=RoundEvent.Kind.OPEN_MEETING)
        }
        self.fields["file"].help_text = _("A PDF file of at most %(limit)s MB.") % {
            "limit": ANNEX_LIMIT_MB
        }
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = [
            ("opinion", RoundAnnex.Kind.KRDPP_OPINION.label),
            *((key, minutes_label(event)) for key, event in self.events.items()),
        ]

    def clean_file(self) -> Original:
        return check_upload(
            self.cleaned_data["file"],
            extensions=("pdf",),
            limit_mb=ANNEX_LIMIT_MB,
            too_large=_("The file is larger than %(limit)s MB."),
            wrong_type=_("The annex must be a PDF file (its content is checked, not its name)."),
        )

    def service_arguments(self) -> dict[str, Any]:
        target = self.cleaned_data["target"]
        event = self.events.get(target)
        kind = RoundAnnex.Kind.MINUTES if event is not None else RoundAnnex.Kind.KRDPP_OPINION
        return {"kind": kind, "event": event, "original": self.cleaned_data["file"]}
