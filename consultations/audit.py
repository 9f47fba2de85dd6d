"""What the audit log records about consultation rounds and comments, each action declared once
(a core.audit.AuditAction)."""

from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction


class ConsultationsAudit(AuditAction):
    # The coordinating team's reusable justifications (consultations.settle_services).
    ANSWER_TEMPLATE_CREATE = "answer_template.create", _("Answer template created")
    ANSWER_TEMPLATE_DELETE = "answer_template.delete", _("Answer template deleted")
    ANSWER_TEMPLATE_UPDATE = "answer_template.update", _("Answer template changed")
    # Settling a big round: a comment assigned to someone who drafts its answer, the draft,
    # and its approval as the disposition (consultations.settle_services).
    COMMENT_ASSIGN = "comment.assign", _("Comment assigned for an answer")
    COMMENT_AUTO_HIDE = "comment.auto_hide", _("Comment hidden automatically after flags")
    COMMENT_DRAFT = "comment.draft", _("Answer drafted")
    COMMENT_DRAFT_APPROVE = "comment.draft_approve", _("Drafted answer approved")
    COMMENT_FLAG = "comment.flag", _("Comment flagged")
    # A moderator dismissed a comment's flags from the moderation queue (the flags are kept,
    # marked reviewed; data["flags"]: how many).
    COMMENT_FLAGS_DISMISS = "comment.flags_dismiss", _("Flags dismissed")
    COMMENT_HIDE = "comment.hide", _("Comment hidden")
    # Refused: a moderator or coordinator tried to decide on their own comment
    # (data["attempted"]: hide, unhide or settle).
    COMMENT_OWN_DECISION_DENIED = (
        "comment.own_decision_denied",
        _("Decision on one's own comment refused"),
    )
    # A comment received outside the portal, registered or corrected by the coordinating team.
    COMMENT_REGISTER = "comment.register", _("Comment received outside the portal registered")
    COMMENT_REGISTER_EDIT = "comment.register_edit", _("Registered comment corrected")
    # A registered comment withdrawn by the coordinating team, with the reason (the entry's
    # ``reason``, which the register shows; data["kind"]: sender or error, data["number"]).
    COMMENT_REGISTER_WITHDRAW = "comment.register_withdraw", _("Registered comment withdrawn")
    COMMENT_SETTLE = "comment.settle", _("Comments settled")
    # An organisation's support of a comment withdrawn by one who speaks for it, while the round
    # takes supports (data: the organisation, who gave the support and when).
    COMMENT_SUPPORT_WITHDRAW = "comment.support_withdraw", _("Support withdrawn")
    COMMENT_UNHIDE = "comment.unhide", _("Comment shown again")
    # A comment's proposed wording applied to the working copy of the programme draft
    # (consultations.apply_wording; data["uid"]: the paragraph, "edited", "resolved").
    COMMENT_WORDING_APPLY = "comment.wording_apply", _("Proposed wording applied to the draft")
    COMMENT_WITHDRAW = "comment.withdraw", _("Comment withdrawn")
    ROUND_ANNOUNCE = "round.announce", _("Round announced")
    ROUND_CLOSE = "round.close", _("Round closed")
    ROUND_CREATE = "round.create", _("Round created")
    ROUND_EVENT_ADD = "round.event_add", _("Consultation event added")
    ROUND_EVENT_DELETE = "round.event_delete", _("Consultation event deleted")
    ROUND_EVENT_UPDATE = "round.event_update", _("Consultation event changed")
    ROUND_OPEN = "round.open", _("Round opened")
    ROUND_PUBLISH_REPORT = "round.publish_report", _("Report published")
    # Announced despite falling short of Kraków's rules (data["shortfalls"]), with the reason.
    ROUND_RULES_OVERRIDE = "round.rules_override", _("Round announced despite Kraków's rules")
    ROUND_SETTLE = "round.settle", _("Round marked settled")
    # Before Kraków's rules became warnings (consultations.rules): a round shorter than the
    # minimum, with its reason. Kept for the entries written then.
    ROUND_SHORT_DURATION = "round.short_duration", _("Round shorter than the minimum")
    # The coordinating team wrote or changed the report's synthesis (before publication).
    ROUND_SYNTHESIS = "round.synthesis", _("Report synthesis written")
    ROUND_UPDATE = "round.update", _("Round changed")
    # Where the round's announcement was published (consultations.report_services).
    ROUND_ANNOUNCEMENT_PLACE_ADD = (
        "round.announcement_place_add",
        _("Place of the announcement added"),
    )
    ROUND_ANNOUNCEMENT_PLACE_DELETE = (
        "round.announcement_place_delete",
        _("Place of the announcement deleted"),
    )
    ROUND_ANNOUNCEMENT_PLACE_UPDATE = (
        "round.announcement_place_update",
        _("Place of the announcement changed"),
    )
    # The report's annexes: the KRDPP opinion, the minutes of an open meeting (before the
    # report is published; data["kind"], data["event"]).
    ROUND_ANNEX_DELETE = "round.annex_delete", _("Report annex deleted")
    ROUND_ANNEX_UPLOAD = "round.annex_upload", _("Report annex uploaded")
