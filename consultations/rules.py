"""Kraków's rules for a consultation round's schedule, in one place.

The numbers are settings (krakow_ngo/settings.py), read each time a rule is asked, so that the
checks, their messages and the help texts all follow them:

- ``CONSULTATIONS_MIN_ROUND_DAYS`` (7): a round lasts at least this long, unless the
  coordinating team records why it must be shorter (``short_duration_reason``, audited);
- ``CONSULTATIONS_MIN_NOTICE_DAYS`` (7): a round is announced at least this long before it
  opens (a warning, not a refusal);
- ``CONSULTATIONS_DAYS_BEFORE_LEGAL_DEADLINE`` (30): a round should close this long before the
  council's legal deadline (30 November), to leave time to settle the comments, publish the
  report and put the programme to the council (a warning).

``validate_round`` is the one check of a round's announcement; ``Round.clean()`` asks it, so
the round form (a ModelForm cleans its model), the admin and the services (``round_create``,
``round_update``) refuse the same rounds with the same messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy


class Schedule(Protocol):
    """What the rules read of a round (a Round, saved or not)."""

    @property
    def meeting_id(self) -> int | None: ...
    @property
    def draft_version_id(self) -> int | None: ...
    @property
    def opens_at(self) -> dt.datetime | None: ...
    @property
    def closes_at(self) -> dt.datetime | None: ...
    @property
    def short_duration_reason(self) -> str: ...
    @property
    def meeting(self) -> Any: ...
    @property
    def draft_version(self) -> Any: ...


def programme_ids(round_: Schedule) -> set[int]:
    """The programmes of what the round consults (its meeting's team, its version's draft): a
    round belongs to one programme, whose legal deadline its warnings use."""
    found = set()
    if round_.meeting_id is not None:
        found.add(round_.meeting.team.programme_id)
    if round_.draft_version_id is not None:
        found.add(round_.draft_version.draft.programme_id)
    return found


def min_round_days() -> int:
    return int(settings.CONSULTATIONS_MIN_ROUND_DAYS)


def min_notice_days() -> int:
    return int(settings.CONSULTATIONS_MIN_NOTICE_DAYS)


def days_before_legal_deadline() -> int:
    return int(settings.CONSULTATIONS_DAYS_BEFORE_LEGAL_DEADLINE)


def is_short(duration: dt.timedelta) -> bool:
    """Shorter than the minimum: allowed only with a recorded reason."""
    return duration < dt.timedelta(days=min_round_days())


def closes_too_late(days_left: int) -> bool:
    """``days_left`` (from the round's close to the legal deadline) leaves too little time."""
    return days_left < days_before_legal_deadline()


def announced_late(opens_at: dt.datetime, now: dt.datetime) -> bool:
    """Announced at ``now``, the round opens sooner than Kraków's practice wants."""
    return opens_at - now < dt.timedelta(days=min_notice_days())


# Messages with the number of days in them: ngettext_lazy picks the plural form (and the
# language) when ``% {"days": n}`` is applied.
SHORT_ROUND = ngettext_lazy(
    "A round must last at least %(days)s day. To run a shorter round, give the reason (it is "
    "recorded in the audit log).",
    "A round must last at least %(days)s days. To run a shorter round, give the reason (it is "
    "recorded in the audit log).",
    "days",
)
SHORT_ROUND_LABEL = ngettext_lazy(
    "Reason for a round shorter than %(days)s day",
    "Reason for a round shorter than %(days)s days",
    "days",
)
SHORT_ROUND_HELP = ngettext_lazy(
    "Only for a round shorter than %(days)s day: why it must be shorter (recorded).",
    "Only for a round shorter than %(days)s days: why it must be shorter (recorded).",
    "days",
)
ANNOUNCED_LATE = ngettext_lazy(
    "The round opens less than %(days)s day from now; Kraków's practice is to announce a "
    "consultation at least %(days)s day before it opens.",
    "The round opens less than %(days)s days from now; Kraków's practice is to announce a "
    "consultation at least %(days)s days before it opens.",
    "days",
)


def in_days(message: Any, days: Callable[[], int]) -> Any:
    """``message`` with the number of days a setting holds, built when shown (in the visitor's
    language, with the setting as it is then), not when a form class body runs."""
    return lazy(lambda: str(message % {"days": days()}), str)()


def validate_round(round_: Schedule) -> None:
    """Raise ValidationError (by field) unless the round consults something and its dates are
    right: it closes after it opens, and a short round says why."""
    errors: dict[str, str] = {}
    if round_.meeting_id is None and round_.draft_version_id is None:
        errors[NON_FIELD_ERRORS] = _(
            "A round consults a meeting's results, a version of the programme draft, or "
            "both: choose at least one."
        )
    elif len(programme_ids(round_)) > 1:
        errors[NON_FIELD_ERRORS] = _(
            "The meeting and the version of the draft belong to different programmes: a "
            "round consults one programme."
        )
    opens, closes = round_.opens_at, round_.closes_at
    if opens is not None and closes is not None:
        if closes <= opens:
            errors["closes_at"] = _("The round must close after it opens.")
        elif is_short(closes - opens) and not (round_.short_duration_reason or "").strip():
            errors["short_duration_reason"] = SHORT_ROUND % {"days": min_round_days()}
    if errors:
        raise ValidationError(errors)


short_round_label = in_days(SHORT_ROUND_LABEL, min_round_days)
short_round_help = in_days(SHORT_ROUND_HELP, min_round_days)
announced_late_message = in_days(ANNOUNCED_LATE, min_notice_days)
