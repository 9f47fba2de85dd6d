"""The dates of a programme's cycle that follow from the law, computed in one place.

- adoption by the council: 30 November of the year before the programme starts (art. 5a ust. 1);
- the implementation report (sprawozdanie z realizacji programu): by 31 May of the year after
  each year of the programme (art. 5a ust. 3);
- the accessibility declaration reviewed: by 31 March of each year of the programme.

``cycle_dates`` is a pure function of the period: the programme's page, its calendar feed and
the coordinating team's reminders (teams.notices) all read it. Whether a date's obligation is
already met is known only by the apps above teams (the implementation report is
implementation's); they register a check (``register_fulfilled``), and a reminder is not sent
for a met obligation (``is_fulfilled``). The accessibility declaration's review is the
deployment's (``krakow_ngo.accessibility``): the project app registers its check. A date that passed
with its obligation unmet is *overdue* (``overdue_dates``): the programme's page says so, and
the coordinating team is told once, the day after (teams.notices).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class CycleDate:
    """One dated obligation: ``key`` is stable (calendar UIDs, reminder occasions);
    ``obligation`` is its kind (``ADOPTION``, ``IMPLEMENTATION_REPORT``,
    ``ACCESSIBILITY_REVIEW``); ``basis`` names the provision it follows from. The texts are
    lazy: an e-mail, rendered in its recipient's language, says them in that language."""

    key: str
    date: dt.date
    label: StrOrPromise
    obligation: str
    basis: StrOrPromise


def _formatted(message: StrOrPromise, **values: object) -> StrOrPromise:
    """``message % values``, translated when it is used, not when the date is computed."""
    return lazy(lambda: str(message) % values, str)()


ADOPTION = "adoption"
IMPLEMENTATION_REPORT = "implementation-report"
ACCESSIBILITY_REVIEW = "accessibility-review"

_ACT_2003 = _(
    "art. %(provision)s of the Act of 24 April 2003 on public-benefit activity and volunteering"
)
_ACCESSIBILITY_BASIS = _(
    "art. 10 of the Act of 4 April 2019 on the digital accessibility of websites and mobile "
    "applications of public bodies, and the Ministry of Digital Affairs' technical conditions "
    "of the accessibility declaration"
)


def adoption_deadline(period_start: int) -> dt.date:
    """Art. 5a ust. 1: adopted by 30 November of the year before the programme starts."""
    return dt.date(period_start - 1, 11, 30)


def cycle_dates(period_start: int, period_end: int) -> list[CycleDate]:
    """The cycle's deadlines, in date order."""
    dates = [
        CycleDate(
            ADOPTION,
            adoption_deadline(period_start),
            _("Adoption of the programme by the City Council"),
            ADOPTION,
            _formatted(_ACT_2003, provision="5a ust. 1"),
        )
    ]
    for year in range(period_start, period_end + 1):
        dates.append(
            CycleDate(
                f"{ACCESSIBILITY_REVIEW}-{year}",
                dt.date(year, 3, 31),
                _formatted(_("Accessibility declaration reviewed (%(year)s)"), year=year),
                ACCESSIBILITY_REVIEW,
                _ACCESSIBILITY_BASIS,
            )
        )
        dates.append(
            CycleDate(
                f"{IMPLEMENTATION_REPORT}-{year}",
                dt.date(year + 1, 5, 31),
                _formatted(
                    _("Report on the implementation of the programme in %(year)s"), year=year
                ),
                IMPLEMENTATION_REPORT,
                _formatted(_ACT_2003, provision="5a ust. 3"),
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


def owed_dates(programme: Any) -> list[CycleDate]:
    """The cycle dates whose obligations ``programme`` still owes, whether to come or passed:
    all of a current programme's; of an archived one, every date but its adoption. Starting
    the next programme (before 30 November) archives this one while the obligations of its
    own years still run — the report on its last year is due 31 May of the year after it —
    but its adoption, if still pending, was superseded by the programme that replaced it.
    The reminders before a date, the notice after it and the page's overdue mark all ask it."""
    dates = cycle_dates(programme.period_start, programme.period_end)
    if programme.is_current:
        return dates
    return [entry for entry in dates if entry.key != ADOPTION]


def is_overdue(programme: Any, entry: CycleDate, today: dt.date) -> bool:
    """The date has passed (``today``: a Europe/Warsaw date; the date itself is still in
    time) and its obligation is not met. Whether the programme still owes it is
    ``owed_dates``'s question."""
    return _overdue(entry, today, done=is_fulfilled(programme, entry.key))


def _overdue(entry: CycleDate, today: dt.date, *, done: bool) -> bool:
    return entry.date < today and not done


def overdue_dates(programme: Any, today: dt.date) -> list[CycleDate]:
    """The owed dates of ``programme`` that are overdue on ``today``."""
    return [entry for entry in owed_dates(programme) if is_overdue(programme, entry, today)]


#: The obligations whose fulfilment the portal records date by date: the adoption, each year's
#: implementation report. The accessibility declaration's yearly reviews are known only by the
#: deployment's latest date (``ACCESSIBILITY_PREPARED`` / ``ACCESSIBILITY_REVIEWED``): enough to
#: tell that no review is late, not that a given year's review was done, so the programme's page
#: never marks one done (a declaration prepared in 2026 would have "done" the review of 2012).
RECORDED_PER_DATE = frozenset({ADOPTION, IMPLEMENTATION_REPORT})


@dataclass(frozen=True)
class DateStatus:
    """A cycle date as the programme's page shows it."""

    entry: CycleDate
    # Its obligation is recorded as met (``is_fulfilled``), early or late; only for the
    # obligations recorded date by date (``RECORDED_PER_DATE``).
    done: bool
    overdue: bool  # owed, passed and not met (``owed_dates``, ``is_overdue``)


def date_statuses(programme: Any, today: dt.date) -> list[DateStatus]:
    """Each of the programme's cycle dates with whether its obligation is met and whether it
    is overdue on ``today`` (a Europe/Warsaw date): one fulfilment check per date."""
    owed = {entry.key for entry in owed_dates(programme)}
    statuses = []
    for entry in cycle_dates(programme.period_start, programme.period_end):
        done = is_fulfilled(programme, entry.key)
        overdue = entry.key in owed and _overdue(entry, today, done=done)
        recorded = done and entry.obligation in RECORDED_PER_DATE
        statuses.append(DateStatus(entry, recorded, overdue))
    return statuses


def reminder_days() -> int:
    """How many days before a cycle date the coordinating team is reminded (a setting)."""
    return int(settings.PROGRAMME_REMINDER_DAYS)


def reminder_date(date: dt.date, days: int) -> dt.date:
    """The day the reminder of ``date`` is due: ``days`` calendar days before it."""
    return date - dt.timedelta(days=days)
