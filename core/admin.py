"""What every admin page of the portal shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib.admin.options import BaseModelAdmin
from django.db import models
from django.http import HttpRequest

from core.text import NameField

if TYPE_CHECKING:
    _Admin = BaseModelAdmin[Any]
else:
    _Admin = BaseModelAdmin  # generic only in django-stubs


class NameFieldsAdmin(_Admin):
    """Names and titles typed in the admin are cleaned as in the portal's forms (NameField:
    no bidi controls). List them in ``name_fields``. An address typed without a scheme is
    taken as https, as in the portal's forms (and Django 6's default)."""

    name_fields: ClassVar[tuple[str, ...]] = ()

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name in self.name_fields:
            kwargs["form_class"] = NameField
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)
