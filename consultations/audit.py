"""What the audit log records about consultation rounds and comments, each action declared once
(a core.audit.AuditAction)."""

from core.audit import AuditAction


class ConsultationsAudit(AuditAction):
    # The coordinating team's reusable justifications (consultations.settle_services).
    ANSWER_TEMPLATE_CREATE = "answer_template.create"
    ANSWER_TEMPLATE_DELETE = "answer_template.delete"
    ANSWER_TEMPLATE_UPDATE = "answer_template.update"
    # Settling a big round: a comment assigned to someone who drafts its answer, the draft,
    # and its approval as the disposition (consultations.settle_services).
    COMMENT_ASSIGN = "comment.assign"
    COMMENT_AUTO_HIDE = "comment.auto_hide"
    COMMENT_DRAFT = "comment.draft"
    COMMENT_DRAFT_APPROVE = "comment.draft_approve"
    COMMENT_FLAG = "comment.flag"
    # A moderator dismissed a comment's flags from the moderation queue (the flags are kept,
    # marked reviewed; data["flags"]: how many).
    COMMENT_FLAGS_DISMISS = "comment.flags_dismiss"
    COMMENT_HIDE = "comment.hide"
    # Refused: a moderator or coordinator tried to decide on their own comment
    # (data["attempted"]: hide, unhide or settle).
    COMMENT_OWN_DECISION_DENIED = "comment.own_decision_denied"
    # A comment received outside the portal, registered or corrected by the coordinating team.
    COMMENT_REGISTER = "comment.register"
    COMMENT_REGISTER_EDIT = "comment.register_edit"
    COMMENT_SETTLE = "comment.settle"
    COMMENT_UNHIDE = "comment.unhide"
    COMMENT_WITHDRAW = "comment.withdraw"
    ROUND_ANNOUNCE = "round.announce"
    ROUND_CLOSE = "round.close"
    ROUND_CREATE = "round.create"
    ROUND_EVENT_ADD = "round.event_add"
    ROUND_EVENT_DELETE = "round.event_delete"
    ROUND_EVENT_UPDATE = "round.event_update"
    ROUND_OPEN = "round.open"
    ROUND_PUBLISH_REPORT = "round.publish_report"
    # Announced despite falling short of Kraków's rules (data["shortfalls"]), with the reason.
    ROUND_RULES_OVERRIDE = "round.rules_override"
    ROUND_SETTLE = "round.settle"
    # Before Kraków's rules became warnings (consultations.rules): a round shorter than the
    # minimum, with its reason. Kept for the entries written then.
    # The coordinating team wrote or changed the report's synthesis (before publication).
    ROUND_SYNTHESIS = "round.synthesis"
    ROUND_SHORT_DURATION = "round.short_duration"
    ROUND_UPDATE = "round.update"
