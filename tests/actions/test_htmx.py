"""Goals and postulated actions in the meeting workspace with htmx: the same URLs answer an htmx
request with the goals-and-actions fragment (or an add form with the list out of band, or an
inline edit or merge form) instead of a redirect or a page; errors and conflicts show in the
fragment and store nothing; refusals stay refusals."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from actions import services
from actions.models import Action, Goal
from teams.models import Meeting, User

from ..swot.helpers import english, make_meeting, other_moderator, outsider

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture
def meeting(seeded: Meeting) -> Meeting:
    return make_meeting(seeded.team)


def _status(body: str) -> str:
    match = re.search(r'<div id="goals-status" hx-swap-oob="innerHTML">(.*?)</div>', body, re.S)
    assert match, "the fragment updates the status region"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def _focus(body: str) -> list[str]:
    """Ids of the elements htmx will focus after the swap."""
    ids = []
    for tag in re.findall(r"<[a-z]+\b[^>]*>", body):
        if re.search(r"\sautofocus[\s>]", tag):
            found = re.search(r'\sid="([^"]+)"', tag)
            ids.append(found.group(1) if found else tag)
    return ids


def _goal_choices(body: str) -> str | None:
    """The add-action form's goal <select>, when the fragment replaces it out of band."""
    match = re.search(r'<select name="action-goal"[^>]*hx-swap-oob="true".*?</select>', body, re.S)
    return match.group(0) if match else None


# --- Adding --------------------------------------------------------------------------------


