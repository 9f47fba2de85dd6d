"""What the audit log records about the programme draft, each action declared once
(a core.audit.AuditAction)."""

from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction


class DraftsAudit(AuditAction):
    DRAFT_PARAGRAPH_ADD = "draft_paragraph.add", _("Paragraph added to the draft")
    DRAFT_PARAGRAPH_DELETE = "draft_paragraph.delete", _("Paragraph deleted from the draft")
    DRAFT_PARAGRAPH_EDIT = "draft_paragraph.edit", _("Paragraph of the draft edited")
    DRAFT_PARAGRAPH_MOVE = "draft_paragraph.move", _("Paragraph of the draft moved")
    DRAFT_SECTION_LINK = "draft_section.link", _("Goals or actions linked to a chapter")
    DRAFT_VERSION_ADOPT = "draft_version.adopt", _("Version of the draft adopted")
    DRAFT_VERSION_PUBLISH = "draft_version.publish", _("Version of the draft published")
    PROGRAMME_DRAFT_CREATE = "programme_draft.create", _("Programme draft created")
