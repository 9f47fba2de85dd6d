"""What the audit log records about the programme draft, each action declared once
(a core.audit.AuditAction)."""

from core.audit import AuditAction


class DraftsAudit(AuditAction):
    DRAFT_PARAGRAPH_ADD = "draft_paragraph.add"
    DRAFT_PARAGRAPH_DELETE = "draft_paragraph.delete"
    DRAFT_PARAGRAPH_EDIT = "draft_paragraph.edit"
    DRAFT_PARAGRAPH_MOVE = "draft_paragraph.move"
    DRAFT_SECTION_LINK = "draft_section.link"
    DRAFT_VERSION_ADOPT = "draft_version.adopt"
    DRAFT_VERSION_PUBLISH = "draft_version.publish"
    PROGRAMME_DRAFT_CREATE = "programme_draft.create"
