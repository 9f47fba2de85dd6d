"""Every textarea of the portal's forms, and of its Django admin, is a
``core.text.MultilineField``: a line break posted as CR LF counts once against the limit (as
the textarea's ``maxlength`` counted it) and is stored as LF, and a text with nothing visible
is empty. The comment's own cases, through the views, are in
tests/consultations/test_comment_text_input.py."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any, cast

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory

from core.admin import PortalAdmin
from core.text import MultilineField, MultilineNameField, is_blank
from swot.forms import SwotEntryForm
from swot.models import SwotEntry, SwotTopic
from teams.meeting_forms import MinutesForm
from teams.models import Meeting, User
from tests.teams.conftest import PASSWORD

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


# --- The Django admin ---------------------------------------------------------------------


def _is_project_model(model: type[models.Model]) -> bool:
    """A model of the portal's own apps (not Django's, allauth's …)."""
    path = Path(apps.get_app_config(model._meta.app_label).path).resolve()
    base = Path(settings.BASE_DIR).resolve()
    return path.is_relative_to(base) and ".venv" not in path.parts


def _project_admins() -> list[tuple[type[models.Model], BaseModelAdmin[Any]]]:
    """Every admin class the project registers, each ModelAdmin and each of its inlines."""
    found: list[tuple[type[models.Model], BaseModelAdmin[Any]]] = []
    for model, model_admin in admin.site._registry.items():
        if not _is_project_model(model):
            continue
        found.append((model, model_admin))
        found += [(inline.model, inline(model, admin.site)) for inline in model_admin.inlines]
    return found


def test_every_admin_class_of_the_project_inherits_the_portal_admin() -> None:
    admins = _project_admins()
    wrong = [type(a).__name__ for _model, a in admins if not isinstance(a, PortalAdmin)]
    assert not wrong
    names = {type(a).__name__ for _model, a in admins}
    assert {"CommentAdmin", "RevisionInline", "SwotEntryAdmin", "ActionInline"} <= names


def test_every_textarea_of_the_admin_is_a_multiline_field(rf: RequestFactory) -> None:
    request = rf.get("/admin/")
    checked = []
    for model, model_admin in _project_admins():
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField) and field.editable and not field.choices:
                formfield = model_admin.formfield_for_dbfield(field, request)
                name = f"{type(model_admin).__name__}.{field.name}"
                checked.append(name)
                assert isinstance(formfield, MultilineField), name
                assert isinstance(formfield.widget, forms.Textarea), name
                # The model's limit, counted after the line ends are made LF; none without.
                assert formfield.max_length == field.max_length, name
                assert formfield.required is not field.blank, name
    for expected in (
        "CommentAdmin.text",
        "CommentAdmin.hidden_reason",
        "RevisionInline.text",
        "SwotEntryAdmin.text",
        "SwotEntryInline.text",
        "ActionAdmin.text",
        "GoalAdmin.proposed_solutions",
        "MeetingAdmin.minutes",
        "TeamAdmin.description",
        "RoundAdmin.subject",
    ):
        assert expected in checked
    # A title typed in a textarea is cleaned as a name too.
    subject = admin.site._registry[apps.get_model("consultations", "Round")].formfield_for_dbfield(
        apps.get_model("consultations", "Round")._meta.get_field("subject"), request
    )
    assert isinstance(subject, MultilineNameField)


def _entry(meeting: Meeting) -> SwotEntry:
    """A SWOT entry to correct in the admin (the admin edits rows however they were made)."""
    topic = SwotTopic.objects.create(meeting=meeting, position=99, title="Finanse NGO")
    return SwotEntry.objects.create(topic=topic, quadrant="S", text="Stały budżet.")


def _admin_form(rf: RequestFactory, entry: SwotEntry, text: str) -> forms.ModelForm[Any]:
    """The SWOT entry's change form, as the admin builds it, with ``text`` typed in."""
    request = rf.get("/admin/")
    request.user = User.objects.create_superuser("root@example.org", PASSWORD)
    model_admin = admin.site._registry[SwotEntry]
    form_class = model_admin.get_form(request, entry)
    data = {k: ("" if v is None else v) for k, v in model_to_dict(entry).items()}
    return form_class({**data, "text": text}, instance=entry)


def test_the_admin_takes_a_text_at_its_limit_with_crlf_line_breaks_and_stores_lf(
    rf: RequestFactory, seeded: Meeting
) -> None:
    entry = _entry(seeded)
    limit = SwotEntry._meta.get_field("text").max_length
    assert limit is not None
    text = ("Mocna strona\n" * limit)[: limit - 1] + "."
    form = _admin_form(rf, entry, text.replace("\n", "\r\n"))
    assert form.is_valid(), form.errors
    form.save()
    entry.refresh_from_db()
    assert entry.text == text


def test_the_admin_refuses_a_required_text_of_only_invisible_characters(
    rf: RequestFactory, seeded: Meeting
) -> None:
    entry = _entry(seeded)
    before = entry.text
    form = _admin_form(rf, entry, "\u00a0\u200b\r\n\u2060")
    assert not form.is_valid()
    assert form.has_error("text", "required")
    entry.refresh_from_db()
    assert entry.text == before


def test_a_description_saved_in_the_admin_has_lf_line_ends(client: Client, seeded: Meeting) -> None:
    client.force_login(User.objects.create_superuser("root@example.org", PASSWORD))
    team = seeded.team
    response = client.post(
        f"/admin/teams/team/{team.pk}/change/",
        {
            "name": team.name,
            "other_names": team.other_names,
            "slug": team.slug,
            "programme": team.programme_id,
            "position": team.position,
            "description": "Pierwszy akapit.\r\n\r\nDrugi akapit.\rTrzeci.",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    team.refresh_from_db()
    assert team.description == "Pierwszy akapit.\n\nDrugi akapit.\nTrzeci."
