"""What the audit log records about the outbox, each action declared once
(a core.audit.AuditAction)."""

from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction


class NotificationsAudit(AuditAction):
    OUTBOX_RETRY = "outbox.retry", _("E-mail sent again")
