"""The lifecycle of a consultation round and what each phase opens, declared once.

draft → announced → open → closed → settled → report published.

The stored ``Round.status`` says where the coordinating team has moved the round; "open" and
"closed" are also decided by the clock: an announced (or opened) round is *open* only while
``opens_at <= now < closes_at`` (server time, Europe/Warsaw), to the second. ``phase_of`` is the
one place that combines the two; permission predicates and templates ask ``phase_opens``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    DRAFT = "draft", _("draft")
    ANNOUNCED = "announced", _("announced")
    OPEN = "open", _("open for comments")
    CLOSED = "closed", _("closed, comments being settled")
    SETTLED = "settled", _("every comment settled")
    REPORT_PUBLISHED = "published", _("report published")


class Feature(StrEnum):
    COMMENT = "comment"  # post a new comment
    REPLY = "reply"  # reply to a comment (one level)
    SUPPORT = "support"  # support another organisation's comment
    EDIT_OWN = "edit_own"  # the author edits or withdraws their comment
    FLAG = "flag"  # people who take part in the round flag a comment for the moderators
    MODERATE = "moderate"  # moderators hide and unhide comments
    SETTLE = "settle"  # the coordinating team gives each comment a disposition
    REPORT = "report"  # the consultation report is public
    REGISTER = "register"  # the coordinating team registers comments received outside the portal
    # The coordinating team withdraws a registered comment (the sender's written withdrawal, a
    # duplicate or a registration error) until the report is published and frozen.
    REGISTER_WITHDRAW = "register_withdraw"


P = Phase
F = Feature

PHASE_FEATURES: dict[str, frozenset[Feature]] = {
    P.DRAFT: frozenset(),
    P.ANNOUNCED: frozenset({F.REGISTER, F.REGISTER_WITHDRAW}),
    P.OPEN: frozenset(
        {
            F.COMMENT,
            F.REPLY,
            F.SUPPORT,
            F.EDIT_OWN,
            F.FLAG,
            F.MODERATE,
            F.REGISTER,
            F.REGISTER_WITHDRAW,
        }
    ),
    P.CLOSED: frozenset({F.FLAG, F.MODERATE, F.SETTLE, F.REGISTER, F.REGISTER_WITHDRAW}),
    P.SETTLED: frozenset({F.MODERATE, F.REGISTER_WITHDRAW}),
    P.REPORT_PUBLISHED: frozenset({F.REPORT}),
}

# Phases in order, for "has the round reached X yet?" questions.
ORDER = [P.DRAFT, P.ANNOUNCED, P.OPEN, P.CLOSED, P.SETTLED, P.REPORT_PUBLISHED]


def phase_at(
    *, status: str, opens_at: dt.datetime, closes_at: dt.datetime, now: dt.datetime | None = None
) -> Phase:
    now = now or timezone.now()
    if status in (P.ANNOUNCED, P.OPEN):
        if now < opens_at:
            return P.ANNOUNCED
        if now < closes_at:
            return P.OPEN
        return P.CLOSED
    return Phase(status)


def phase_of(round_: object, now: dt.datetime | None = None) -> Phase:
    return phase_at(
        status=round_.status,  # type: ignore[attr-defined]
        opens_at=round_.opens_at,  # type: ignore[attr-defined]
        closes_at=round_.closes_at,  # type: ignore[attr-defined]
        now=now,
    )


def phase_opens(round_: object, feature: Feature, now: dt.datetime | None = None) -> bool:
    return feature in PHASE_FEATURES[phase_of(round_, now)]


def reached(phase: Phase, other: Phase) -> bool:
    return ORDER.index(phase) >= ORDER.index(other)
