"""``{% programme_cycle programme as rows %}``: the programme's cycle dates for its page, each
with whether it is overdue today (Europe/Warsaw) by ``teams.cycle``'s rule: a date the
programme still owes (``owed_dates``) that passed with its obligation unmet."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils import timezone

from .. import cycle
from ..models import Programme

register = template.Library()


@dataclass(frozen=True)
class CycleRow:
    entry: cycle.CycleDate
    overdue: bool


@register.simple_tag
def programme_cycle(programme: Programme) -> list[CycleRow]:
    overdue = {entry.key for entry in cycle.overdue_dates(programme, timezone.localdate())}
    return [CycleRow(entry, entry.key in overdue) for entry in programme.cycle_dates]
