"""Published documents are frozen when they are published, and their PDFs rendered in the
worker before anyone asks for them (documents/publications.py): a version of the programme,
its adoption, a consultation report, a meeting's annex, an implementation report. The domain
apps send signals after their commits; documents, which knows the builders, freezes them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.dispatch import receiver

from consultations.signals import report_published, touch_rounds
from drafts.models import DraftVersion
from drafts.signals import version_adopted, version_published, version_publishing
from implementation.signals import implementation_report_published
from teams.models import Programme, User
from teams.signals import meeting_results_published

from .implementation_report import KIND, object_id
from .programme import programme_annexes
from .publications import publication_freeze


def _actor(actor_id: int | None) -> User | None:
    return User.objects.filter(pk=actor_id).first() if actor_id else None


@receiver(version_publishing, dispatch_uid="documents-keep-version-annexes")
def keep_annexes(sender: Any, version: DraftVersion, **kwargs: Any) -> None:
    """The annexes the version prints, kept with it in its publishing transaction."""
    version.annexes = programme_annexes(version.draft)
    DraftVersion.objects.filter(pk=version.pk).update(annexes=version.annexes)


@receiver(version_published, dispatch_uid="documents-freeze-version")
def freeze_version(sender: Any, version_id: int, **kwargs: Any) -> None:
    publication_freeze(kind="version", object_id=str(version_id))
    publication_freeze(kind="version", object_id=f"{version_id}:lines")


@receiver(version_adopted, dispatch_uid="documents-freeze-adoption")
def freeze_adoption(sender: Any, version_id: int, **kwargs: Any) -> None:
    publication_freeze(kind="adopted", object_id=str(version_id))


@receiver(report_published, dispatch_uid="documents-freeze-report")
def freeze_report(sender: Any, round_id: int, actor_id: int | None = None, **kwargs: Any) -> None:
    actor = _actor(actor_id)
    publication_freeze(kind="report", object_id=str(round_id), actor=actor)
    publication_freeze(kind="comment-table", object_id=str(round_id), actor=actor)


@receiver(meeting_results_published, dispatch_uid="documents-freeze-meeting")
def freeze_meeting(
    sender: Any, meeting_id: int, actor_id: int | None = None, **kwargs: Any
) -> None:
    publication_freeze(kind="meeting-actions", object_id=str(meeting_id), actor=_actor(actor_id))


@receiver(implementation_report_published, dispatch_uid="documents-freeze-implementation")
def freeze_implementation_report(
    sender: Any, programme_id: int, year: int, actor_id: int | None = None, **kwargs: Any
) -> None:
    publication_freeze(kind=KIND, object_id=object_id(programme_id, year), actor=_actor(actor_id))


@receiver(implementation_report_published, dispatch_uid="documents-next-rounds-implementation")
def show_implementation_report(sender: Any, programme_id: int, **kwargs: Any) -> None:
    """The rounds of the next programme of the same kind list the previous one's reports
    (implementation_tags.implementation_reports_before): their cached pages change now."""
    programme = Programme.objects.get(pk=programme_id)
    touch_rounds(
        Q(programme__kind=programme.kind, programme__period_start__gt=programme.period_end)
    )
