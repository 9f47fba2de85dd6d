"""Helpers shared by the meeting workspace's in-place (htmx) updates of SWOT entries
(swot.views) and goals and actions (actions.views)."""

from __future__ import annotations

from typing import Any

from django import forms


def focus_after_move(item: Any, wanted: str) -> str:
    """The control of ``item`` that takes the focus after a move: an item moved to the top has
    no "up" button any more, so its "down" button does (and the other way round)."""
    if wanted == "up" and item.is_first:
        return "" if item.is_last else "down"
    if wanted == "down" and item.is_last:
        return "" if item.is_first else "up"
    return wanted


def autofocus(form: forms.Form, default: str) -> None:
    """htmx focuses an element with ``autofocus`` in swapped content: the first field with an
    error, else ``default``."""
    visible = [name for name, field in form.fields.items() if not field.widget.is_hidden]
    name = next((name for name in form.errors if name in visible), default)
    form.fields[name].widget.attrs["autofocus"] = True
