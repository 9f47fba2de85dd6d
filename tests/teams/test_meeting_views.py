"""Meeting workspace views: bad input is refused with a clear message and nothing is saved;
live mode (speakers, timer, polling board)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Goal
from core.errors import Refused
from swot.models import SwotEntry
from teams.meeting_phases import agenda_item_misfit
from teams.meeting_services import agenda_item_add, agenda_item_update, meeting_update
from teams.models import Meeting, Speaker, User

from ..confirm import CONFIRMED
from ..swot.helpers import add_entry, english, make_meeting, outsider, topic_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(seeded: Meeting) -> Meeting:
    return make_meeting(seeded.team)


def _add_entry(client: Client, meeting: Meeting, text: str) -> object:
    topic = topic_of(meeting)
    prefix = f"topic-{topic.pk}"
    return client.post(
        reverse("swot:entry-add", args=[topic.pk]),
        {f"{prefix}-quadrant": "S", f"{prefix}-text": text},
    )


def test_the_workspace_shows_the_limit_of_an_entry(
    client: Client, member: User, meeting: Meeting
) -> None:
    english(client).force_login(member)
    body = client.get(reverse("teams:meeting-workspace", args=[meeting.pk])).content.decode()
    assert 'maxlength="1000"' in body
    assert "At most 1000 characters." in body
    assert 'maxlength="2000"' in body  # actions


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "This field is required."),
        ("x" * 1001, "Ensure this value has at most 1000 characters (it has 1001)."),
    ],
)
def test_an_empty_or_too_long_swot_entry_is_refused_and_nothing_saved(
    client: Client, member: User, meeting: Meeting, text: str, message: str
) -> None:
    english(client).force_login(member)
    response = _add_entry(client, meeting, text)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SwotEntry.objects.exists()


def test_an_entry_is_refused_in_polish_for_a_polish_user(
    client: Client, member: User, meeting: Meeting
) -> None:
    client.force_login(member)
    response = _add_entry(client, meeting, "")
    assert response.status_code == 400
    assert "To pole jest wymagane." in response.content.decode()


def test_an_empty_goal_and_a_too_long_action_are_refused(
    client: Client, member: User, meeting: Meeting
) -> None:
    english(client).force_login(member)
    response = client.post(reverse("actions:goal-add", args=[meeting.pk]), {"goal-title": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = client.post(
        reverse("actions:action-add", args=[meeting.pk]), {"action-text": "y" * 2001}
    )
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    assert not Goal.objects.filter(meeting=meeting).exists()
    assert not Action.objects.filter(meeting=meeting).exists()


def test_an_edit_with_an_empty_text_is_refused_and_the_entry_kept(
    client: Client, member: User, meeting: Meeting
) -> None:
    entry = add_entry(meeting, member, "Mój wpis")
    english(client).force_login(member)
    response = client.post(
        reverse("swot:entry-edit", args=[entry.pk]), {"quadrant": "S", "text": "", "version": 1}
    )
    assert response.status_code == 400
    entry.refresh_from_db()
    assert (entry.text, entry.version) == ("Mój wpis", 1)


def test_a_plan_without_place_or_link_or_ending_before_it_starts_is_refused(
    client: Client, moderator: User, seeded: Meeting
) -> None:
    english(client).force_login(moderator)
    response = client.post(
        reverse("teams:meeting-create", args=[seeded.team.slug]),
        {
            "title": "Bez miejsca",
            "date": "2011-09-14",
            "start_time": "18:00",
            "end_time": "16:00",
            "speaking_time_seconds": "180",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Give a place, an online meeting link, or both." in body
    assert "The meeting must end after it starts." in body
    assert not Meeting.objects.filter(title="Bez miejsca").exists()


@pytest.mark.parametrize(
    ("seconds", "message"),
    [
        ("5", "Ensure this value is greater than or equal to 30."),
        ("0", "Ensure this value is greater than or equal to 30."),
        ("9999", "Ensure this value is less than or equal to 3600."),
    ],
)
def test_a_speaking_time_outside_its_bounds_is_refused(
    client: Client, moderator: User, seeded: Meeting, seconds: str, message: str
) -> None:
    """A speaker's time of a few seconds (the timer says "time is up" at once) or of hours:
    refused on the server, and the browser's field is bounded the same."""
    english(client).force_login(moderator)
    url = reverse("teams:meeting-create", args=[seeded.team.slug])
    assert 'min="30"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "Krótki czas",
            "date": "2031-09-14",
            "start_time": "16:00",
            "end_time": "18:00",
            "place": "Sala obrad",
            "speaking_time_seconds": seconds,
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Meeting.objects.filter(title="Krótki czas").exists()


