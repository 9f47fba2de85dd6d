"""Public and non-public rows side by side: every secret text starts with SECRET so a test can
assert that none of them leaks through the API, the calendars, the feeds or the search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from actions.models import Action, Goal
from consultations.models import AuthorRole, Comment, Disposition, Round
from consultations.phases import Phase
from swot.models import Quadrant, SwotEntry, SwotTopic
from teams.models import Meeting, Organisation, Representation, User

DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """The API's throttle counts requests in the cache: start each test afresh."""
    cache.clear()


@pytest.fixture
def client() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


@dataclass
class World:
    published: Meeting
    draft: Meeting
    unpublished: Meeting
    open_round: Round
    reported_round: Round
    draft_round: Round
    visible_comment: Comment
    hidden_comment: Comment
    withdrawn_comment: Comment
    reply_to_hidden: Comment
    reply_to_withdrawn: Comment
    settled_comment: Comment
    unreported_disposition: Comment
    author: User


def _results(meeting: Meeting, label: str, goal_number: int) -> None:
    topic = SwotTopic.objects.create(meeting=meeting, position=99, title=f"{label} topic")
    SwotEntry.objects.create(topic=topic, quadrant=Quadrant.THREATS, text=f"{label} swot entry")
    goal = Goal.objects.create(
        team=meeting.team, meeting=meeting, number=goal_number, title=f"{label} goal"
    )
    Action.objects.create(
        team=meeting.team, meeting=meeting, goal=goal, number=99, text=f"{label} action"
    )


@pytest.fixture
def world(seeded: Meeting, coordinator: User) -> World:
    team = seeded.team
    draft = Meeting.objects.create(
        team=team, title="SECRET draft meeting", date=dt.date(2031, 1, 2)
    )
    unpublished = Meeting.objects.create(
        team=team,
        title="Open meeting in progress",
        date=dt.date(2031, 2, 3),
        start_time=dt.time(10, 0),
        end_time=dt.time(12, 0),
        place="Urząd Miasta Krakowa",
        status=Meeting.Status.OPEN,
    )
    _results(draft, "SECRET draft", 901)
    _results(unpublished, "SECRET unpublished", 902)
    _results(seeded, "Public źródła finansowania", 903)

    author = User.objects.create_user(
        "secret.person@example.org",
        "pw-secret-123",
        first_name="Hidden",
        last_name="Personname",
        show_name_publicly=False,
    )
    organisation = Organisation.objects.create(
        name="Fundacja Otwarte Dane", nip="5261040828", verified_at=timezone.now()
    )
    Representation.objects.create(
        user=author, organisation=organisation, status=Representation.Status.APPROVED
    )
    now = timezone.now()

    def make_round(title: str, status: str, opens: dt.datetime, closes: dt.datetime) -> Round:
        return Round.objects.create(
            programme=team.programme,
            meeting=seeded,
            title=title,
            goal="Goal",
            subject=f"Subject of {title}",
            responsible_office="MOWIS",
            contact="MOWIS, ul. Józefińska 14",
            opens_at=opens,
            closes_at=closes,
            status=status,
            announced_at=opens - DAY,
        )

    open_round = make_round("Open round", Phase.ANNOUNCED, now - DAY, now + 10 * DAY)
    reported_round = make_round(
        "Reported round", Phase.REPORT_PUBLISHED, now - 20 * DAY, now - 10 * DAY
    )
    Round.objects.filter(pk=reported_round.pk).update(report_published_at=now - DAY)
    reported_round.refresh_from_db()
    draft_round = make_round("SECRET draft round", Phase.DRAFT, now + DAY, now + 10 * DAY)

    def comment(round_: Round, text: str, **fields: object) -> Comment:
        return Comment.objects.create(
            round=round_,
            author=author,
            author_role=AuthorRole.ORGANISATION,
            organisation=organisation,
            text=text,
            **fields,
        )

    visible = comment(open_round, "Public comment about źródła")
    hidden = comment(
        open_round, "SECRET hidden comment", hidden_at=now, hidden_reason="SECRET reason"
    )
    withdrawn = comment(open_round, "SECRET withdrawn comment", withdrawn_at=now)
    # Public: the round page shows it under the hidden comment's placeholder.
    reply_to_hidden = comment(open_round, "Reply under a hidden comment", parent=hidden)
    reply_to_withdrawn = comment(open_round, "SECRET reply to a withdrawn one", parent=withdrawn)
    comment(draft_round, "SECRET comment in a draft round")
    settled = comment(
        reported_round,
        "Settled comment",
        disposition=Disposition.PARTLY_ACCEPTED,
        justification="Public justification",
    )
    unreported = comment(
        open_round,
        "Comment with a pending disposition",
        disposition=Disposition.NOT_ACCEPTED,
        justification="SECRET justification",
    )
    return World(
        published=seeded,
        draft=draft,
        unpublished=unpublished,
        open_round=open_round,
        reported_round=reported_round,
        draft_round=draft_round,
        visible_comment=visible,
        hidden_comment=hidden,
        withdrawn_comment=withdrawn,
        reply_to_hidden=reply_to_hidden,
        reply_to_withdrawn=reply_to_withdrawn,
        settled_comment=settled,
        unreported_disposition=unreported,
        author=author,
    )


def assert_no_secret(body: str) -> None:
    """No secret text, no hidden name, and no user's e-mail address."""
    secrets = ["SECRET", "Personname", *User.objects.values_list("email", flat=True)]
    assert len(secrets) > 3
    for secret in secrets:
        assert secret not in body, f"{secret!r} leaked"
