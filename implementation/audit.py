"""What the audit log records about following the adopted programme (a core.audit.AuditAction)."""

from core.audit import AuditAction


class ImplementationAudit(AuditAction):
    ACTION_PLAN_EDIT = "action_plan.edit"
    INDICATOR_ADD = "indicator.add"
    INDICATOR_EDIT = "indicator.edit"
    ACTION_YEAR_SAVE = "action_year.save"
    PROPOSAL_SUBMIT = "proposal.submit"
    PROPOSAL_ACCEPT = "proposal.accept"
    PROPOSAL_REJECT = "proposal.reject"
    FIGURE_SAVE = "programme_figure.save"
    REPORT_PUBLISH = "implementation_report.publish"
