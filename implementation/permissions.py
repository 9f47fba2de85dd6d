"""Who enters, proposes and decides (views and services ask only these)."""

from __future__ import annotations

from django.db.models import QuerySet

from teams.models import Organisation, Representation
from teams.permissions import AnyUser, is_active_person, is_coordinator


def can_enter(user: AnyUser) -> bool:
    """City officials and the coordinating team enter units, indicators and yearly values."""
    return is_coordinator(user) or (is_active_person(user) and user.is_official)


def can_decide(user: AnyUser) -> bool:
    """The coordinating team accepts or rejects organisations' proposed updates, publishes
    the report."""
    return is_coordinator(user)


def proposing_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """The organisations the person speaks for (``Representation.objects.active()``)."""
    if not is_active_person(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Representation.objects.active().filter(user=user).values("organisation_id")
    ).order_by("name")


def can_propose(user: AnyUser) -> bool:
    return proposing_organisations(user).exists()
