"""Forms for planning a meeting, its agenda, attendance, the speakers list and the minutes."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.text import MultilineField, NameField

from .defaults import MEETING_RULES
from .meeting_phases import agenda_item_misfit
from .models import TEXT_LIMIT, AgendaItem, Meeting

RULES_LIMIT = 5000
MINUTES_LIMIT = 50000
SPEAKER_NAME_LIMIT = 200


def _interpolate(message: Any, values: dict[str, Any]) -> str:
    return str(message) % values


#: ``_("… %(name)s …") % values``, translated when shown, not when called: form fields are
#: built in class bodies, which run once, in whatever language is active at import time.
interpolate_lazy = lazy(_interpolate, str)


def limit_help(limit: int) -> Any:
    return interpolate_lazy(_("At most %(limit)s characters."), {"limit": limit})


class VersionField(forms.IntegerField):
    """The version of the row the form was loaded from; the service saves only if unchanged."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(widget=forms.HiddenInput, min_value=1, **kwargs)


def _bounded(field: forms.Field, low: int, high: int) -> None:
    """Bounds for a number field the model form built: its validators (what the server
    refuses) and its widget's ``min``/``max`` (what the browser offers). Setting
    ``min_value``/``max_value`` after the field is built, as this module did, changed neither."""
    number = cast(forms.IntegerField, field)
    number.min_value, number.max_value = low, high
    number.validators.extend([MinValueValidator(low), MaxValueValidator(high)])
    number.widget.attrs.update({"min": low, "max": high})


#: A speaker's time (seconds) and an agenda item's length (minutes) the plan accepts.
SPEAKING_SECONDS = (30, 3600)
AGENDA_ITEM_MINUTES = (1, 24 * 60)


