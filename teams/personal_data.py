"""Reads a person's own data for the RODO (GDPR) export: what the portal holds about them.

The apps that build on teams hold more about a person than teams may import (layering): each
registers a reader here from its ``AppConfig.ready()`` (``register``), which returns its own
sections, so that what an app stores about a person is exported by the app that stores it
(consultations: comments with their earlier versions, flags, supports)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps

from notifications.models import DigestChoice, NotificationOptOut

from .models import Attendance, Speaker, User

Reader = Callable[[User], dict[str, Any]]
_readers: list[Reader] = []


def register(reader: Reader) -> None:
    """Add an app's sections to every export (once per reader)."""
    if reader not in _readers:
        _readers.append(reader)


def iso(value: Any) -> str | None:
    """A date or time in the export (ISO 8601), or None; the readers of other apps use it too."""
    return value.isoformat() if value is not None else None


def _authored(app_label: str, model_name: str, user: User) -> list[Any]:
    """Contributions in apps that build on teams. teams must not import them (layering), so
    the model is looked up by name at run time, read-only."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return []
    return list(model._default_manager.filter(author=user).order_by("pk"))


def personal_data_export(*, user: User) -> dict[str, Any]:
    """Everything tied to ``user``: account, e-mail addresses, notification choices,
    organisations, teams, attendance, speaking at meetings, the SWOT entries, goals and
    actions they wrote, and the sections of the registered readers."""
    representations = user.representations.select_related("organisation").order_by("pk")
    memberships = user.memberships.select_related("team").order_by("pk")
    attendances = Attendance.objects.filter(user=user).select_related("meeting").order_by("pk")
    data: dict[str, Any] = {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "show_name_publicly": user.show_name_publicly,
            "language": user.language,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "is_coordinator": user.is_coordinator,
            "is_expert": user.is_expert,
            "is_official": user.is_official,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "notifications": {
            "weekly_digest_since": iso(
                DigestChoice.objects.filter(user=user).values_list("created_at", flat=True).first()
            ),
            "opted_out_of": [
                {"kind": kind, "since": iso(since)}
                for kind, since in NotificationOptOut.objects.filter(user=user)
                .order_by("kind")
                .values_list("kind", "created_at")
            ],
        },
        "representations": [
            {
                "organisation": r.organisation.name,
                "organisation_id": r.organisation_id,
                "status": r.status,
                "requested_at": iso(r.created_at),
                "decided_at": iso(r.decided_at),
            }
            for r in representations
        ],
        "memberships": [
            {
                "team": m.team.name,
                "team_slug": m.team.slug,
                "role": m.role,
                "status": m.status,
                "requested_at": iso(m.created_at),
                "decided_at": iso(m.decided_at),
            }
            for m in memberships
        ],
        "attendances": [
            {
                "meeting": a.meeting.title,
                "date": iso(a.meeting.date),
                "attended": a.attended,
            }
            for a in attendances
        ],
        "speakers_lists": [
            {
                "meeting_id": speaker.meeting_id,
                "name": speaker.name,
                "started_at": iso(speaker.started_at),
                "ended_at": iso(speaker.ended_at),
                "created_at": iso(speaker.created_at),
            }
            for speaker in Speaker.objects.filter(user=user).order_by("pk")
        ],
        "swot_entries": [
            {
                "id": entry.pk,
                "quadrant": entry.quadrant,
                "text": entry.text,
                "topic_id": entry.topic_id,
                "created_at": iso(entry.created_at),
            }
            for entry in _authored("swot", "SwotEntry", user)
        ],
        "goals": [
            {
                "id": goal.pk,
                "title": goal.title,
                "proposed_solutions": goal.proposed_solutions,
                "team_id": goal.team_id,
                "created_at": iso(goal.created_at),
            }
            for goal in _authored("actions", "Goal", user)
        ],
        "actions": [
            {
                "id": action.pk,
                "number": action.number,
                "text": action.text,
                "meeting_id": action.meeting_id,
                "created_at": iso(action.created_at),
            }
            for action in _authored("actions", "Action", user)
        ],
    }
    for reader in _readers:
        data.update(reader(user))
    return data
