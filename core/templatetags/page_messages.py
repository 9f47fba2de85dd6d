"""The messages shown at the top of a page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

register = template.Library()


@register.filter
def at_top(messages: Iterable[Any]) -> list[Any]:
    """The page's messages but those a page shows in their place (marked ``in_thread``: a
    comment action's, at the top of its thread, consultations.views._thread_messages)."""
    return [message for message in messages if not getattr(message, "in_thread", False)]
