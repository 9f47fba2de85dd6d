"""Live mode: the controls that depend on the speakers list and on the meeting's phase refresh
with the polled board (the join button comes back after one's turn, the moderator's form goes
when the workspace closes, and the page says so); after a step the focus lands on its message
at the speakers list, with or without htmx, and a poll never takes it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from teams.models import Meeting, Speaker, User

from ..confirm import CONFIRMED
from ..swot.helpers import english, make_meeting

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
JOIN = 'id="join-speakers"'
ADD_FORM = 'id="add-speaker"'


@pytest.fixture
def meeting(seeded: Meeting) -> Meeting:
    return make_meeting(seeded.team)


def _as(user: User) -> Client:
    client = english(Client())
    client.force_login(user)
    return client


def _live(meeting: Meeting) -> str:
    return reverse("teams:meeting-live", args=[meeting.pk])


def _state(body: str) -> str:
    found = re.search(r"\?state=(\w+)", body)
    assert found
    return found.group(1)


def _poll(client: Client, meeting: Meeting, state: str) -> str:
    response = client.get(_live(meeting), {"state": state}, headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    return body


def _turn(meeting: Meeting, speaker: Speaker, step: str) -> str:
    return reverse("teams:speaker-turn", args=[meeting.pk, speaker.pk, step])


def _speakers_section(body: str) -> str:
    found = re.search(r'<section[^>]*id="speakers".*?</section>', body, re.S)
    assert found
    return found.group(0)


def _focused_message(body: str) -> str:
    """The text of the element the page focuses (autofocus), which must be the step's message
    at the top of the speakers list, and the only one."""
    assert body.count("autofocus") == 1
    found = re.search(r'<p[^>]*id="live-message"[^>]*autofocus>(.*?)</p>', body, re.S)
    assert found, "the message is not the focused element"
    return found.group(1).strip()


def test_it_brings_the_join_button_back_on_the_polled_board_after_ones_turn(
    member: User, moderator: User, meeting: Meeting
) -> None:
    as_member, as_moderator = _as(member), _as(moderator)
    page = as_member.get(_live(meeting)).content.decode()
    assert JOIN in page
    as_member.post(reverse("teams:speaker-add", args=[meeting.pk]), {"self": "1"})
    page = as_member.get(_live(meeting)).content.decode()
    assert JOIN not in page  # on the list: no second place
    speaker = Speaker.objects.get(meeting=meeting, user=member)

    as_moderator.post(_turn(meeting, speaker, "start"))
    as_moderator.post(_turn(meeting, speaker, "end"))

    # The member's page, left open, polls with the state it was drawn with.
    board = _poll(as_member, meeting, _state(page))
    assert JOIN in board
    assert "Add me to the speakers list" in board


def test_it_removes_the_add_name_form_and_says_the_workspace_is_closed(
    member: User, moderator: User, meeting: Meeting
) -> None:
    as_member, as_moderator = _as(member), _as(moderator)
    page = as_moderator.get(_live(meeting)).content.decode()
    member_page = as_member.get(_live(meeting)).content.decode()
    assert ADD_FORM in page
    assert "The speakers list is closed." not in page

    as_moderator.post(
        reverse("teams:meeting-advance", args=[meeting.pk]), {**CONFIRMED, "status": "open"}
    )
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CLOSED

    for client, state in ((as_moderator, _state(page)), (as_member, _state(member_page))):
        board = _poll(client, meeting, state)
        assert ADD_FORM not in board
        assert JOIN not in board
        assert 'action="' + reverse("teams:speaker-add", args=[meeting.pk]) not in board
        note = re.search(r'<p[^>]*id="live-phase-note".*?</p>', board, re.S)
        assert note, "the board does not say the workspace is closed"
        assert "The workspace is closed" in note.group(0)
        assert "The speakers list is closed." in note.group(0)
        # The screen reader's polite region says it too.
        status = re.search(r'<p id="live-status".*?</p>', board, re.S)
        assert status and "The speakers list is closed." in status.group(0)
    # A reload says the same, without any form.
    reloaded = as_moderator.get(_live(meeting)).content.decode()
    assert "The workspace is closed" in reloaded
    assert ADD_FORM not in reloaded
    assert 'method="post"' not in _speakers_section(reloaded)


def test_it_keeps_the_name_being_typed_when_a_poll_swaps_the_board(
    moderator: User, meeting: Meeting
) -> None:
    as_moderator = _as(moderator)
    page = as_moderator.get(_live(meeting)).content.decode()
    Speaker.objects.create(meeting=meeting, name="Gość z MOWIS", position=1)
    board = _poll(as_moderator, meeting, _state(page))
    form = re.search(r'<form[^>]*id="add-speaker"[^>]*>', board)
    assert form and 'hx-preserve="true"' in form.group(0)
    assert "autofocus" not in board  # a poll never takes the focus
    # An answer to a step is drawn afresh: the name just added is not kept in the field.
    answer = as_moderator.post(
        reverse("teams:speaker-add", args=[meeting.pk]), {"name": "Jan Gość"}, headers=HTMX
    ).content.decode()
    assert "hx-preserve" not in answer
    assert 'value="Jan Gość"' not in answer


def test_it_goes_back_to_the_speakers_list_with_the_message_focused_without_javascript(
    member: User, moderator: User, meeting: Meeting
) -> None:
    as_member, as_moderator = _as(member), _as(moderator)
    add = reverse("teams:speaker-add", args=[meeting.pk])

    response = as_member.post(add, {"self": "1"})
    assert response["Location"] == _live(meeting) + "#speakers"
    page = as_member.get(response["Location"]).content.decode()
    assert _focused_message(page) == "You are on the speakers list."
    assert "You are on the speakers list." in _speakers_section(page)
    assert page.count("You are on the speakers list.") == 1  # not at the top of the page too

    speaker = Speaker.objects.get(meeting=meeting, user=member)
    steps = [
        (add, {"name": "Gość z MOWIS"}, "The speaker has been added to the list."),
        (_turn(meeting, speaker, "start"), {}, "Natalia Organizacyjna is speaking now."),
        (_turn(meeting, speaker, "end"), {}, "The turn of Natalia Organizacyjna has ended."),
    ]
    for url, data, message in steps:
        response = as_moderator.post(url, data)
        assert response.status_code == 302
        assert response["Location"] == _live(meeting) + "#speakers"
        page = as_moderator.get(response["Location"]).content.decode()
        assert _focused_message(page) == message
        assert page.count(message) == 1
    guest = Speaker.objects.get(meeting=meeting, name="Gość z MOWIS")
    as_moderator.post(_turn(meeting, guest, "end"))
    page = as_moderator.get(_live(meeting)).content.decode()
    assert _focused_message(page) == "Gość z MOWIS has been taken off the speakers list."
    # The message was shown once: the next reload has none, and focuses nothing.
    assert "autofocus" not in as_moderator.get(_live(meeting)).content.decode()


def test_it_answers_a_step_sent_by_htmx_with_the_board_and_its_message_focused(
    member: User, moderator: User, meeting: Meeting
) -> None:
    as_member, as_moderator = _as(member), _as(moderator)
    response = as_member.post(
        reverse("teams:speaker-add", args=[meeting.pk]), {"self": "1"}, headers=HTMX
    )
    assert response.status_code == 200
    board = response.content.decode()
    assert '<div id="live-board"' in board
    assert "<html" not in board
    assert _focused_message(board) == "You are on the speakers list."
    assert JOIN not in board
    assert 'hx-swap-oob="true"' not in board  # not a poll: its message says what happened

    speaker = Speaker.objects.get(meeting=meeting, user=member)
    board = as_moderator.post(_turn(meeting, speaker, "start"), headers=HTMX).content.decode()
    assert _focused_message(board) == "Natalia Organizacyjna is speaking now."
    assert 'id="end-turn"' in board
    # Every step's form is sent by htmx to the board, and still works without it.
    for form in re.findall(r"<form[^>]*>", board):
        assert 'hx-target="#live-board"' in form and 'method="post"' in form
    # The message is not left for a later page.
    assert "autofocus" not in as_moderator.get(_live(meeting)).content.decode()


def test_it_keeps_a_refused_name_in_place_with_htmx(moderator: User, meeting: Meeting) -> None:
    as_moderator = _as(moderator)
    response = as_moderator.post(
        reverse("teams:speaker-add", args=[meeting.pk]), {"name": "  "}, headers=HTMX
    )
    assert response.status_code == 200  # htmx swaps it in
    board = response.content.decode()
    assert "This field is required." in board
    field = re.search(r'<input[^>]*name="name"[^>]*>', board)
    assert field and "autofocus" in field.group(0)
    assert not Speaker.objects.filter(meeting=meeting).exists()
    # Without JavaScript: the page, 400, the field focused.
    response = as_moderator.post(reverse("teams:speaker-add", args=[meeting.pk]), {"name": ""})
    assert response.status_code == 400
    field = re.search(r'<input[^>]*name="name"[^>]*>', response.content.decode())
    assert field and "autofocus" in field.group(0)


def test_a_poll_leaves_a_pending_message_for_the_page(member: User, meeting: Meeting) -> None:
    as_member = _as(member)
    page = as_member.get(_live(meeting)).content.decode()
    as_member.post(reverse("teams:speaker-add", args=[meeting.pk]), {"self": "1"})
    board = _poll(as_member, meeting, _state(page))
    assert "You are on the speakers list." not in board
    page = as_member.get(_live(meeting)).content.decode()
    assert _focused_message(page) == "You are on the speakers list."
