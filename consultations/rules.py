"""Kraków's rules for a consultation round, in one place.

The numbers are settings (krakow_ngo/settings.py), read each time a rule is asked, so that the
checks, their messages and the help texts all follow them:

- ``CONSULTATIONS_MIN_NOTICE_DAYS`` (7): a round is announced at least this long before it
  opens (the information campaign);
- ``CONSULTATIONS_MIN_ROUND_DAYS`` (21): a round lasts at least this long;
- ``CONSULTATIONS_MIN_FORMS`` (3): a round uses at least this many forms of consultation
  (``Form``: comments on the portal, always, and the kinds of the round's events), among them
  each of ``CONSULTATIONS_REQUIRED_FORMS`` (an open meeting);
- ``CONSULTATIONS_DAYS_BEFORE_LEGAL_DEADLINE`` (30): a round should close this long before the
  council's legal deadline (30 November), to leave time to settle the comments, publish the
  report and put the programme to the council (a warning).

``round_shortfalls`` lists where a round falls short of the first three: warnings on the round
page and when it is saved; announcing it despite them needs a reason
(``Round.rules_override_reason``, audited, shown in the report; services.round_announce).

``already_over`` is the one thing no reason overrides at announcement: a comment period that
has ended (services.round_announce refuses it; the confirmation page says so first).

``validate_round`` is the one check of what makes a round possible at all; ``Round.clean()``
asks it, so the round form (a ModelForm cleans its model), the admin and the services
(``round_create``, ``round_update``) refuse the same rounds with the same messages.
``validate_event`` is the same for a round's event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from core.dates import prose_datetime


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


def report_due(closes_at: dt.datetime) -> dt.date:
    """The day the consultation report is due: CONSULTATIONS_REPORT_DAYS after the day the
    round closes (Europe/Warsaw)."""
    closed = timezone.localtime(closes_at).date()
    return closed + dt.timedelta(days=int(settings.CONSULTATIONS_REPORT_DAYS))


def wall_clock(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """From ``start`` to ``end`` as Warsaw's clocks and calendars count it: 8 March 00:00 to
    29 March 00:00 is 21 days although the clocks move on 28 March (20 days 23 hours pass).
    Kraków's rules count days; Python subtracts two datetimes as elapsed time when they come
    from the database (UTC) but as wall-clock time when they share a zone (a form's), so the
    same round was short on one page and not on the other."""
    zone = timezone.get_default_timezone()
    local = [timezone.localtime(moment, zone).replace(tzinfo=None) for moment in (start, end)]
    return local[1] - local[0]


def rules_resolution(opens_at: dt.datetime) -> str:
    """The city's resolution on consultation rules in force when a round opened at
    ``opens_at`` (``CONSULTATIONS_RULES_RESOLUTIONS``: the latest adopted by that day, Warsaw
    date), cited by the report's legal basis; the earliest if the round is older than all."""
    day = timezone.localtime(opens_at, timezone.get_default_timezone()).date()
    dated = sorted(
        (dt.date.fromisoformat(adopted), text)
        for adopted, text in settings.CONSULTATIONS_RULES_RESOLUTIONS
    )
    in_force = [text for adopted, text in dated if adopted <= day]
    return in_force[-1] if in_force else dated[0][1]


def is_short(opens_at: dt.datetime, closes_at: dt.datetime) -> bool:
    """Shorter than the minimum (in Warsaw's days): allowed only with a recorded reason."""
    return wall_clock(opens_at, closes_at) < dt.timedelta(days=min_round_days())


def closes_too_late(days_left: int) -> bool:
    """``days_left`` (from the round's close to the legal deadline) leaves too little time."""
    return days_left < days_before_legal_deadline()


def already_over(round_: Schedule, now: dt.datetime) -> str:
    """Why the round cannot be announced at ``now`` at all, whatever reason is given: its
    comment period has ended (nobody could comment, and its audience would be e-mailed about a
    consultation already over). "" when it has not."""
    if round_.closes_at is None or round_.closes_at > now:
        return ""
    return _(
        "The round's comment period is already over: change its dates before announcing it; "
        "nothing was changed."
    )


def announced_late(opens_at: dt.datetime, now: dt.datetime) -> bool:
    """Announced at ``now``, the round opens sooner than Kraków's practice wants."""
    return wall_clock(now, opens_at) < dt.timedelta(days=min_notice_days())


class Form(models.TextChoices):
    """Forms of consultation. Comments on the portal are part of every round; the others are
    the kinds of a round's events (RoundEvent.kind)."""

    ONLINE = "online", gettext_lazy("comments on the portal")
    OPEN_MEETING = "open_meeting", gettext_lazy("open meeting")
    DUTY_HOUR = "duty_hour", gettext_lazy("expert duty hour")
    WRITTEN = "written", gettext_lazy("written comments by e-mail or post")
    OTHER = "other", gettext_lazy("other")


# Events of these kinds happen while the round is open; "other" (e.g. an information meeting
# before it) may fall outside its dates.
WITHIN_ROUND = frozenset({Form.OPEN_MEETING, Form.DUTY_HOUR, Form.WRITTEN})


def min_forms() -> int:
    return int(settings.CONSULTATIONS_MIN_FORMS)


def required_forms() -> list[Form]:
    return [Form(kind) for kind in settings.CONSULTATIONS_REQUIRED_FORMS]


# Messages with the number of days in them: ngettext_lazy picks the plural form (and the
# language) when ``% {"days": n}`` is applied.
SHORT_ROUND = ngettext_lazy(
    "The round lasts less than %(days)s day; Kraków's rule is at least %(days)s day.",
    "The round lasts less than %(days)s days; Kraków's rule is at least %(days)s days.",
    "days",
)
ANNOUNCED_LATE = ngettext_lazy(
    "The round opens less than %(days)s day from now; Kraków's practice is to announce a "
    "consultation at least %(days)s day before it opens.",
    "The round opens less than %(days)s days from now; Kraków's practice is to announce a "
    "consultation at least %(days)s days before it opens.",
    "days",
)
FEW_FORMS = ngettext_lazy(
    "The round uses %(count)s form of consultation; Kraków's rule is at least %(min)s "
    "(comments on the portal count as one; add the round's events).",
    "The round uses %(count)s forms of consultation; Kraków's rule is at least %(min)s "
    "(comments on the portal count as one; add the round's events).",
    "count",
)
OVERRIDE_HELP = gettext_lazy(
    "Only when the round departs from Kraków's rules (listed as warnings on the round page): "
    "why. It is recorded in the audit log and shown in the consultation report."
)


def shortfalls(
    *, opens_at: dt.datetime, closes_at: dt.datetime, announced_at: dt.datetime, kinds: set[str]
) -> list[str]:
    """Where a round falls short of Kraków's rules, one message each (empty: none)."""
    found = []
    if announced_late(opens_at, announced_at):
        found.append(ANNOUNCED_LATE % {"days": min_notice_days()})
    if is_short(opens_at, closes_at):
        found.append(SHORT_ROUND % {"days": min_round_days()})
    forms = {Form.ONLINE, *(Form(kind) for kind in kinds)}
    if len(forms) < min_forms():
        found.append(FEW_FORMS % {"count": len(forms), "min": min_forms()})
    for form in required_forms():
        if form not in forms:
            found.append(
                _("The round has no %(form)s; Kraków's rule requires one.") % {"form": form.label}
            )
    return found


def round_shortfalls(round_: Any, now: dt.datetime | None = None) -> list[str]:
    """A round's shortfalls, announced when it was or, before that, as if announced ``now``."""
    return shortfalls(
        opens_at=round_.opens_at,
        closes_at=round_.closes_at,
        announced_at=round_.announced_at or now or timezone.now(),
        kinds=set(round_.events.values_list("kind", flat=True)),
    )


def validate_round(round_: Schedule) -> None:
    """Raise ValidationError (by field) unless the round consults something and closes after
    it opens. Kraków's rules are warnings (``round_shortfalls``), not refusals."""
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
    if opens is not None and closes is not None and closes <= opens:
        errors["closes_at"] = _("The round must close after it opens.")
    if errors:
        raise ValidationError(errors)


def validate_event(
    *,
    kind: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    attendance: int | None,
    round_opens_at: dt.datetime,
    round_closes_at: dt.datetime,
    now: dt.datetime | None = None,
) -> None:
    """Raise ValidationError (by field) unless the event ends after it starts, falls within
    the round's dates when its kind must (``WITHIN_ROUND``), and has its attendance recorded
    only once it has ended."""
    errors: dict[str, str] = {}
    if starts_at is not None and ends_at is not None:
        if ends_at <= starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        elif kind in WITHIN_ROUND and (starts_at < round_opens_at or ends_at > round_closes_at):
            errors["starts_at"] = _(
                "This form of consultation takes place within the round (%(opens)s – "
                "%(closes)s); change its dates or the round's."
            ) % {
                "opens": prose_datetime(round_opens_at),
                "closes": prose_datetime(round_closes_at),
            }
        if attendance is not None and ends_at > (now or timezone.now()):
            errors["attendance"] = _("Attendance is recorded after the event has ended.")
    if errors:
        raise ValidationError(errors)
