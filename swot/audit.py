"""What the audit log records about SWOT topics and entries, each action declared once
(a core.audit.AuditAction)."""

from core.audit import AuditAction


class SwotAudit(AuditAction):
    SWOT_ENTRY_EDIT = "swot_entry.edit"
    SWOT_ENTRY_MERGE = "swot_entry.merge"
    SWOT_ENTRY_MOVE = "swot_entry.move"
    SWOT_TOPIC_ADD = "swot_topic.add"
