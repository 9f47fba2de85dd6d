"""The report's records, kept by the coordinating team until the report is published: where
the round's announcement was published, and the report's annexes. Writes only; each service
is one transaction with its audit row, and bumps the round's ``version`` (its cached pages
and the report's PDF follow it)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Refused
from teams.models import User

from . import permissions
from .audit import ConsultationsAudit
from .models import AnnouncementPlace, Round
from .services import _audit, _events_changed


def _refuse_unless_allowed(actor: User, round_: Round) -> None:
    if not permissions.can_manage_report_records(actor, round_):
        raise Refused(
            _(
                "Only the coordinating team changes the report's records, before the report "
                "is published; nothing was saved."
            )
        )


@transaction.atomic
def announcement_place_save(*, actor: User, place: AnnouncementPlace) -> AnnouncementPlace:
    """Record or correct a place where the round's announcement was published."""
    _refuse_unless_allowed(actor, place.round)
    try:
        place.full_clean(exclude=["round", "created_by"])
    except ValidationError as error:
        raise Refused(" ".join(error.messages)) from None
    adding = place._state.adding
    if adding:
        place.created_by = actor
    place.save()
    action = (
        ConsultationsAudit.ROUND_ANNOUNCEMENT_PLACE_ADD
        if adding
        else ConsultationsAudit.ROUND_ANNOUNCEMENT_PLACE_UPDATE
    )
    _audit(
        actor,
        action,
        place,
        place.round,
        kind=place.kind,
        url=place.url,
        published_on=place.published_on.isoformat(),
    )
    _events_changed(place.round)
    return place


@transaction.atomic
def announcement_place_delete(*, actor: User, place: AnnouncementPlace) -> None:
    _refuse_unless_allowed(actor, place.round)
    _audit(
        actor,
        ConsultationsAudit.ROUND_ANNOUNCEMENT_PLACE_DELETE,
        place,
        place.round,
        kind=place.kind,
        url=place.url,
    )
    place.delete()
    _events_changed(place.round)
