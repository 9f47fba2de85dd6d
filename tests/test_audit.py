"""Every audit action is declared once, by the app that records it (core.audit.AuditAction);
``audit_record`` takes nothing else, so a typo cannot reach the audit log."""

from __future__ import annotations

import re

import pytest

from actions.audit import ActionsAudit
from consultations.audit import ConsultationsAudit
from core.audit import AuditAction, audit_record
from core.models import AuditEntry
from drafts.audit import DraftsAudit
from notifications.audit import NotificationsAudit
from swot.audit import SwotAudit
from teams.audit import TeamsAudit
from teams.meeting_phases import MEETING_PHASES

DECLARED = [
    TeamsAudit,
    SwotAudit,
    ActionsAudit,
    DraftsAudit,
    ConsultationsAudit,
    NotificationsAudit,
]


def test_every_app_declares_dotted_verbs_once_and_no_two_apps_share_one() -> None:
    values = [member.value for enum in DECLARED for member in enum]
    assert len(values) == len(set(values))
    assert all(re.fullmatch(r"[a-z_]+\.[a-z_]+", value) for value in values)
    assert {type(member) for enum in DECLARED for member in enum} == set(DECLARED)
    assert all(issubclass(enum, AuditAction) for enum in DECLARED)


def test_each_meeting_step_has_its_declared_action() -> None:
    for phase in MEETING_PHASES.values():
        if phase.next_status is not None:
            assert TeamsAudit(f"meeting.{phase.next_status}")


@pytest.mark.django_db
def test_a_plain_string_is_refused_and_nothing_is_recorded() -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(TypeError):
        audit_record(actor=None, action="round.close")  # type: ignore[arg-type]
    assert AuditEntry.objects.count() == before
    entry = audit_record(actor=None, action=ConsultationsAudit.ROUND_CLOSE)
    assert AuditEntry.objects.get(pk=entry.pk).action == "round.close"
    assert AuditEntry.objects.count() == before + 1


@pytest.mark.django_db
def test_a_rounds_log_is_found_through_its_index_not_by_reading_the_whole_table() -> None:
    """consultations.views.round_audit filters on the round its services record in ``data``;
    on PostgreSQL the expression index (core/migrations/0002) serves that filter as the view
    writes it. (SQLite, the demo's database, has the index but passes the JSON path as a
    parameter, which its planner cannot match to an index: it reads the table, as before.)"""
    from django.db import connection

    query = AuditEntry.objects.filter(data__round=5)
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            indexes = connection.introspection.get_constraints(cursor, AuditEntry._meta.db_table)
        assert indexes["auditentry_round_idx"]["index"]
        return
    with connection.cursor() as cursor:  # a small table: make the planner show its choice
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert "auditentry_round_idx" in query.explain()
