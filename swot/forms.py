"""Forms for SWOT topics and entries. Limits are shown on the form (maxlength and help text)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.text import MultilineField, NameField
from teams.meeting_forms import VersionField, limit_help
from teams.models import AgendaItem, Meeting

from .models import ENTRY_TEXT_LIMIT, Quadrant, SwotEntry

TOPIC_TITLE_LIMIT = 500


class SwotTopicForm(forms.Form):
    title = NameField(
        label=capfirst(_("SWOT topic")),
        max_length=TOPIC_TITLE_LIMIT,
        help_text=limit_help(TOPIC_TITLE_LIMIT),
    )
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agenda_item = cast(forms.ModelChoiceField, self.fields["agenda_item"])
        agenda_item.queryset = meeting.agenda_items.order_by("position")


class SwotEntryForm(forms.Form):
    quadrant = forms.ChoiceField(label=_("Quadrant"), choices=Quadrant.choices)
    text = MultilineField(
        label=_("Entry"),
        max_length=ENTRY_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=limit_help(ENTRY_TEXT_LIMIT),
    )


class SwotEntryEditForm(SwotEntryForm):
    version = VersionField()


class EntryChoiceField(forms.ModelChoiceField):
    """An entry to merge into, named by its quadrant and text."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_quadrant_display()}: {obj.text[:120]}"


class SwotEntryMergeForm(forms.Form):
    into = EntryChoiceField(label=_("Merge into"), queryset=SwotEntry.objects.none())
    version = VersionField()

    def __init__(self, *args: Any, entry: SwotEntry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["into"]).queryset = (
            SwotEntry.objects.current()
            .filter(topic_id=entry.topic_id)
            .exclude(pk=entry.pk)
            .in_board_order()
        )