def test_a_stale_phase_button_does_not_skip_a_phase(
    client: Client, moderator: User, meeting: Meeting
) -> None:
    english(client).force_login(moderator)
    client.post(
        reverse("teams:meeting-advance", args=[meeting.pk]), {**CONFIRMED, "status": "open"}
    )
    # A second click from the same stale page (it still says "open").
    response = client.post(
        reverse("teams:meeting-advance", args=[meeting.pk]),
        {**CONFIRMED, "status": "open"},
        follow=True,
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    assert "This meeting was changed meanwhile" in response.content.decode()


def test_the_phase_button_never_redirects_off_site(
    client: Client, moderator: User, meeting: Meeting
) -> None:
    client.force_login(moderator)
    response = client.post(
        reverse("teams:meeting-advance", args=[meeting.pk]),
        {**CONFIRMED, "status": "open", "next": "https://evil.example.com/"},
    )
    assert response["Location"] == reverse("teams:meeting-workspace", args=[meeting.pk])


# --- Live mode -------------------------------------------------------------------------------


def test_speakers_list_and_timer_computed_by_the_server(
    client: Client, moderator: User, member: User, meeting: Meeting
) -> None:
    live = reverse("teams:meeting-live", args=[meeting.pk])
    english(client).force_login(member)
    assert "Add me to the speakers list" in client.get(live).content.decode()
    client.post(reverse("teams:speaker-add", args=[meeting.pk]), {"self": "1"})
    client.post(reverse("teams:speaker-add", args=[meeting.pk]), {"self": "1"})  # not twice
    speaker = Speaker.objects.get(meeting=meeting)
    assert (speaker.user, speaker.name) == (member, "Natalia Organizacyjna")
    # A member cannot run the list.
    start = reverse("teams:speaker-turn", args=[meeting.pk, speaker.pk, "start"])
    assert client.post(start).status_code == 403
    client.force_login(moderator)
    client.post(reverse("teams:speaker-add", args=[meeting.pk]), {"name": "Gość z MOWIS"})
    started = timezone.now()
    with time_machine.travel(started, tick=False):
        client.post(start)
    with time_machine.travel(started + dt.timedelta(seconds=70), tick=False):
        body = client.get(live).content.decode()
    assert 'data-remaining="110"' in body
    assert ">1:50<" in body
    # Who speaks now, and the moderator's button that ends their turn.
    now_speaking = re.search(r'<div[^>]*id="current-speaker".*?</form>', body, re.S)
    assert now_speaking and "Natalia Organizacyjna" in now_speaking.group(0)
    end = reverse("teams:speaker-turn", args=[meeting.pk, speaker.pk, "end"])
    assert f'action="{end}"' in now_speaking.group(0)
    with time_machine.travel(started + dt.timedelta(seconds=400), tick=False):
        body = client.get(live).content.decode()
    assert 'data-remaining="0"' in body
    assert re.search(r'<p id="time-up"[^>]*>', body).group(0).count("hidden") == 0
    client.post(reverse("teams:speaker-turn", args=[meeting.pk, speaker.pk, "end"]))
    speaker.refresh_from_db()
    assert speaker.ended_at is not None


def test_the_board_polls_and_swaps_only_when_something_changed(
    client: Client, member: User, meeting: Meeting
) -> None:
    live = reverse("teams:meeting-live", args=[meeting.pk])
    client.force_login(member)
    body = client.get(live).content.decode()
    assert 'hx-trigger="every 5s"' in body
    state = re.search(r"\?state=(\w+)", body).group(1)
    unchanged = client.get(live, {"state": state}, headers={"HX-Request": "true"})
    assert unchanged.status_code == 204
    add_entry(meeting, member, "Nowa szansa")
    changed = client.get(live, {"state": state}, headers={"HX-Request": "true"})
    assert changed.status_code == 200
    partial = changed.content.decode()
    assert "Nowa szansa" in partial
    assert "<html" not in partial
    assert 'hx-swap-oob="true"' in partial
    # Without JavaScript a reload shows the same board.
    assert "Nowa szansa" in client.get(live).content.decode()


def test_live_mode_is_for_the_team_only(client: Client, meeting: Meeting) -> None:
    live = reverse("teams:meeting-live", args=[meeting.pk])
    assert "/accounts/login/" in client.get(live)["Location"]
    client.force_login(outsider())
    assert client.get(live).status_code == 403


def test_an_empty_speaker_name_is_refused(
    client: Client, moderator: User, meeting: Meeting
) -> None:
    english(client).force_login(moderator)
    response = client.post(reverse("teams:speaker-add", args=[meeting.pk]), {"name": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Speaker.objects.exists()


# --- Plan and minutes conflicts, links ----------------------------------------------------------


def _plan_data(meeting: Meeting, **changes: object) -> dict[str, object]:
    data = {
        "title": meeting.title,
        "date": meeting.date.isoformat(),
        "place": meeting.place,
        "rules": meeting.rules,
        "speaking_time_seconds": meeting.speaking_time_seconds,
        "version": meeting.version,
    }
    return {**data, **changes}


def test_two_moderators_saving_the_plan_at_once_one_is_told(
    client: Client, moderator: User, coordinator: User, meeting: Meeting
) -> None:
    url = reverse("teams:meeting-edit", args=[meeting.pk])
    stale = _plan_data(meeting, title="Tytuł koordynatora")
    english(client).force_login(moderator)
    assert client.post(url, _plan_data(meeting, title="Tytuł moderatora")).status_code == 302
    other = english(Client())
    other.force_login(coordinator)
    response = other.post(url, stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Tytuł moderatora" in body  # the saved title, named in the message
    assert 'value="Tytuł koordynatora"' in body  # their own text stays in the form
    meeting.refresh_from_db()
    assert meeting.title == "Tytuł moderatora"


def test_two_moderators_saving_the_minutes_at_once_one_is_told(
    client: Client, moderator: User, coordinator: User, seeded: Meeting
) -> None:
    meeting = make_meeting(seeded.team, status=Meeting.Status.CLOSED)
    url = reverse("teams:meeting-minutes-edit", args=[meeting.pk])
    english(client).force_login(moderator)
    client.post(url, {"minutes": "Wersja A", "version": meeting.version})
    other = english(Client())
    other.force_login(coordinator)
    response = other.post(url, {"minutes": "Wersja B", "version": meeting.version})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Wersja A" in body and "Wersja B" in body
    meeting.refresh_from_db()
    assert meeting.minutes == "Wersja A"


def test_the_meeting_page_links_to_the_workspace_only_for_the_team(
    client: Client, member: User, expert: User, meeting: Meeting
) -> None:
    workspace = reverse("teams:meeting-workspace", args=[meeting.pk])
    assert workspace not in client.get(meeting.get_absolute_url()).content.decode()
    client.force_login(expert)
    assert workspace not in client.get(meeting.get_absolute_url()).content.decode()
    client.force_login(member)
    assert workspace in client.get(meeting.get_absolute_url()).content.decode()


def test_the_team_planning_block_shows_drafts_to_planners_only(
    rf, moderator: User, member: User, meeting: Meeting
) -> None:
    from django.template import Context, Template

    draft = make_meeting(meeting.team, status=Meeting.Status.DRAFT, title="Szkic wrześniowy")
    template = Template("{% load swot_tags %}{% team_meeting_planning team %}")
    request = rf.get("/")
    request.user = member
    assert "Szkic wrześniowy" not in template.render(
        Context({"request": request, "team": meeting.team})
    )
    request.user = moderator
    html = template.render(Context({"request": request, "team": meeting.team}))
    assert "Szkic wrześniowy" in html
    assert reverse("teams:meeting-edit", args=[draft.pk]) in html
    assert reverse("teams:meeting-create", args=[meeting.team.slug]) in html


def test_a_member_registers_and_withdraws_while_planned(
    client: Client, member: User, seeded: Meeting
) -> None:
    meeting = make_meeting(seeded.team, status=Meeting.Status.PLANNED)
    url = reverse("teams:attendance-toggle", args=[meeting.pk])
    english(client).force_login(member)
    client.post(url, {"register": "1"})
    client.post(url, {"register": "1"})  # twice is still once
    assert meeting.attendances.filter(user=member).count() == 1
    body = client.get(reverse("teams:meeting-workspace", args=[meeting.pk])).content.decode()
    assert "Withdraw my registration" in body
    client.post(url)
    assert not meeting.attendances.exists()


def test_a_team_member_who_represents_no_verified_organisation_only_reads(
    client: Client, meeting: Meeting
) -> None:
    from teams.models import Membership

    reader = User.objects.create_user("reader@example.org", "x")
    Membership.objects.create(user=reader, team=meeting.team, status=Membership.Status.APPROVED)
    client.force_login(reader)
    page = client.get(reverse("teams:meeting-workspace", args=[meeting.pk]))
    assert page.status_code == 200
    assert reverse("swot:entry-add", args=[topic_of(meeting).pk]) not in page.content.decode()
    response = _add_entry(client, meeting, "Wpis")
    assert response.status_code == 403
    assert not SwotEntry.objects.exists()


def test_closing_from_the_plan_page_lands_on_the_workspace(
    client: Client, moderator: User, meeting: Meeting
) -> None:
    client.force_login(moderator)
    workspace = reverse("teams:meeting-workspace", args=[meeting.pk])
    body = client.get(reverse("teams:meeting-edit", args=[meeting.pk])).content.decode()
    confirm = reverse("teams:meeting-advance-confirm", args=[meeting.pk, "close"])
    assert f'href="{confirm}"' in body
    response = client.post(
        reverse("teams:meeting-advance", args=[meeting.pk]),
        {**CONFIRMED, "status": "open", "next": workspace},
    )
    assert response["Location"] == workspace
    assert client.get(workspace).status_code == 200


def test_work_in_progress_is_shown_to_the_team_only_until_published(
    client: Client, member: User, meeting: Meeting
) -> None:
    add_entry(meeting, member, "Wpis w toku")
    Action.objects.create(team=meeting.team, meeting=meeting, number=1, text="Działanie w toku")
    Meeting.objects.filter(pk=meeting.pk).update(minutes="Szkic protokołu")
    annex = reverse("actions:meeting-actions", args=[meeting.pk])
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "Wpis w toku" not in body and "Działanie w toku" not in body
    assert client.get(annex).status_code == 404
    client.force_login(member)
    assert "Wpis w toku" in client.get(meeting.get_absolute_url()).content.decode()
    assert client.get(annex).status_code == 200
    client.logout()
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PUBLISHED)
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "Wpis w toku" in body and "Działanie w toku" in body
    assert "Szkic protokołu" not in body  # minutes only once they are published
    assert client.get(annex).status_code == 200


def test_a_moderator_edits_an_agenda_item_and_an_empty_title_is_refused(
    client: Client, moderator: User, member: User, meeting: Meeting
) -> None:
    item = meeting.agenda_items.get()
    url = reverse("teams:agenda-item-edit", args=[meeting.pk, item.pk])
    english(client).force_login(moderator)
    body = client.get(url).content.decode()
    assert "Back to the plan" in body and 'maxlength="2000"' in body
    response = client.post(url, {"numeral": "II", "title": "", "duration_minutes": "30"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    item.refresh_from_db()
    assert item.numeral == "I"
    # Longer than a day (a meeting with no end time does not bound it otherwise): refused.
    response = client.post(url, {"numeral": "II", "title": "SWOT", "duration_minutes": "30000"})
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 1440." in response.content.decode()
    response = client.post(
        url, {"numeral": "II", "title": "SWOT", "starts_at": "10:30", "duration_minutes": "30"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.numeral, item.title, item.duration_minutes) == ("II", "SWOT", 30)
    client.force_login(member)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("starts_at", "minutes", "misfit"),
    [
        (None, None, None),
        (dt.time(10), 60, None),  # from the start
        (dt.time(11, 30), 30, None),  # to the end
        (dt.time(11, 59), None, None),
        (dt.time(9, 59), None, "starts_at"),
        (dt.time(12), None, "starts_at"),  # when the meeting ends
        (dt.time(11, 30), 31, "duration_minutes"),
        (dt.time(23, 30), 60, "starts_at"),
    ],
)
def test_an_agenda_item_fits_the_meetings_hours(
    starts_at: dt.time | None, minutes: int | None, misfit: str | None
) -> None:
    found = agenda_item_misfit(dt.time(10), dt.time(12), starts_at, minutes)
    assert (found and found[0]) == misfit
    # A meeting without hours, or without an end, holds any item starting after its start.
    assert agenda_item_misfit(None, None, starts_at, minutes) is None
    if starts_at is not None and starts_at >= dt.time(10):
        assert agenda_item_misfit(dt.time(10), None, starts_at, minutes) is None


def test_an_agenda_item_outside_the_meetings_hours_is_refused_at_its_field(
    client: Client, moderator: User, meeting: Meeting
) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(start_time=dt.time(10), end_time=dt.time(12))
    english(client).force_login(moderator)
    add = reverse("teams:agenda-item-add", args=[meeting.pk])
    response = client.post(add, {"agenda-title": "Podsumowanie", "agenda-starts_at": "9:00"})
    assert response.status_code == 400
    assert "The meeting starts at 10:00: an agenda item cannot start earlier." in (
        response.content.decode()
    )
    response = client.post(
        add,
        {
            "agenda-title": "Podsumowanie",
            "agenda-starts_at": "11:30",
            "agenda-duration_minutes": 45,
        },
    )
    assert response.status_code == 400
    assert "This item would end at 12:15, after the meeting ends (12:00)" in (
        response.content.decode()
    )
    assert not meeting.agenda_items.filter(title="Podsumowanie").exists()
    item = meeting.agenda_items.get()
    edit = reverse("teams:agenda-item-edit", args=[meeting.pk, item.pk])
    response = client.post(edit, {"title": item.title, "starts_at": "12:00"})
    assert response.status_code == 400
    assert "The meeting ends at 12:00: an agenda item must start before then." in (
        response.content.decode()
    )
    response = client.post(
        edit, {"title": item.title, "starts_at": "11:00", "duration_minutes": 60}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.starts_at == dt.time(11)


def test_the_meetings_hours_must_still_hold_its_agenda(
    client: Client, moderator: User, meeting: Meeting
) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(start_time=dt.time(10), end_time=dt.time(12))
    meeting.agenda_items.update(starts_at=dt.time(11), duration_minutes=60)
    meeting.refresh_from_db()
    english(client).force_login(moderator)
    url = reverse("teams:meeting-edit", args=[meeting.pk])
    form = {
        "title": meeting.title,
        "date": meeting.date.isoformat(),
        "place": meeting.place,
        "rules": meeting.rules,
        "speaking_time_seconds": 180,
        "version": meeting.version,
    }
    response = client.post(url, {**form, "start_time": "10:00", "end_time": "11:30"})
    assert response.status_code == 400
    assert (
        "The agenda item \u201eI Analiza SWOT\u201d is planned at 11:00, outside these hours"
        in (response.content.decode())
    )
    meeting.refresh_from_db()
    assert meeting.end_time == dt.time(12)
    response = client.post(url, {**form, "start_time": "10:00", "end_time": "12:00"})
    assert response.status_code == 302
    # The service holds the same rule, should the agenda change between form and save.
    with pytest.raises(Refused, match="I Analiza SWOT: The meeting ends at 11:00"):
        meeting_update(
            actor=moderator,
            meeting=meeting,
            data={"start_time": dt.time(9), "end_time": dt.time(11)},
            expected_version=Meeting.objects.get(pk=meeting.pk).version,
        )
    with pytest.raises(Refused, match="cannot start earlier"):
        agenda_item_add(actor=moderator, meeting=meeting, title="Powitanie", starts_at=dt.time(9))
    with pytest.raises(Refused, match="after the meeting ends"):
        agenda_item_update(
            actor=moderator, item=meeting.agenda_items.get(), data={"duration_minutes": 90}
        )
