"""What the audit log records about publications (a core.audit.AuditAction)."""

from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction


class DocumentsAudit(AuditAction):
    PUBLICATION_ERRATUM = "publication.erratum", _("Erratum to a publication")
