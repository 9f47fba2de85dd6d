"""``{{ entry.action|action_label }}``: an audit entry's action as people read it."""

from __future__ import annotations

from django import template

from core.audit import action_label as _action_label

register = template.Library()


@register.filter
def action_label(value: str) -> str:
    return _action_label(value)
