"""Forms for goals and postulated actions. Limits are shown on the form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import MultilineField, NameField
from teams.meeting_forms import VersionField, interpolate_lazy, limit_help
from teams.models import Meeting

from .models import TEXT_LIMIT, Action, Goal

GOAL_TITLE_LIMIT = 500


class GoalForm(forms.Form):
    title = NameField(
        label=_("Goal"), max_length=GOAL_TITLE_LIMIT, help_text=limit_help(GOAL_TITLE_LIMIT)
    )
    proposed_solutions = MultilineField(
        label=_("Proposed solutions"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=interpolate_lazy(
            _("One per line. At most %(limit)s characters."), {"limit": TEXT_LIMIT}
        ),
    )


class GoalEditForm(GoalForm):
    version = VersionField()


def _current_goals(meeting: Meeting) -> Any:
    return Goal.objects.filter(meeting=meeting, merged_into__isnull=True).order_by("number")


class ActionForm(forms.Form):
    goal = forms.ModelChoiceField(
        label=_("Goal"), queryset=Goal.objects.none(), required=False, empty_label=_("(no goal)")
    )
    text = MultilineField(
        label=_("Postulated action"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=limit_help(TEXT_LIMIT),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["goal"]).queryset = _current_goals(meeting)


class ActionEditForm(ActionForm):
    version = VersionField()


class GoalMergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Goal.objects.none())
    version = VersionField()

    def __init__(self, *args: Any, goal: Goal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert goal.meeting is not None
        into = cast(forms.ModelChoiceField, self.fields["into"])
        into.queryset = _current_goals(goal.meeting).exclude(pk=goal.pk)


class ActionMergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Action.objects.none())
    version = VersionField()

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["into"]).queryset = (
            Action.objects.filter(meeting_id=action.meeting_id, merged_into__isnull=True)
            .exclude(pk=action.pk)
            .order_by("number")
        )
