"""What the audit log records about goals and postulated actions, each action declared once
(a core.audit.AuditAction)."""

from core.audit import AuditAction


class ActionsAudit(AuditAction):
    ACTION_EDIT = "action.edit"
    ACTION_MERGE = "action.merge"
    ACTION_MOVE = "action.move"
    GOAL_EDIT = "goal.edit"
    GOAL_MERGE = "goal.merge"
    GOAL_MOVE = "goal.move"
