"""``{% control "actions" comment.pk %}``: where a viewer's control goes in a comment thread
whose HTML is cached for every viewer (consultations.fragments)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from ..fragments import slot

register = template.Library()


@register.simple_tag
def control(name: str, pk: Any = "") -> SafeString:
    return slot(name, pk)
