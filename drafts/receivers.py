"""Drafts' side of teams: a new programme gets its working copy, the working copy follows the
programme's title (teams.signals), and the cycle's adoption reminder knows when the programme
is adopted (teams.cycle.register_fulfilled)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext as _

from core.errors import Refused
from teams import cycle
from teams.models import Programme
from teams.signals import WorkingCopyStart, programme_created, programme_title_changed

from .models import DraftVersion, ProgrammeDraft
from .services import working_copy_create


@receiver(programme_created, sender=Programme, dispatch_uid="drafts.working_copy")
def create_working_copy(
    *,
    programme: Programme,
    previous: Programme | None,
    working_copy: WorkingCopyStart,
    actor: Any,
    **_kwargs: Any,
) -> None:
    from_version = None
    if working_copy == WorkingCopyStart.PREVIOUS:
        from_version = (
            DraftVersion.objects.filter(draft__programme=previous, adopted=True)
            .order_by("-number")
            .first()
            if previous is not None
            else None
        )
        if from_version is None:
            raise Refused(
                _(
                    "The previous programme of this kind has no adopted version to start "
                    "from: start from the statutory template instead."
                )
            )
    working_copy_create(actor=actor, programme=programme, from_version=from_version)


@receiver(programme_title_changed, sender=Programme, dispatch_uid="drafts.working_copy_title")
def retitle_working_copy(*, programme: Programme, **_kwargs: Any) -> None:
    ProgrammeDraft.objects.filter(programme=programme).update(title=programme.title)


def programme_adopted(programme: Programme, key: str) -> bool:
    """For the cycle's reminders: the adoption date's obligation is met once a version of
    the programme's draft is adopted."""
    return (
        key == cycle.ADOPTION
        and DraftVersion.objects.filter(draft__programme=programme, adopted=True).exists()
    )
