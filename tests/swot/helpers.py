"""Helpers shared by the meeting workspace tests (tests/teams, tests/swot, tests/actions)."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from swot.models import SwotEntry, SwotTopic
from teams.models import Meeting, Membership, Team, User


def make_meeting(team: Team, status: str = Meeting.Status.OPEN, **fields: object) -> Meeting:
    """A meeting of ``team`` in ``status`` with one agenda item and one SWOT topic."""
    meeting = Meeting.objects.create(
        team=team,
        title=fields.pop("title", "Spotkanie robocze"),
        date=fields.pop("date", dt.date(2011, 9, 14)),
        place=fields.pop("place", "Urząd Miasta Krakowa, pl. Wszystkich Świętych 3-4"),
        status=status,
        **fields,
    )
    item = meeting.agenda_items.create(position=1, numeral="I", title="Analiza SWOT")
    SwotTopic.objects.create(meeting=meeting, agenda_item=item, position=1, title="Współpraca")
    return meeting


def topic_of(meeting: Meeting) -> SwotTopic:
    return meeting.swot_topics.get()


def add_entry(meeting: Meeting, author: User | None, text: str, quadrant: str = "S") -> SwotEntry:
    return SwotEntry.objects.create(
        topic=topic_of(meeting), quadrant=quadrant, text=text, author=author
    )


def outsider() -> User:
    """Logged in, but in no team and with no role."""
    return User.objects.create_user("outsider@example.org", "x")


def other_moderator() -> User:
    """Moderator of another team (culture)."""
    user = User.objects.create_user("other-moderator@example.org", "x")
    Membership.objects.create(
        user=user,
        team=Team.objects.get(slug="kultura"),
        role=Membership.Role.MODERATOR,
        status=Membership.Status.APPROVED,
    )
    return user


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client
