"""Every textarea of the portal's forms is a ``core.text.MultilineField``: a line break posted
as CR LF counts once against the limit (as the textarea's ``maxlength`` counted it) and is
stored as LF, and a text with nothing visible is empty. The comment's own cases, through the
views, are in tests/consultations/test_comment_text_input.py."""

from __future__ import annotations

import importlib
import inspect
from typing import cast

import pytest
from django import forms

from core.text import MultilineField, is_blank
from swot.forms import SwotEntryForm
from teams.meeting_forms import MinutesForm

FORM_MODULES = [
    "teams.forms",
    "teams.meeting_forms",
    "swot.forms",
    "actions.forms",
    "consultations.forms",
    "consultations.register_forms",
    "consultations.report_forms",
    "consultations.apply_wording_views",
    "drafts.forms",
    "documents.forms",
    "implementation.forms",
    "notifications.views",
]


def _textareas() -> list[tuple[str, forms.Field]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == name:
                fields: dict[str, forms.Field] = value.base_fields  # type: ignore[attr-defined]
                found += [
                    (f"{value.__name__}.{field_name}", field)
                    for field_name, field in fields.items()
                    if isinstance(field.widget, forms.Textarea)
                ]
    return found


def test_every_textarea_of_every_form_is_a_multiline_field() -> None:
    found = _textareas()
    wrong = [name for name, field in found if not isinstance(field, MultilineField)]
    assert not wrong
    names = {name for name, _field in found}
    for expected in (
        "CommentForm.text",
        "RoundForm.goal",
        "RoundForm.subject",
        "MeetingForm.rules",
        "MinutesForm.minutes",
        "TeamForm.description",
        "SwotEntryForm.text",
        "GoalForm.proposed_solutions",
        "ActionForm.text",
        "ParagraphForm.text",
        "ErratumForm.text",
        "YearForm.comment",
    ):
        assert expected in names


def test_a_swot_entry_at_its_limit_with_crlf_line_breaks_is_accepted_with_lf() -> None:
    limit = cast(forms.CharField, SwotEntryForm.base_fields["text"]).max_length
    assert limit is not None
    text = ("Mocna strona\n" * limit)[: limit - 1] + "."
    form = SwotEntryForm({"quadrant": "S", "text": text.replace("\n", "\r\n")})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["text"] == text


def test_minutes_of_only_invisible_characters_are_required() -> None:
    form = MinutesForm({"minutes": "\u00a0\u200b\r\n\u2060", "version": 1})
    assert not form.is_valid()
    assert form.has_error("minutes", "required")


@pytest.mark.parametrize(
    ("text", "blank"),
    [
        ("", True),
        ("\u00a0\u200b\u200b\ufeff\u180e\u2028", True),
        ("a", False),
        ("\u200b.", False),
        ("w\u00a0Krakowie", False),
        ("\u0301", False),  # a combining accent alone shows (on a dotted circle)
    ],
)
def test_is_blank(text: str, blank: bool) -> None:
    assert is_blank(text) is blank
