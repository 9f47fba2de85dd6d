"""``{% programme_cycle programme as rows %}``: the programme's cycle dates for its page, each
with whether its obligation is recorded as met and whether it is overdue today (Europe/Warsaw)
by ``teams.cycle``'s rule (``date_statuses``)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from .. import cycle
from ..models import Programme

register = template.Library()


@register.simple_tag
def programme_cycle(programme: Programme) -> list[cycle.DateStatus]:
    return cycle.date_statuses(programme, timezone.localdate())
