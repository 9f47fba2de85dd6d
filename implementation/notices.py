"""What the follow-up tells people by e-mail: an organisation's representative learns the
coordinating team's decision on the update they proposed (accepted, or rejected with the
reason). Declared once here (see notifications.registry); implementation.apps imports this
module when the app registry is ready. ``proposal_decide`` calls the hook inside its
transaction, so the e-mail is queued with the decision or not at all."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.site import absolute
from notifications import registry
from notifications.outbox import enqueue_all
from teams.notices import people

from .models import Proposal


def _proposal_context(row: Any, context: dict[str, Any]) -> dict[str, Any] | None:
    """The decision as it stands (a proposal is decided once; a row whose proposal is not
    in the state it told is dropped)."""
    proposal = row.subject
    if proposal.state != row.data.get("state"):
        return None
    action = proposal.plan.action
    context["accepted"] = proposal.state == Proposal.State.ACCEPTED
    context["reason"] = proposal.reason
    context["action"] = action
    context["organisation"] = proposal.organisation
    context["url"] = absolute(reverse("implementation:action", args=[action.pk]))
    return context


PROPOSAL_DECIDED = registry.register(
    "proposal_decided",  # stored on rows and opt-outs: never rename
    label=_("decisions on the implementation updates you proposed"),
    context=_proposal_context,
)


def notify_proposal_decided(proposal: Proposal) -> None:
    """The person who proposed the update is told the decision (with the reason of a
    rejection). Decided once, hence one occasion."""
    if proposal.author_id is None:
        return
    enqueue_all(
        people(Q(pk=proposal.author_id)),
        kind=PROPOSAL_DECIDED,
        subject=proposal,
        occasion="",
        data={"state": proposal.state},
    )