class MeetingForm(forms.ModelForm):
    online_url = forms.URLField(
        label=capfirst(_("online meeting link")),
        required=False,
        assume_scheme="https",
        max_length=200,
    )
    version = VersionField(required=False)

    class Meta:
        model = Meeting
        fields = [
            "title",
            "date",
            "start_time",
            "end_time",
            "place",
            "online_url",
            "rules",
            "next_steps",
            "speaking_time_seconds",
        ]
        field_classes = {
            "title": NameField,
            "place": NameField,
            "rules": MultilineField,
            "next_steps": MultilineField,
        }
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "rules": forms.Textarea(attrs={"rows": 6, "maxlength": RULES_LIMIT}),
            "next_steps": forms.Textarea(attrs={"rows": 4, "maxlength": RULES_LIMIT}),
        }
        help_texts = {
            "start_time": _("Europe/Warsaw time."),
            "end_time": _("Europe/Warsaw time."),
            "rules": _("One rule per line. At most 5000 characters."),
            "next_steps": _("One step per line. At most 5000 characters."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = limit_help(300)
        _bounded(self.fields["speaking_time_seconds"], *SPEAKING_SECONDS)
        if not self.instance.pk:
            self.initial.setdefault("rules", "\n".join(MEETING_RULES))
            self.initial.setdefault("speaking_time_seconds", 180)
        else:
            self.initial["version"] = self.instance.version

    def clean_rules(self) -> str:
        return _limited(self.cleaned_data["rules"], RULES_LIMIT)

    def clean_next_steps(self) -> str:
        return _limited(self.cleaned_data["next_steps"], RULES_LIMIT)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The meeting must end after it starts."))
        if not (data.get("place") or data.get("online_url")) and "online_url" not in self.errors:
            self.add_error("place", _("Give a place, an online meeting link, or both."))
        if self.instance.pk and not self.has_error("start_time") and not self.has_error("end_time"):
            self._agenda_still_fits(start, end)
        return data

    def _agenda_still_fits(self, start: dt.time | None, end: dt.time | None) -> None:
        """New hours must still hold the agenda items already planned with their times."""
        for item in self.instance.agenda_items.all():
            at = item.starts_at  # an item without a time fits any hours (agenda_item_misfit)
            if at is None or not agenda_item_misfit(start, end, at, item.duration_minutes):
                continue
            self.add_error(
                "start_time" if start is not None and at < start else "end_time",
                _(
                    "The agenda item „%(item)s” is planned at %(at)s, outside these "
                    "hours: change the item first, then the meeting's hours."
                )
                % {"item": item, "at": f"{at:%H:%M}"},
            )
            return


def _limited(value: str, limit: int) -> str:
    if len(value) > limit:
        raise forms.ValidationError(
            _("Ensure this value has at most %(limit)s characters (it has %(length)s).")
            % {"limit": limit, "length": len(value)}
        )
    return value


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["numeral", "title", "starts_at", "duration_minutes"]
        field_classes = {"numeral": NameField, "title": NameField}
        widgets = {"starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        help_texts = {
            "numeral": _("E.g. I, II, III."),
            "starts_at": _("Europe/Warsaw time."),
        }

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["title"].help_text = limit_help(TEXT_LIMIT)
        _bounded(self.fields["duration_minutes"], *AGENDA_ITEM_MINUTES)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        meeting = self.meeting
        starts_at, minutes = data.get("starts_at"), data.get("duration_minutes")
        if misfit := agenda_item_misfit(meeting.start_time, meeting.end_time, starts_at, minutes):
            self.add_error(*misfit)
        return data


class AttendanceMarkForm(forms.Form):
    """Who came: those who registered, and the team's members who came without registering
    (``members``: the people invited to the meeting, ``notices.team_members``; the view passes
    them, the service checks them again). Nobody else is a person the portal knows."""

    attended = forms.MultipleChoiceField(
        label=_("Registered for the meeting"), required=False, widget=forms.CheckboxSelectMultiple
    )
    members = forms.MultipleChoiceField(
        label=_("Members of the team who did not register"),
        help_text=_("Tick those who came all the same: their attendance is recorded too."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, meeting: Meeting, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attendances = list(meeting.attendances.select_related("user", "organisation"))
        cast(forms.ChoiceField, self.fields["attended"]).choices = [
            (str(a.pk), _attendance_label(a)) for a in attendances
        ]
        self.initial["attended"] = [str(a.pk) for a in attendances if a.attended]
        registered = {a.user_id for a in attendances}
        cast(forms.ChoiceField, self.fields["members"]).choices = [
            (str(user.pk), str(user)) for user in members if user.pk not in registered
        ]

    def attended_ids(self) -> set[int]:
        """The registrations of those who came."""
        return {int(pk) for pk in self.cleaned_data["attended"]}

    def member_ids(self) -> set[int]:
        """The members who came without registering (users' ids)."""
        return {int(pk) for pk in self.cleaned_data["members"]}

    def has_choices(self) -> bool:
        return any(cast(forms.ChoiceField, self.fields[name]).choices for name in self.fields)


def _attendance_label(attendance: Any) -> str:
    person = str(attendance.user) if attendance.user else str(_("former participant"))
    if attendance.organisation:
        return f"{person} ({attendance.organisation.name})"
    return person


class SpeakerForm(forms.Form):
    name = NameField(
        label=_("Name of the speaker"),
        max_length=SPEAKER_NAME_LIMIT,
        help_text=limit_help(SPEAKER_NAME_LIMIT),
    )


class MinutesForm(forms.Form):
    minutes = MultilineField(
        label=_("Minutes"),
        max_length=MINUTES_LIMIT,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=limit_help(MINUTES_LIMIT),
    )
    version = VersionField()


REASON_LIMIT = 2000


class PublishReasonForm(forms.Form):
    """Why a meeting without results is published anyway (the service decides when it is
    needed: ``meeting_services.ReasonRequired``)."""

    reason = MultilineField(
        label=_("Why publish this meeting without results?"),
        required=False,
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=limit_help(REASON_LIMIT),
    )
