"""``{{ entry.action|action_label }}``: an audit entry's action as people read it;
``{{ value|stored_datetime }}``: a date and time kept in its data."""

from __future__ import annotations

import datetime as dt

from django import template

from core.audit import action_label as _action_label

register = template.Library()


@register.filter
def action_label(value: str) -> str:
    return _action_label(value)


@register.filter
def stored_datetime(value: object) -> dt.datetime | None:
    """A date and time that an audit entry's data keeps as ISO 8601 text, as a datetime again
    (for ``|date``, which shows it in Europe/Warsaw); None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None
