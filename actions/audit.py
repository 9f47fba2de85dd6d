"""What the audit log records about goals and postulated actions, each action declared once
(a core.audit.AuditAction)."""

from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction


class ActionsAudit(AuditAction):
    ACTION_EDIT = "action.edit", _("Action edited")
    ACTION_MERGE = "action.merge", _("Actions merged")
    ACTION_MOVE = "action.move", _("Action moved")
    GOAL_EDIT = "goal.edit", _("Goal edited")
    GOAL_MERGE = "goal.merge", _("Goals merged")
    GOAL_MOVE = "goal.move", _("Goal moved")
