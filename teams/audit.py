"""What the audit log records about people, organisations, teams and meetings, each
action declared once (a core.audit.AuditAction)."""

from core.audit import AuditAction


class TeamsAudit(AuditAction):
    AGENDA_ITEM_ADD = "agenda_item.add"
    AGENDA_ITEM_DELETE = "agenda_item.delete"
    AGENDA_ITEM_UPDATE = "agenda_item.update"
    MEETING_CLOSED = "meeting.closed"
    MEETING_CREATE = "meeting.create"
    MEETING_MARK_ATTENDANCE = "meeting.mark_attendance"
    MEETING_MINUTES = "meeting.minutes"
    MEETING_MINUTES_PUBLISH = "meeting.minutes_publish"
    MEETING_OPEN = "meeting.open"
    MEETING_PLANNED = "meeting.planned"
    MEETING_PUBLISHED = "meeting.published"
    MEETING_UPDATE = "meeting.update"
    MEMBERSHIP_APPOINT_MODERATOR = "membership.appoint_moderator"
    MEMBERSHIP_APPROVE = "membership.approve"
    MEMBERSHIP_REJECT = "membership.reject"
    MEMBERSHIP_REMOVE_MODERATOR = "membership.remove_moderator"
    MEMBERSHIP_REQUEST = "membership.request"
    ORGANISATION_REGISTER = "organisation.register"
    ORGANISATION_VERIFY = "organisation.verify"
    REPRESENTATION_APPROVE = "representation.approve"
    REPRESENTATION_REJECT = "representation.reject"
    REPRESENTATION_REQUEST = "representation.request"
    TEAM_CREATE = "team.create"
    TEAM_UPDATE = "team.update"
    USER_DELETE_ACCOUNT = "user.delete_account"
    USER_SET_ROLES = "user.set_roles"
