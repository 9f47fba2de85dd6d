"""SWOT topics on a meeting's plan page: a moderator renames, reorders and removes them while
the meeting is planned (Feature.PLAN), as agenda items; a topic with entries is never removed;
nobody else may, and nothing changes once the phase has moved on. Every change is audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.errors import Refused
from core.models import AuditEntry
from swot import services
from swot.models import SwotEntry, SwotTopic
from teams.models import Meeting, User

from .helpers import english, make_meeting, other_moderator, outsider

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(seeded: Meeting) -> Meeting:
    """An open meeting (planning is still open) with the topics Współpraca, Finanse, Lokale."""
    meeting = make_meeting(seeded.team)
    for position, title in enumerate(["Finanse", "Lokale"], start=2):
        SwotTopic.objects.create(meeting=meeting, position=position, title=title)
    return meeting


def _topic(meeting: Meeting, title: str) -> SwotTopic:
    return meeting.swot_topics.get(title=title)


def _titles(meeting: Meeting) -> list[tuple[int, str]]:
    return list(meeting.swot_topics.order_by("position").values_list("position", "title"))


def _plan(meeting: Meeting) -> str:
    return reverse("teams:meeting-edit", args=[meeting.pk])


def _edit(meeting: Meeting, topic: SwotTopic) -> str:
    return reverse("swot:topic-edit", args=[meeting.pk, topic.pk])


def _move(meeting: Meeting, topic: SwotTopic) -> str:
    return reverse("swot:topic-move", args=[meeting.pk, topic.pk])


def _delete(meeting: Meeting, topic: SwotTopic) -> str:
    return reverse("swot:topic-delete", args=[meeting.pk, topic.pk])


def _topic_audit() -> list[str]:
    return list(
        AuditEntry.objects.filter(action__startswith="swot_topic.")
        .exclude(action="swot_topic.add")
        .values_list("action", flat=True)
    )


ORIGINAL = [(1, "Współpraca"), (2, "Finanse"), (3, "Lokale")]


# --- Rename ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["moderator", "coordinator"])
def test_it_renames_a_topic_from_the_plan_page(
    client: Client, meeting: Meeting, persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    english(client).force_login(user)
    topic = _topic(meeting, "Finanse")
    plan = client.get(_plan(meeting)).content.decode()
    assert f'href="{_edit(meeting, topic)}"' in plan

    page = client.get(_edit(meeting, topic))
    assert page.status_code == 200
    assert 'value="Finanse"' in page.content.decode()

    response = client.post(
        _edit(meeting, topic), {"title": "  Finanse   i  granty ", "agenda_item": ""}, follow=True
    )
    assert response.redirect_chain[-1][0] == _plan(meeting) + "#topics"
    body = response.content.decode()
    assert "The SWOT topic has been saved." in body
    assert "Finanse i granty" in body
    assert _titles(meeting) == [(1, "Współpraca"), (2, "Finanse i granty"), (3, "Lokale")]
    audit = AuditEntry.objects.get(action="swot_topic.edit")
    assert (audit.actor, audit.target_id) == (user, str(topic.pk))
    assert audit.data == {"before": "Finanse", "after": "Finanse i granty", "agenda_item": None}


def test_a_topic_keeps_its_entries_when_renamed(
    client: Client, moderator: User, member: User, meeting: Meeting
) -> None:
    topic = _topic(meeting, "Współpraca")
    entry = SwotEntry.objects.create(topic=topic, quadrant="S", text="Dobre relacje", author=member)
    client.force_login(moderator)
    client.post(_edit(meeting, topic), {"title": "Współpraca z miastem"})
    entry.refresh_from_db()
    assert entry.topic.title == "Współpraca z miastem"


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("   ", "This field is required."),
        (" LOKALE ", "This meeting already has the SWOT topic “LOKALE”."),
        ("x" * 501, "Ensure this value has at most 500 characters (it has 501)."),
    ],
)
def test_a_rename_to_nothing_or_to_another_topics_title_is_refused_at_its_field(
    client: Client, moderator: User, meeting: Meeting, title: str, message: str
) -> None:
    english(client).force_login(moderator)
    response = client.post(_edit(meeting, _topic(meeting, "Finanse")), {"title": title})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _titles(meeting) == ORIGINAL
    assert _topic_audit() == []


def test_a_topic_sent_back_unchanged_puts_nothing_on_record(
    client: Client, moderator: User, meeting: Meeting
) -> None:
    """The edit form saved as it was opened: no audit entry saying it was renamed to itself."""
    client.force_login(moderator)
    topic = _topic(meeting, "Finanse")
    response = client.post(_edit(meeting, topic), {"title": " Finanse ", "agenda_item": ""})
    assert response.status_code == 302
    assert _titles(meeting) == ORIGINAL
    assert _topic_audit() == []


def test_a_topic_may_be_renamed_to_its_own_title_in_other_letters(
    client: Client, moderator: User, meeting: Meeting
) -> None:
    client.force_login(moderator)
    response = client.post(_edit(meeting, _topic(meeting, "Finanse")), {"title": "FINANSE"})
    assert response.status_code == 302
    assert _topic(meeting, "FINANSE").position == 2


def test_user_text_is_escaped_on_the_plan_and_the_edit_page(
    client: Client, moderator: User, meeting: Meeting
) -> None:
    client.force_login(moderator)
    topic = _topic(meeting, "Lokale")
    client.post(_edit(meeting, topic), {"title": "<script>alert(1)</script>"})
    for url in (_plan(meeting), _edit(meeting, topic)):
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- Move --------------------------------------------------------------------------------------


def test_it_moves_topics_up_and_down_and_the_plan_offers_only_possible_moves(
    client: Client, moderator: User, meeting: Meeting
) -> None:
    english(client).force_login(moderator)
    lokale = _topic(meeting, "Lokale")
    response = client.post(_move(meeting, lokale), {"direction": "up"}, follow=True)
    assert response.redirect_chain[-1][0] == _plan(meeting) + "#topics"
    assert "Moved up." in response.content.decode()
    assert _titles(meeting) == [(1, "Współpraca"), (2, "Lokale"), (3, "Finanse")]
    audit = AuditEntry.objects.get(action="swot_topic.move")
    assert (audit.actor, audit.target_id, audit.data) == (
        moderator,
        str(lokale.pk),
        {"direction": "up"},
    )

    client.post(_move(meeting, _topic(meeting, "Współpraca")), {"direction": "down"})
    assert _titles(meeting) == [(1, "Lokale"), (2, "Współpraca"), (3, "Finanse")]

    # The first topic offers no "up" and the last no "down".
    body = client.get(_plan(meeting)).content.decode()
    first, last = (
        _move(meeting, _topic(meeting, "Lokale")),
        _move(meeting, _topic(meeting, "Finanse")),
    )
    assert body.count(f'action="{first}"') == 1 and body.count(f'action="{last}"') == 1


def test_moving_the_first_topic_up_changes_nothing_and_records_nothing(
    client: Client, moderator: User, meeting: Meeting
) -> None:
    client.force_login(moderator)
    client.post(_move(meeting, _topic(meeting, "Współpraca")), {"direction": "up"})
    client.post(_move(meeting, _topic(meeting, "Lokale")), {"direction": "down"})
    assert _titles(meeting) == ORIGINAL
    assert _topic_audit() == []


# --- Delete ------------------------------------------------------------------------------------


def test_it_removes_an_empty_topic_and_the_later_ones_move_up(
    client: Client, moderator: User, meeting: Meeting
) -> None:
    english(client).force_login(moderator)
    finanse = _topic(meeting, "Finanse")
    assert f'action="{_delete(meeting, finanse)}"' in client.get(_plan(meeting)).content.decode()
    response = client.post(_delete(meeting, finanse), follow=True)
    assert response.redirect_chain[-1][0] == _plan(meeting) + "#topics"
    assert "The SWOT topic has been removed." in response.content.decode()
    assert _titles(meeting) == [(1, "Współpraca"), (2, "Lokale")]
    audit = AuditEntry.objects.get(action="swot_topic.delete")
    assert (audit.actor, audit.target_id) == (moderator, str(finanse.pk))
    assert audit.data == {"title": "Finanse", "position": 2}


@pytest.mark.parametrize("merged", [False, True], ids=["entry", "merged-entry"])
def test_a_topic_with_entries_is_not_removed_and_the_moderator_is_told_why(
    client: Client, moderator: User, member: User, meeting: Meeting, merged: bool
) -> None:
    english(client).force_login(moderator)
    topic = _topic(meeting, "Finanse")
    kept = SwotEntry.objects.create(topic=topic, quadrant="W", text="Brak grantów", author=member)
    if merged:  # only an entry merged into another topic's: still a contribution on record
        into = SwotEntry.objects.create(
            topic=_topic(meeting, "Lokale"), quadrant="W", text="Brak środków", author=member
        )
        SwotEntry.objects.filter(pk=kept.pk).update(merged_into=into)
    plan = client.get(_plan(meeting)).content.decode()
    assert f'action="{_delete(meeting, topic)}"' not in plan
    assert "Has SWOT entries: it can be renamed, not removed." in plan

    response = client.post(_delete(meeting, topic), follow=True)  # a stale page or a forged POST
    assert response.redirect_chain[-1][0] == _plan(meeting) + "#topics"
    assert (
        "The SWOT topic “Finanse” already has entries, so it cannot be removed"
        in response.content.decode()
    )
    assert _titles(meeting) == ORIGINAL
    assert SwotEntry.objects.filter(pk=kept.pk, topic=topic).exists()
    assert _topic_audit() == []


def test_the_service_refuses_a_topic_with_entries_whatever_the_view_does(
    moderator: User, member: User, meeting: Meeting
) -> None:
    topic = _topic(meeting, "Finanse")
    SwotEntry.objects.create(topic=topic, quadrant="W", text="Brak grantów", author=member)
    with pytest.raises(services.TopicHasEntries):
        services.swot_topic_delete(actor=moderator, topic=topic)
    assert _titles(meeting) == ORIGINAL


# --- Who may, and when -------------------------------------------------------------------------


def _every_step(client: Client, meeting: Meeting) -> list[int]:
    finanse, lokale = _topic(meeting, "Finanse"), _topic(meeting, "Lokale")
    return [
        client.get(_edit(meeting, finanse)).status_code,
        client.post(_edit(meeting, finanse), {"title": "Przejęty"}).status_code,
        client.post(_move(meeting, lokale), {"direction": "up"}).status_code,
        client.post(_delete(meeting, lokale)).status_code,
    ]


@pytest.mark.parametrize("persona", ["member", "other_moderator", "outsider", "expert"])
def test_nobody_but_the_meetings_moderators_may_change_its_topics(
    client: Client, meeting: Meeting, persona: str, request: pytest.FixtureRequest
) -> None:
    users = {"other_moderator": other_moderator, "outsider": outsider}
    user = users[persona]() if persona in users else request.getfixturevalue(persona)
    client.force_login(user)
    assert _every_step(client, meeting) == [403, 403, 403, 403]
    assert _titles(meeting) == ORIGINAL
    assert _topic_audit() == []


def test_a_draft_meetings_topics_are_not_found_by_others(
    client: Client, seeded: Meeting, member: User
) -> None:
    draft = make_meeting(seeded.team, Meeting.Status.DRAFT)
    SwotTopic.objects.create(meeting=draft, position=2, title="Finanse")
    SwotTopic.objects.create(meeting=draft, position=3, title="Lokale")
    client.force_login(member)
    assert _every_step(client, draft) == [404, 404, 404, 404]
    assert _titles(draft) == ORIGINAL


def test_an_anonymous_visitor_is_sent_to_log_in_and_nothing_changes(
    client: Client, meeting: Meeting
) -> None:
    for status in _every_step(client, meeting):
        assert status == 302
    response = client.post(_delete(meeting, _topic(meeting, "Lokale")))
    assert response["Location"].startswith(reverse("account_login"))
    assert _titles(meeting) == ORIGINAL
    assert _topic_audit() == []


def test_a_topic_of_another_meeting_is_not_found_through_this_one(
    client: Client, moderator: User, meeting: Meeting, seeded: Meeting
) -> None:
    other = make_meeting(seeded.team, title="Inne spotkanie")
    elsewhere = other.swot_topics.get()
    client.force_login(moderator)
    assert client.post(_delete(meeting, elsewhere)).status_code == 404
    assert client.post(_edit(meeting, elsewhere), {"title": "Przejęty"}).status_code == 404
    assert other.swot_topics.get().title == "Współpraca"


@pytest.mark.parametrize("status", [Meeting.Status.CLOSED, Meeting.Status.PUBLISHED])
def test_nothing_changes_once_the_meeting_is_past_planning(
    client: Client, moderator: User, meeting: Meeting, status: str
) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    client.force_login(moderator)
    assert _every_step(client, meeting) == [403, 403, 403, 403]
    assert _titles(meeting) == ORIGINAL
    assert _topic_audit() == []


@pytest.mark.parametrize("step", ["edit", "move", "delete"])
def test_a_stale_plan_page_changes_nothing_once_the_workspace_is_closed(
    moderator: User, meeting: Meeting, step: str
) -> None:
    """The view read the meeting open; it was closed before the service ran."""
    topic = _topic(meeting, "Lokale")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
    calls = {
        "edit": lambda: services.swot_topic_edit(actor=moderator, topic=topic, title="Przejęty"),
        "move": lambda: services.swot_topic_move(actor=moderator, topic=topic, direction="up"),
        "delete": lambda: services.swot_topic_delete(actor=moderator, topic=topic),
    }
    with translation.override("en"), pytest.raises(Refused, match="current phase"):
        calls[step]()
    assert _titles(meeting) == ORIGINAL
    assert _topic_audit() == []


@pytest.mark.parametrize("status", [Meeting.Status.DRAFT, Meeting.Status.PLANNED])
def test_a_moderator_plans_topics_before_the_workspace_opens(
    client: Client, moderator: User, seeded: Meeting, status: str
) -> None:
    meeting = make_meeting(seeded.team, status)
    SwotTopic.objects.create(meeting=meeting, position=2, title="Finanse")
    client.force_login(moderator)
    finanse = _topic(meeting, "Finanse")
    client.post(_move(meeting, finanse), {"direction": "up"})
    client.post(_edit(meeting, finanse), {"title": "Finanse i granty"})
    client.post(_delete(meeting, _topic(meeting, "Współpraca")))
    assert _titles(meeting) == [(1, "Finanse i granty")]
    assert sorted(_topic_audit()) == ["swot_topic.delete", "swot_topic.edit", "swot_topic.move"]
