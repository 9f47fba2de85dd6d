"""The report's records, kept by the coordinating team until the report is published: where
the round's announcement was published, and the report's annexes. Writes only; each service
is one transaction with its audit row, and bumps the round's ``version`` (its cached pages
and the report's PDF follow it)."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Refused
from teams.models import User

from . import permissions
from .audit import ConsultationsAudit
from .models import AnnouncementPlace, Round, RoundAnnex, RoundEvent
from .register_services import Original, _removing_on_failure
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


def annex_upload(
    *, actor: User, round_: Round, kind: str, event: RoundEvent | None, original: Original
) -> RoundAnnex:
    """Store the KRDPP opinion of the round, or the minutes of one of its open meetings (a
    PDF, checked by the form: register_forms.check_upload); a new file replaces the annex's
    previous one, which is removed after the commit. Refused (nothing stored, no file left
    behind) for anyone but the coordinating team, after the report is published, or for
    minutes of an event that is not an open meeting of this round."""
    stored: list[str] = []
    with _removing_on_failure(stored), transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        _refuse_unless_allowed(actor, round_)
        if kind == RoundAnnex.Kind.MINUTES:
            if (
                event is None
                or event.round_id != round_.pk
                or event.kind != RoundEvent.Kind.OPEN_MEETING
            ):
                raise Refused(_("Minutes are annexed for an open meeting of this round."))
            annex = RoundAnnex.objects.filter(kind=kind, event=event).first()
        elif kind == RoundAnnex.Kind.KRDPP_OPINION:
            event = None
            annex = RoundAnnex.objects.filter(kind=kind, round=round_).first()
        else:
            raise Refused(_("Choose the annex."))
        previous = annex.file.name if annex is not None else ""
        if annex is None:
            annex = RoundAnnex(round=round_, kind=kind, event=event)
        annex.uploaded_by = actor
        annex.file_name = original.name[:200]
        annex.file.save(f"{uuid.uuid4().hex}.{original.extension}", original.file, save=False)
        stored.append(annex.file.name or "")
        annex.save()
        _audit(
            actor,
            ConsultationsAudit.ROUND_ANNEX_UPLOAD,
            annex,
            round_,
            kind=kind,
            event=event.pk if event is not None else None,
            file_name=annex.file_name,
            replaced=bool(previous),
        )
        _events_changed(round_)
    if previous:
        transaction.on_commit(lambda: default_storage.delete(previous))
    return annex


@transaction.atomic
def annex_delete(*, actor: User, annex: RoundAnnex) -> None:
    _refuse_unless_allowed(actor, annex.round)
    _audit(
        actor,
        ConsultationsAudit.ROUND_ANNEX_DELETE,
        annex,
        annex.round,
        kind=annex.kind,
        event=annex.event_id,
    )
    name = annex.file.name
    annex.delete()
    _events_changed(annex.round)
    transaction.on_commit(lambda: default_storage.delete(name))
