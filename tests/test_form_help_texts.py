"""Help texts built in form class bodies follow the visitor's language: they are translated
when shown, not when the module is imported (which happens once, in whatever language is
active then)."""

from __future__ import annotations

import pytest
from django.utils import translation

from actions.forms import ActionForm, GoalForm
from consultations.forms import CommentForm
from swot.forms import SwotEntryForm
from teams.forms import DecisionForm


@pytest.mark.parametrize(
    ("form", "field", "english"),
    [
        (CommentForm, "text", "At most 2000 characters."),
        (CommentForm, "proposed_wording", "At most 2000 characters."),
        (SwotEntryForm, "text", "At most 1000 characters."),
        (ActionForm, "text", "At most"),
        (GoalForm, "proposed_solutions", "One per line. At most"),
        (DecisionForm, "reason", "At most 500 characters."),
    ],
)
def test_a_help_text_is_translated_when_shown(form: type, field: str, english: str) -> None:
    help_text = form.base_fields[field].help_text
    with translation.override("en"):
        assert english in str(help_text)
    with translation.override("pl"):
        polish = str(help_text)
    assert english not in polish
    assert "aksymaln" in polish  # "Maksymalna liczba znaków", "Maksymalnie … znaków"
