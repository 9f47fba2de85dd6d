"""What the audit log records about publications (a core.audit.AuditAction)."""

from core.audit import AuditAction


class DocumentsAudit(AuditAction):
    PUBLICATION_ERRATUM = "publication.erratum"
