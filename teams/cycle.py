"""The dates of a programme's cycle that follow from the law, computed in one place.

- adoption by the council: 30 November of the year before the programme starts (art. 5a ust. 1);
- the implementation report (sprawozdanie z realizacji programu): by 31 May of the year after
  each year of the programme (art. 5a ust. 3);
- the accessibility declaration reviewed: by 31 March of each year of the programme.

``cycle_dates`` is a pure function of the period: the programme's page, its calendar feed and
the coordinating team's reminders (teams.notices) all read it. Whether a date's obligation is
already met is known only by the apps above teams (the implementation report is
implementation's); they register a check (``register_fulfilled``), and a reminder is not sent
for a met obligation (``is_fulfilled``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CycleDate:
    """One dated obligation: ``key`` is stable (calendar UIDs, reminder occasions)."""

    key: str
    date: dt.date
    label: str


ADOPTION = "adoption"
IMPLEMENTATION_REPORT = "implementation-report"
ACCESSIBILITY_REVIEW = "accessibility-review"


def adoption_deadline(period_start: int) -> dt.date:
    """Art. 5a ust. 1: adopted by 30 November of the year before the programme starts."""
    return dt.date(period_start - 1, 11, 30)


def cycle_dates(period_start: int, period_end: int) -> list[CycleDate]:
    """The cycle's deadlines, in date order."""
    dates = [
        CycleDate(
            ADOPTION,
            adoption_deadline(period_start),
            str(_("Adoption of the programme by the City Council")),
        )
    ]
    for year in range(period_start, period_end + 1):
        dates.append(
            CycleDate(
                f"{ACCESSIBILITY_REVIEW}-{year}",
                dt.date(year, 3, 31),
                str(_("Accessibility declaration reviewed (%(year)s)") % {"year": year}),
            )
        )
        dates.append(
            CycleDate(
                f"{IMPLEMENTATION_REPORT}-{year}",
                dt.date(year + 1, 5, 31),
                str(
                    _("Report on the implementation of the programme in %(year)s") % {"year": year}
                ),
            )
        )
    return sorted(dates, key=lambda entry: (entry.date, entry.key))


#: (programme, cycle date key) -> whether that obligation is met; registered by the apps that
#: know, in their AppConfig.ready().
_FULFILLED: list[Callable[[Any, str], bool]] = []


def register_fulfilled(check: Callable[[Any, str], bool]) -> None:
    if check not in _FULFILLED:
        _FULFILLED.append(check)


def is_fulfilled(programme: Any, key: str) -> bool:
    """Whether the obligation of the programme's cycle date ``key`` is met (any check says so)."""
    return any(check(programme, key) for check in _FULFILLED)


def reminder_days() -> int:
    """How many days before a cycle date the coordinating team is reminded (a setting)."""
    return int(settings.PROGRAMME_REMINDER_DAYS)


def reminder_date(date: dt.date, days: int) -> dt.date:
    """The day the reminder of ``date`` is due: ``days`` calendar days before it."""
    return date - dt.timedelta(days=days)