def test_member_adds_a_goal_in_place_and_the_action_form_offers_it(
    client: Client, member: User, meeting: Meeting
) -> None:
    english(client).force_login(member)
    response = client.post(
        reverse("actions:goal-add", args=[meeting.pk]),
        {"goal-title": "Lepsza informacja", "goal-proposed_solutions": "Biuletyn"},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    goal = Goal.objects.get(meeting=meeting)
    assert (goal.title, goal.author) == ("Lepsza informacja", member)
    assert body.lstrip().startswith('<form method="post"\n      action="/meetings/')
    assert 'id="goal-add-form"' in body
    assert '<div id="goals-list"' in body and 'hx-swap-oob="true"' in body
    assert f'id="goal-{goal.pk}"' in body
    assert _status(body) == "The goal has been added."
    assert _focus(body) == ["id_goal-title"]
    assert 'value="Lepsza informacja"' not in body  # a fresh form
    # The add-action form's goal choices are replaced, not the form (what is typed stays).
    choices = _goal_choices(body)
    assert choices is not None and f'<option value="{goal.pk}">' in choices
    assert 'id="action-add-form"' not in body
    page = client.get(reverse("teams:meeting-workspace", args=[meeting.pk])).content.decode()
    assert "The goal has been added." not in page  # no flash message left behind


def test_member_adds_an_action_in_place_under_a_goal_and_keeps_the_goal_for_the_next(
    client: Client, member: User, meeting: Meeting
) -> None:
    goal = services.goal_add(actor=member, meeting=meeting, title="Cel")
    english(client).force_login(member)
    response = client.post(
        reverse("actions:action-add", args=[meeting.pk]),
        {"action-goal": goal.pk, "action-text": "Szkolenia dla organizacji"},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    action = Action.objects.get(meeting=meeting)
    assert (action.text, action.goal, action.number) == ("Szkolenia dla organizacji", goal, 1)
    assert 'id="action-add-form"' in body
    assert f'id="action-{action.pk}"' in body
    assert _status(body) == "Action no. 1 has been added."
    assert f'<option value="{goal.pk}" selected>' in body
    assert _focus(body) == ["id_action-text"]
    assert _goal_choices(body) is None  # the action form came whole


def test_without_htmx_the_same_adds_still_redirect(
    client: Client, member: User, meeting: Meeting
) -> None:
    client.force_login(member)
    response = client.post(reverse("actions:goal-add", args=[meeting.pk]), {"goal-title": "Cel"})
    assert response.status_code == 302
    goal = Goal.objects.get(meeting=meeting)
    assert response["Location"].endswith(f"#goal-{goal.pk}")
    response = client.post(
        reverse("actions:action-add", args=[meeting.pk]), {"action-text": "Działanie"}
    )
    assert response.status_code == 302


def test_an_empty_goal_shows_the_error_in_the_form_and_stores_nothing(
    client: Client, member: User, meeting: Meeting
) -> None:
    english(client).force_login(member)
    response = client.post(
        reverse("actions:goal-add", args=[meeting.pk]), {"goal-title": "  "}, headers=HX
    )
    assert response.status_code == 200  # htmx swaps only 2xx, as for comments
    body = response.content.decode()
    assert "This field is required." in body
    assert _focus(body) == ["id_goal-title"]
    assert '<div id="goals-list"' not in body
    assert _status(body) == ""
    assert not Goal.objects.filter(meeting=meeting).exists()


def test_a_too_long_action_or_a_goal_of_another_meeting_is_refused_in_place(
    client: Client, member: User, meeting: Meeting, seeded: Meeting
) -> None:
    foreign = Goal.objects.create(team=seeded.team, meeting=seeded, number=99, title="Cudzy")
    english(client).force_login(member)
    url = reverse("actions:action-add", args=[meeting.pk])
    body = client.post(url, {"action-text": "y" * 2001}, headers=HX).content.decode()
    assert "at most 2000 characters" in body
    assert _focus(body) == ["id_action-text"]
    body = client.post(
        url, {"action-goal": foreign.pk, "action-text": "Działanie"}, headers=HX
    ).content.decode()
    assert "Select a valid choice." in body
    assert _focus(body) == ["id_action-goal"]
    assert not Action.objects.filter(meeting=meeting).exists()


# --- Editing, merging, moving --------------------------------------------------------------


def test_a_goal_edit_opens_in_place_and_saves(
    client: Client, member: User, meeting: Meeting
) -> None:
    goal = services.goal_add(actor=member, meeting=meeting, title="Cel")
    english(client).force_login(member)
    url = reverse("actions:goal-edit", args=[goal.pk])
    form = client.get(url, headers=HX).content.decode()
    assert form.lstrip().startswith('<div id="goals-list"')
    assert f'hx-post="{url}"' in form
    assert f'id="id_goal-{goal.pk}-title"' in form and 'name="title"' in form
    assert _focus(form) == [f"id_goal-{goal.pk}-title"]
    assert f'id="goal-{goal.pk}-edit"' in form  # Cancel, back to the Edit link
    assert 'hx-select="#goals-list"' in form
    response = client.post(
        url,
        {"title": "Cel poprawiony", "proposed_solutions": "", "version": goal.version},
        headers=HX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cel poprawiony" in body
    assert _status(body) == "The goal has been saved."
    assert _focus(body) == [f"goal-{goal.pk}-edit"]
    assert "Cel poprawiony" in (_goal_choices(body) or "")  # renamed in the action form too
    goal.refresh_from_db()
    assert (goal.title, goal.version) == ("Cel poprawiony", 2)


def test_an_empty_action_edit_shows_the_error_in_place_and_keeps_the_action(
    client: Client, member: User, meeting: Meeting
) -> None:
    action = services.action_add(actor=member, meeting=meeting, text="Działanie")
    english(client).force_login(member)
    response = client.post(
        reverse("actions:action-edit", args=[action.pk]),
        {"text": "", "goal": "", "version": action.version},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "This field is required." in body
    assert f'hx-post="/postulated-actions/{action.pk}/edit/"' in body
    assert _focus(body) == [f"id_action-{action.pk}-text"]
    action.refresh_from_db()
    assert (action.text, action.version) == ("Działanie", 1)


def test_concurrent_action_edits_in_place_conflict_and_save_nothing(
    client: Client, moderator: User, coordinator: User, member: User, meeting: Meeting
) -> None:
    action = services.action_add(actor=member, meeting=meeting, text="Pierwotne")
    url = reverse("actions:action-edit", args=[action.pk])
    loaded = action.version
    client.force_login(moderator)
    client.post(url, {"text": "Wersja moderatora", "goal": "", "version": loaded}, headers=HX)
    other = english(Client())
    other.force_login(coordinator)
    response = other.post(
        url, {"text": "Wersja koordynatora", "goal": "", "version": loaded}, headers=HX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved first" in body
    assert "Wersja moderatora" in body and "Wersja koordynatora" in body
    assert _focus(body) == [f"action-{action.pk}-conflict"]
    action.refresh_from_db()
    assert (action.text, action.version) == ("Wersja moderatora", 2)
    assert f'name="version" value="{action.version}"' in body


def test_a_goal_merged_meanwhile_shows_the_conflict_without_a_form(
    client: Client,
    moderator: User,
    coordinator: User,
    member: User,
    meeting: Meeting,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    goal = services.goal_add(actor=member, meeting=meeting, title="Duplikat")
    keep = services.goal_add(actor=member, meeting=meeting, title="Oryginał")
    # This request read the goal just before another moderator merged it (the race that the
    # access helper cannot see): it keeps the object as it was read.
    stale = Goal.objects.select_related("meeting").get(pk=goal.pk)
    services.goal_merge(actor=coordinator, goal=goal, into=keep, expected_version=goal.version)
    monkeypatch.setattr("actions.access.get_goal_to_moderate", lambda user, pk: stale)
    english(client).force_login(moderator)
    response = client.post(
        reverse("actions:goal-merge", args=[goal.pk]),
        {"into": keep.pk, "version": 1},
        headers=HX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved first" in body
    assert "Oryginał" in body
    assert f'hx-post="/goals/{goal.pk}/merge/"' not in body
    goal.refresh_from_db()
    assert goal.merged_into == keep


def test_a_goal_merge_in_place_moves_its_actions_and_focuses_the_kept_goal(
    client: Client, moderator: User, member: User, meeting: Meeting
) -> None:
    goal = services.goal_add(actor=member, meeting=meeting, title="Duplikat")
    keep = services.goal_add(actor=member, meeting=meeting, title="Oryginał")
    action = services.action_add(actor=member, meeting=meeting, text="Działanie", goal=goal)
    english(client).force_login(moderator)
    url = reverse("actions:goal-merge", args=[goal.pk])
    form = client.get(url, headers=HX).content.decode()
    assert "Merge a duplicate goal" in form
    assert _focus(form) == [f"id_goal-{goal.pk}-into"]
    body = client.post(url, {"into": keep.pk, "version": goal.version}, headers=HX)
    body = body.content.decode()
    assert _status(body) == "The goals have been merged."
    assert _focus(body) == [f"goal-{keep.pk}-edit"]
    assert "Merged goals and actions (kept on record)" in body
    choices = _goal_choices(body) or ""
    assert f'value="{keep.pk}"' in choices and f'value="{goal.pk}"' not in choices
    action.refresh_from_db()
    assert action.goal == keep


def test_an_action_merge_in_place_keeps_the_duplicate_on_record(
    client: Client, moderator: User, member: User, meeting: Meeting
) -> None:
    duplicate = services.action_add(actor=member, meeting=meeting, text="Duplikat")
    keep = services.action_add(actor=member, meeting=meeting, text="Oryginał")
    english(client).force_login(moderator)
    response = client.post(
        reverse("actions:action-merge", args=[duplicate.pk]),
        {"into": keep.pk, "version": duplicate.version},
        headers=HX,
    )
    body = response.content.decode()
    assert _status(body) == "The actions have been merged."
    assert f'id="merged-action-{duplicate.pk}"' in body
    assert _focus(body) == [f"action-{keep.pk}-edit"]
    assert _goal_choices(body) is None  # goals did not change
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep


def test_moves_in_place_keep_the_focus_on_a_move_button(
    client: Client, moderator: User, member: User, meeting: Meeting
) -> None:
    first = services.goal_add(actor=member, meeting=meeting, title="Pierwszy")
    second = services.goal_add(actor=member, meeting=meeting, title="Drugi")
    english(client).force_login(moderator)
    body = client.post(
        reverse("actions:goal-move", args=[second.pk]), {"direction": "up"}, headers=HX
    ).content.decode()
    assert body.index("Drugi") < body.index("Pierwszy")
    assert _status(body) == "Moved up."
    assert _focus(body) == [f"goal-{second.pk}-down"]  # at the top: no "up" any more
    assert _goal_choices(body) is not None  # the order of the choices changed
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.number < first.number
    one = services.action_add(actor=member, meeting=meeting, text="Jeden")
    two = services.action_add(actor=member, meeting=meeting, text="Dwa")
    three = services.action_add(actor=member, meeting=meeting, text="Trzy")
    body = client.post(
        reverse("actions:action-move", args=[one.pk]), {"direction": "down"}, headers=HX
    ).content.decode()
    assert _status(body) == "Moved down."
    assert _focus(body) == [f"action-{one.pk}-down"]
    assert list(
        Action.objects.filter(meeting=meeting).order_by("number").values_list("pk", flat=True)
    ) == [two.pk, one.pk, three.pk]


# --- Refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
@pytest.mark.parametrize("who", ["outsider", "other_moderator"])
def test_adds_by_someone_outside_the_team_are_refused_alike_with_or_without_htmx(
    client: Client, meeting: Meeting, who: str, headers: dict[str, str]
) -> None:
    client.force_login(outsider() if who == "outsider" else other_moderator())
    goal = client.post(
        reverse("actions:goal-add", args=[meeting.pk]), {"goal-title": "Cel"}, headers=headers
    )
    action = client.post(
        reverse("actions:action-add", args=[meeting.pk]),
        {"action-text": "Działanie"},
        headers=headers,
    )
    assert (goal.status_code, action.status_code) == (403, 403)
    assert not Goal.objects.filter(meeting=meeting).exists()
    assert not Action.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_a_member_cannot_edit_merge_or_move_what_is_not_theirs_with_htmx_either(
    client: Client, member: User, moderator: User, meeting: Meeting, headers: dict[str, str]
) -> None:
    goal = services.goal_add(actor=moderator, meeting=meeting, title="Cel moderatora")
    other = services.goal_add(actor=moderator, meeting=meeting, title="Drugi cel")
    client.force_login(member)
    edit = reverse("actions:goal-edit", args=[goal.pk])
    assert client.get(edit, headers=headers).status_code == 404
    response = client.post(
        edit, {"title": "Przejęty", "proposed_solutions": "", "version": 1}, headers=headers
    )
    assert response.status_code == 404
    merge = reverse("actions:goal-merge", args=[goal.pk])
    assert client.post(merge, {"into": other.pk, "version": 1}, headers=headers).status_code == 404
    move = reverse("actions:goal-move", args=[other.pk])
    assert client.post(move, {"direction": "up"}, headers=headers).status_code == 404
    goal.refresh_from_db()
    other.refresh_from_db()
    assert (goal.title, goal.merged_into, goal.number < other.number) == (
        "Cel moderatora",
        None,
        True,
    )


def test_an_action_after_the_workspace_closed_is_refused_with_htmx_too(
    client: Client, member: User, meeting: Meeting
) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
    client.force_login(member)
    response = client.post(
        reverse("actions:action-add", args=[meeting.pk]),
        {"action-text": "Spóźnione"},
        headers=HX,
    )
    assert response.status_code == 403
    assert not Action.objects.filter(meeting=meeting).exists()


def test_the_workspace_page_wires_goals_and_actions_for_htmx_and_keeps_them_working_without(
    client: Client, moderator: User, member: User, meeting: Meeting
) -> None:
    goal = services.goal_add(actor=member, meeting=meeting, title="Cel")
    services.goal_add(actor=member, meeting=meeting, title="Drugi cel")
    client.force_login(moderator)
    body = client.get(reverse("teams:meeting-workspace", args=[meeting.pk])).content.decode()
    add = reverse("actions:goal-add", args=[meeting.pk])
    assert f'action="{add}"' in body and f'hx-post="{add}"' in body
    assert f'href="/goals/{goal.pk}/edit/"' in body and f'hx-get="/goals/{goal.pk}/edit/"' in body
    assert f'action="/goals/{goal.pk}/move/"' in body
    assert f'hx-post="/goals/{goal.pk}/move/"' in body
    assert '<div id="goals-status" role="status"></div>' in body
    assert "autofocus" not in body
