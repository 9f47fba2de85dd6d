"""What every admin page of the portal shares: text typed in the admin is cleaned as in the
portal's forms. Every admin class of the project (each ModelAdmin and inline) inherits
``PortalAdmin``, or ``NameFieldsAdmin`` where it has names (tests/test_multiline_text.py walks
the admin site to check)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib.admin.options import BaseModelAdmin
from django.db import models
from django.http import HttpRequest

from core.text import MultilineField, MultilineNameField, NameField

if TYPE_CHECKING:
    _Admin = BaseModelAdmin[Any]
else:
    _Admin = BaseModelAdmin  # generic only in django-stubs


def _is_textarea(db_field: models.Field[Any, Any]) -> bool:
    """A TextField typed in a textarea (one with choices is a select)."""
    return isinstance(db_field, models.TextField) and not db_field.choices


class PortalAdmin(_Admin):
    """Every textarea (a model's TextField, with or without ``max_length``) is a
    ``MultilineField``, as in the portal's forms: CR LF is stored as LF and counted once
    against the limit, and a text with nothing visible is empty (refused when the field is
    required, i.e. not ``blank``). An address typed without a scheme is taken as https, as in
    the portal's forms (and Django 6's default)."""

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if _is_textarea(db_field):
            kwargs.setdefault("form_class", MultilineField)
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class NameFieldsAdmin(PortalAdmin):
    """Names and titles typed in the admin are cleaned as in the portal's forms (NameField:
    no bidi controls, nothing-visible is empty; MultilineNameField for one typed in a
    textarea). List them in ``name_fields``."""

    name_fields: ClassVar[tuple[str, ...]] = ()

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name in self.name_fields:
            kwargs["form_class"] = MultilineNameField if _is_textarea(db_field) else NameField
        return super().formfield_for_dbfield(db_field, request, **kwargs)
