"""Write audit entries. Call inside the service's transaction, so the entry and the change
it records are committed together or not at all."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, Self

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class AuditAction(StrEnum):
    """The base of each app's audit actions (``teams.audit.TeamsAudit`` and so on): an app
    declares what it records once, as dotted verbs with the label people read in the logs
    (``SWOT_ENTRY_MERGE = "swot_entry.merge", _("SWOT entries merged")``), and
    ``audit_record`` takes nothing else. Stored as the plain string, so old entries and
    filters read the same; ``action_label`` turns a stored string back into its label."""

    _value_: str
    label: StrOrPromise

    def __new__(cls, value: str, label: StrOrPromise = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member


def _declared_actions() -> dict[str, AuditAction]:
    found: dict[str, AuditAction] = {}
    pending = list(AuditAction.__subclasses__())
    while pending:
        declared = pending.pop()
        pending.extend(declared.__subclasses__())
        found.update({member.value: member for member in declared})
    return found


def action_label(value: str) -> str:
    """The translated label of a stored action; the stored string itself for an action no
    longer declared (an old entry stays readable)."""
    member = _declared_actions().get(value)
    return str(member.label) if member is not None else value


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
