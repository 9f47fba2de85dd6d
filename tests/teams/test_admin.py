"""Decisions taken in the Django admin go through the same services, so they are audited too."""

from __future__ import annotations

from django.test import Client

from core.models import AuditEntry
from teams.models import Meeting, Membership, Organisation, Representation, User


def test_admin_action_verifies_an_organisation_with_an_audit_entry(
    client: Client, seeded: Meeting
) -> None:
    admin = User.objects.get(email="admin@example.org")
    organisation = Organisation.objects.create(name="Nowa", nip="5261040828")
    client.force_login(admin)
    response = client.post(
        "/admin/teams/organisation/",
        {"action": "verify", "_selected_action": [organisation.pk]},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.verified_by == admin
    assert AuditEntry.objects.filter(action="organisation.verify", actor=admin).exists()


def test_admin_actions_decide_representations_and_memberships_with_audit_entries(
    client: Client, newcomer: User, seeded: Meeting
) -> None:
    admin = User.objects.get(email="admin@example.org")
    organisation = Organisation.objects.create(name="Nowa", nip="5261040828")
    representation = Representation.objects.create(user=newcomer, organisation=organisation)
    membership = Membership.objects.create(user=newcomer, team=seeded.team)
    client.force_login(admin)
    client.post(
        "/admin/teams/representation/",
        {"action": "approve", "_selected_action": [representation.pk]},
    )
    client.post(
        "/admin/teams/membership/", {"action": "reject", "_selected_action": [membership.pk]}
    )
    representation.refresh_from_db()
    membership.refresh_from_db()
    assert representation.status == Representation.Status.APPROVED
    assert membership.status == Membership.Status.REJECTED
    assert {"representation.approve", "membership.reject"} <= set(
        AuditEntry.objects.filter(actor=admin).values_list("action", flat=True)
    )
