"""What the audit log records about the outbox, each action declared once
(a core.audit.AuditAction)."""

from core.audit import AuditAction


class NotificationsAudit(AuditAction):
    OUTBOX_RETRY = "outbox.retry"
