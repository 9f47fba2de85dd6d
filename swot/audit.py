"""What the audit log records about SWOT topics and entries, each action declared once
(a core.audit.AuditAction)."""

from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction


class SwotAudit(AuditAction):
    SWOT_ENTRY_EDIT = "swot_entry.edit", _("SWOT entry edited")
    SWOT_ENTRY_MERGE = "swot_entry.merge", _("SWOT entries merged")
    SWOT_ENTRY_MOVE = "swot_entry.move", _("SWOT entry moved")
    SWOT_TOPIC_ADD = "swot_topic.add", _("SWOT topic added")
    SWOT_TOPIC_EDIT = "swot_topic.edit", _("SWOT topic edited")
    SWOT_TOPIC_MOVE = "swot_topic.move", _("SWOT topic moved")
    SWOT_TOPIC_DELETE = "swot_topic.delete", _("SWOT topic deleted")
