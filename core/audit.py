"""Write audit entries. Call inside the service's transaction, so the entry and the change
it records are committed together or not at all."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


class AuditAction(StrEnum):
    """The base of each app's audit actions (``teams.audit.TeamsAudit`` and so on): an app
    declares what it records once, as dotted verbs ("swot_entry.merge"), and ``audit_record``
    takes nothing else. Stored as the plain string, so old entries and filters read the same."""


def audit_record(
    *,
    actor: Any,
    action: AuditAction,
    target: models.Model | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record that ``actor`` did ``action`` (one of an app's declared AuditAction members)."""
    if not isinstance(action, AuditAction):
        raise TypeError(f"audit actions are declared AuditAction members, not {action!r}")
    entry = AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action.value,
        reason=reason,
        data=data or {},
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:300]
    entry.save()
    return entry


def audit_for(target: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")
