"""What the audit log records about following the adopted programme (a core.audit.AuditAction)."""

from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction


class ImplementationAudit(AuditAction):
    ACTION_PLAN_EDIT = "action_plan.edit", _("Action's unit and partners changed")
    INDICATOR_ADD = "indicator.add", _("Indicator added")
    INDICATOR_EDIT = "indicator.edit", _("Indicator changed")
    ACTION_YEAR_SAVE = "action_year.save", _("Action's year entered")
    PROPOSAL_SUBMIT = "proposal.submit", _("Update proposed by an organisation")
    PROPOSAL_ACCEPT = "proposal.accept", _("Proposed update accepted")
    PROPOSAL_REJECT = "proposal.reject", _("Proposed update rejected")
    FIGURE_SAVE = "programme_figure.save", _("Programme's evaluation figures entered")
    REPORT_PUBLISH = "implementation_report.publish", _("Implementation report published")
