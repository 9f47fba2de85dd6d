"""The representative who proposed an update learns the coordinating team's decision: an
e-mail (``proposal_decided``, queued in the decision's transaction) says accepted, or rejected
with the reason; and the action's page shows a representative their own organisation's
proposals with their state and reason (nobody else's)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from actions.models import Action
from implementation import services
from implementation.models import Indicator, Proposal
from notifications.models import Outbox
from notifications.outbox import outbox_sweep
from teams.models import Meeting, Organisation, Programme, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
REASON = "Brak potwierdzenia w dokumentach."


@pytest.fixture
def action(seeded: Meeting) -> Action:
    return Action.objects.get(meeting=seeded, number=3)


@pytest.fixture
def proposal(
    adopted: Programme, action: Action, member: User, member_org: Organisation, as_user: Login
) -> Proposal:
    member.language = "en"
    member.save(update_fields=["language"])
    response = as_user(member).post(
        reverse("implementation:proposal-add", args=[action.pk, 2013]),
        {"organisation": member_org.pk, "status": "in_progress", "comment": "Trwa"},
    )
    assert response.status_code == 302
    return Proposal.objects.get()


def _decide(client: Client, proposal: Proposal, **data: str) -> None:
    response = client.post(reverse("implementation:proposal-decide", args=[proposal.pk]), data)
    assert response.status_code == 302


def _sent() -> list[mail.EmailMessage]:
    ids = set(Outbox.objects.filter(kind="proposal_decided").values_list("pk", flat=True))
    mail.outbox.clear()
    outbox_sweep()
    return [m for m in mail.outbox if int(m.extra_headers["X-Outbox-Id"]) in ids]


def test_the_proposer_is_told_a_rejection_with_its_reason(
    proposal: Proposal, member: User, coordinator: User, as_user: Login, action: Action
) -> None:
    assert not Outbox.objects.filter(kind="proposal_decided").exists()  # nothing before
    _decide(as_user(coordinator), proposal, decision="reject", reason=REASON)
    (message,) = _sent()
    assert message.to == [member.email]
    assert message.subject.endswith(
        f"Action {action.number}: your proposed update for 2013 was rejected"
    )
    assert "The coordinating team has rejected the update for 2013" in message.body
    assert f"Reason: {REASON}" in message.body
    assert reverse("implementation:action", args=[action.pk]) in message.body


def test_the_proposer_is_told_an_acceptance(
    proposal: Proposal, member: User, coordinator: User, as_user: Login
) -> None:
    _decide(as_user(coordinator), proposal, decision="accept", reason="")
    (message,) = _sent()
    assert message.to == [member.email]
    assert message.subject.endswith("your proposed update for 2013 was accepted")
    assert "has accepted the update for 2013" in message.body
    assert "Reason:" not in message.body


def test_the_e_mail_is_queued_in_the_decisions_transaction(
    proposal: Proposal, coordinator: User
) -> None:
    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        services.proposal_decide(actor=coordinator, proposal=proposal, accept=False, reason=REASON)
        # Queued before any commit, with the decision...
        assert Outbox.objects.filter(kind="proposal_decided").count() == 1
        raise Undone
    # ...and gone with it when the decision is undone.
    assert not Outbox.objects.filter(kind="proposal_decided").exists()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.PENDING


def test_a_representative_sees_their_organisations_proposals_with_state_and_reason(
    proposal: Proposal,
    action: Action,
    member: User,
    other_rep: User,
    coordinator: User,
    as_user: Login,
) -> None:
    page = reverse("implementation:action", args=[action.pk])
    html = as_user(member).get(page).content.decode()
    assert "Your organisation's proposed updates" in html
    assert "Decision: waiting for a decision" in html
    _decide(as_user(coordinator), proposal, decision="reject", reason=REASON)
    html = as_user(member).get(page).content.decode()
    assert "Decision: rejected" in html and REASON in html
    assert "Save the decision" not in html  # no decision form for a representative
    for outsider in (other_rep, None):
        html = as_user(outsider).get(page).content.decode()
        assert "proposed updates" not in html and REASON not in html


def test_a_proposals_state_agrees_with_propozycja_in_polish() -> None:
    with override("pl"):
        assert str(Proposal.State.ACCEPTED.label) == "przyjęta"
        assert str(Proposal.State.REJECTED.label) == "odrzucona"


def test_a_proposals_amounts_read_as_the_indicator_tables_show_them(
    proposal: Proposal, action: Action, coordinator: User
) -> None:
    """As every other amount on these pages: "11 500,50", not "11500.5"."""
    money = Indicator.objects.create(plan=proposal.plan, name="Wydatki na promocję", unit="zł")
    people = Indicator.objects.create(plan=proposal.plan, name="Uczestnicy", unit="osoby")
    Proposal.objects.filter(pk=proposal.pk).update(
        values=[
            {"indicator": money.pk, "achieved": "11500.5", "source": "faktury"},
            {"indicator": people.pk, "achieved": "1200", "source": "listy"},
        ]
    )
    polish = Client()
    polish.force_login(coordinator)
    html = polish.get(reverse("implementation:action", args=[action.pk])).content.decode()
    assert "Wydatki na promocję (zł)</bdi>: 11\xa0500,50" in html
    assert "Uczestnicy (osoby)</bdi>: 1\xa0200" in html
    assert "11500.5" not in html
