"""SWOT entries: author and organisation recorded, reorder, audit of moderation."""

from __future__ import annotations

import datetime as dt

import pytest

from core.models import AuditEntry
from swot import services
from swot.models import SwotEntry
from teams.models import Meeting, Organisation, Representation, User

from .helpers import make_meeting, topic_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(seeded: Meeting) -> Meeting:
    return make_meeting(seeded.team)


def test_an_entry_records_its_author_and_their_organisation(
    member: User, moderator: User, meeting: Meeting
) -> None:
    entry = services.swot_entry_add(actor=member, topic=topic_of(meeting), quadrant="O", text="x")
    assert entry.author == member
    assert entry.organisation is not None and entry.organisation.nip == "8567346215"
    other = services.swot_entry_add(
        actor=moderator, topic=topic_of(meeting), quadrant="O", text="y"
    )
    assert other.organisation is None  # the demo moderator represents no organisation


def test_an_author_editing_their_own_entry_is_not_audited_but_a_moderator_is(
    member: User, moderator: User, meeting: Meeting
) -> None:
    entry = services.swot_entry_add(actor=member, topic=topic_of(meeting), quadrant="S", text="a")
    services.swot_entry_edit(actor=member, entry=entry, text="b", quadrant="S", expected_version=1)
    assert not AuditEntry.objects.filter(action="swot_entry.edit").exists()
    entry.refresh_from_db()
    services.swot_entry_edit(
        actor=moderator, entry=entry, text="c", quadrant="W", expected_version=entry.version
    )
    audit = AuditEntry.objects.get(action="swot_entry.edit")
    assert audit.data == {"before": "b", "after": "c", "quadrant": "W"}


def test_moving_an_entry_reorders_its_quadrant_only(moderator: User, meeting: Meeting) -> None:
    topic = topic_of(meeting)
    a, b, c = (
        services.swot_entry_add(actor=moderator, topic=topic, quadrant="S", text=t) for t in "abc"
    )
    services.swot_entry_add(actor=moderator, topic=topic, quadrant="T", text="t")
    services.swot_entry_move(actor=moderator, entry=c, direction="up")
    order = list(
        SwotEntry.objects.filter(topic=topic, quadrant="S")
        .order_by("position")
        .values_list("text", flat=True)
    )
    assert order == ["a", "c", "b"]
    assert AuditEntry.objects.filter(action="swot_entry.move", target_id=str(c.pk)).exists()


def _approved_for_unverified(user: User, *, earlier: bool) -> Organisation:
    """An approved representation of an organisation the coordinating team has not verified."""
    organisation = Organisation.objects.create(name="Niezweryfikowana", nip="5261040828")
    representation = Representation.objects.create(
        user=user, organisation=organisation, status=Representation.Status.APPROVED
    )
    if earlier:
        Representation.objects.filter(pk=representation.pk).update(
            created_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        )
    return organisation


def test_an_entry_goes_under_an_organisation_the_person_speaks_for_not_an_unverified_one(
    member: User, meeting: Meeting
) -> None:
    """The first approved representation by date is older, but of an unverified organisation:
    the entry is shown under the verified one (``Representation.objects.active()``)."""
    _approved_for_unverified(member, earlier=True)
    entry = services.swot_entry_add(actor=member, topic=topic_of(meeting), quadrant="S", text="x")
    assert entry.organisation == Organisation.objects.get(nip="8567346215")


def test_a_moderator_approved_only_for_an_unverified_organisation_writes_under_none(
    moderator: User, meeting: Meeting
) -> None:
    """Moderators add entries without representing anyone; an approved representation of an
    organisation not yet verified does not put its name on their entries."""
    _approved_for_unverified(moderator, earlier=False)
    entry = services.swot_entry_add(
        actor=moderator, topic=topic_of(meeting), quadrant="S", text="y"
    )
    assert entry.organisation is None
