"""What the audit log records about people, organisations, teams and meetings, each
action declared once (a core.audit.AuditAction)."""

from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction


class TeamsAudit(AuditAction):
    AGENDA_ITEM_ADD = "agenda_item.add", _("Agenda item added")
    AGENDA_ITEM_DELETE = "agenda_item.delete", _("Agenda item deleted")
    AGENDA_ITEM_UPDATE = "agenda_item.update", _("Agenda item changed")
    MEETING_CLOSED = "meeting.closed", _("Meeting closed")
    MEETING_CREATE = "meeting.create", _("Meeting created")
    MEETING_MARK_ATTENDANCE = "meeting.mark_attendance", _("Attendance marked")
    MEETING_MINUTES = "meeting.minutes", _("Minutes saved")
    MEETING_MINUTES_PUBLISH = "meeting.minutes_publish", _("Minutes of a meeting published")
    MEETING_OPEN = "meeting.open", _("Meeting opened")
    MEETING_PLANNED = "meeting.planned", _("Meeting announced")
    MEETING_PUBLISHED = "meeting.published", _("Meeting results published")
    MEETING_UPDATE = "meeting.update", _("Meeting plan changed")
    MEMBERSHIP_APPOINT_MODERATOR = "membership.appoint_moderator", _("Moderator appointed")
    MEMBERSHIP_APPROVE = "membership.approve", _("Request to join a team approved")
    MEMBERSHIP_CARRY_OVER = "membership.carry_over", _("Membership carried over to a new programme")
    MEMBERSHIP_LEAVE = "membership.leave", _("Team left")
    MEMBERSHIP_REJECT = "membership.reject", _("Request to join a team refused")
    MEMBERSHIP_REMOVE_MODERATOR = "membership.remove_moderator", _("Moderator removed")
    MEMBERSHIP_REQUEST = "membership.request", _("Request to join a team")
    ORGANISATION_REGISTER = "organisation.register", _("Organisation registered")
    ORGANISATION_VERIFY = "organisation.verify", _("Organisation verified")
    PROGRAMME_CREATE = "programme.create", _("Programme started")
    PROGRAMME_UPDATE = "programme.update", _("Programme changed")
    REPRESENTATION_APPROVE = "representation.approve", _("Representation approved")
    REPRESENTATION_REJECT = "representation.reject", _("Representation refused")
    REPRESENTATION_REQUEST = "representation.request", _("Request to represent an organisation")
    TEAM_CREATE = "team.create", _("Team created")
    TEAM_UPDATE = "team.update", _("Team changed")
    USER_DELETE_ACCOUNT = "user.delete_account", _("Account deleted")
    USER_SIGNUPS_PURGED = "user.signups_purged", _("Unconfirmed sign-ups erased")
    USER_SET_ROLES = "user.set_roles", _("Roles changed")
