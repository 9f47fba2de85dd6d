"""The SWOT steps of the meeting workspace with htmx: the same URLs answer an htmx request with
the topic's fragment (entries, add form, inline edit or merge form) instead of a redirect or a
page; errors and conflicts show in the fragment and store nothing; refusals stay refusals."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from swot import services
from swot.models import SwotEntry
from teams.models import Meeting, Membership, User

from .helpers import add_entry, english, make_meeting, other_moderator, outsider, topic_of

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture
def meeting(seeded: Meeting) -> Meeting:
    return make_meeting(seeded.team)


def _add_data(meeting: Meeting, text: str, quadrant: str = "S") -> dict[str, str]:
    prefix = f"topic-{topic_of(meeting).pk}"
    return {f"{prefix}-quadrant": quadrant, f"{prefix}-text": text}


def _status(body: str, topic_pk: int) -> str:
    """The text put into the topic's status region (out of band)."""
    match = re.search(
        rf'<div id="swot-status-{topic_pk}" hx-swap-oob="innerHTML">(.*?)</div>', body, re.S
    )
    assert match, "the fragment updates the topic's status region"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def _focus(body: str) -> list[str]:
    """Ids of the elements htmx will focus after the swap."""
    ids = []
    for tag in re.findall(r"<[a-z]+\b[^>]*>", body):
        if re.search(r"\sautofocus[\s>]", tag):
            found = re.search(r'\sid="([^"]+)"', tag)
            ids.append(found.group(1) if found else tag)
    return ids


# --- Adding --------------------------------------------------------------------------------


def test_member_adds_an_entry_in_place_and_gets_a_fresh_form_in_the_same_quadrant(
    client: Client, member: User, meeting: Meeting
) -> None:
    topic = topic_of(meeting)
    english(client).force_login(member)
    response = client.post(
        reverse("swot:entry-add", args=[topic.pk]),
        _add_data(meeting, "Aktywne organizacje", quadrant="W"),
        headers=HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    entry = SwotEntry.objects.get()
    assert (entry.text, entry.quadrant, entry.author) == ("Aktywne organizacje", "W", member)
    # The add form swaps itself; the entries come out of band with the new one in them.
    assert body.lstrip().startswith(f'<form method="post"\n      action="/swot-topics/{topic.pk}')
    assert f'id="swot-entries-{topic.pk}"' in body
    assert 'hx-swap-oob="true"' in body
    assert f'id="swot-entry-{entry.pk}"' in body
    assert _status(body, topic.pk) == "Your entry has been added."
    # A fresh form: empty, same quadrant, the text field focused for the next entry.
    assert '<option value="W" selected>' in body
    assert "Aktywne organizacje</textarea>" not in body
    assert _focus(body) == [f"id_topic-{topic.pk}-text"]
    # No flash message is left for the next page: the fragment said it already.
    page = client.get(reverse("teams:meeting-workspace", args=[meeting.pk])).content.decode()
    assert "Your entry has been added." not in page


def test_without_htmx_the_same_add_still_redirects_back_to_the_topic(
    client: Client, member: User, meeting: Meeting
) -> None:
    topic = topic_of(meeting)
    client.force_login(member)
    response = client.post(reverse("swot:entry-add", args=[topic.pk]), _add_data(meeting, "X"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#swot-topic-{topic.pk}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "This field is required."),
        ("x" * 1001, "Ensure this value has at most 1000 characters (it has 1001)."),
    ],
)
def test_a_bad_entry_shows_the_error_in_the_form_and_stores_nothing(
    client: Client, member: User, meeting: Meeting, text: str, message: str
) -> None:
    topic = topic_of(meeting)
    english(client).force_login(member)
    response = client.post(
        reverse("swot:entry-add", args=[topic.pk]), _add_data(meeting, text), headers=HX
    )
    assert response.status_code == 200  # htmx swaps only 2xx, as for comments
    body = response.content.decode()
    assert message in body
    assert 'aria-invalid="true"' in body
    assert _focus(body) == [f"id_topic-{topic.pk}-text"]
    assert f'id="swot-entries-{topic.pk}"' not in body  # the entries did not change
    assert _status(body, topic.pk) == ""  # an earlier "added" does not linger
    assert not SwotEntry.objects.exists()


def test_an_add_answers_in_a_fixed_number_of_queries(
    client: Client, member: User, meeting: Meeting
) -> None:
    topic = topic_of(meeting)
    client.force_login(member)
    url = reverse("swot:entry-add", args=[topic.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.post(url, _add_data(meeting, "Wpis"), headers=HX).status_code == 200
        return len(captured)

    few = queries()
    for number in range(20):
        add_entry(meeting, member, f"Wpis {number}", quadrant="SWOT"[number % 4])
    assert queries() == few


# --- Editing -------------------------------------------------------------------------------


def test_edit_opens_in_place_with_ids_of_its_own(
    client: Client, member: User, meeting: Meeting
) -> None:
    entry = add_entry(meeting, member, "Mój wpis")
    other = add_entry(meeting, member, "Inny wpis")
    english(client).force_login(member)
    response = client.get(reverse("swot:entry-edit", args=[entry.pk]), headers=HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith(f'<div id="swot-entries-{entry.topic_id}"')
    assert f'hx-post="/swot-entries/{entry.pk}/edit/"' in body
    assert f'id="id_entry-{entry.pk}-text"' in body
    assert 'name="text"' in body  # the same field names as the form page
    assert f'name="version" value="{entry.version}"' in body
    assert _focus(body) == [f"id_entry-{entry.pk}-text"]
    assert f'id="swot-entry-{other.pk}-edit"' in body  # the other entries stay as they are
    # Cancel goes back to the Edit link (same id) by reloading the entries from the workspace.
    workspace = reverse("teams:meeting-workspace", args=[meeting.pk])
    assert f'id="swot-entry-{entry.pk}-edit"' in body
    assert f'hx-get="{workspace}"' in body
    assert f'hx-select="#swot-entries-{entry.topic_id}"' in body


def test_an_edit_in_place_saves_and_returns_the_focus_to_the_entry(
    client: Client, member: User, meeting: Meeting
) -> None:
    entry = add_entry(meeting, member, "Mój wpis")
    english(client).force_login(member)
    response = client.post(
        reverse("swot:entry-edit", args=[entry.pk]),
        {"quadrant": "O", "text": "Poprawiony wpis", "version": entry.version},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    entry.refresh_from_db()
    assert (entry.text, entry.quadrant, entry.version) == ("Poprawiony wpis", "O", 2)
    assert "Poprawiony wpis" in body
    assert '<form method="post"\n      action="/swot-entries' not in body  # no form left open
    assert _status(body, entry.topic_id) == "The entry has been saved."
    assert _focus(body) == [f"swot-entry-{entry.pk}-edit"]


def test_an_empty_edit_in_place_shows_the_error_and_keeps_the_entry(
    client: Client, member: User, meeting: Meeting
) -> None:
    entry = add_entry(meeting, member, "Mój wpis")
    english(client).force_login(member)
    response = client.post(
        reverse("swot:entry-edit", args=[entry.pk]),
        {"quadrant": "S", "text": "", "version": entry.version},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "This field is required." in body
    assert f'hx-post="/swot-entries/{entry.pk}/edit/"' in body  # the form stays open
    assert _focus(body) == [f"id_entry-{entry.pk}-text"]
    entry.refresh_from_db()
    assert (entry.text, entry.version) == ("Mój wpis", 1)


def test_a_concurrent_edit_in_place_shows_both_texts_and_saves_nothing(
    client: Client, moderator: User, coordinator: User, member: User, meeting: Meeting
) -> None:
    entry = add_entry(meeting, member, "Tekst pierwotny")
    url = reverse("swot:entry-edit", args=[entry.pk])
    loaded = entry.version
    client.force_login(moderator)
    client.post(url, {"quadrant": "S", "text": "Wersja moderatora", "version": loaded}, headers=HX)
    second = english(Client())
    second.force_login(coordinator)
    response = second.post(
        url, {"quadrant": "W", "text": "Wersja koordynatora", "version": loaded}, headers=HX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved first" in body
    assert "Wersja moderatora" in body
    assert "Wersja koordynatora" in body
    assert 'role="alert"' in body
    assert _focus(body) == [f"swot-entry-{entry.pk}-conflict"]
    entry.refresh_from_db()
    assert (entry.text, entry.version) == ("Wersja moderatora", 2)
    # The inline form is re-armed at the current version: saving again deliberately works.
    assert f'name="version" value="{entry.version}"' in body
    again = second.post(
        url, {"quadrant": "W", "text": "Wersja koordynatora", "version": entry.version}, headers=HX
    )
    assert "The entry has been saved." in again.content.decode()
    entry.refresh_from_db()
    assert entry.text == "Wersja koordynatora"


def test_an_entry_merged_while_its_form_was_open_shows_the_conflict_without_a_form(
    client: Client,
    moderator: User,
    coordinator: User,
    member: User,
    meeting: Meeting,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry = add_entry(meeting, member, "Duplikat")
    target = add_entry(meeting, member, "Oryginał")
    # This request read the entry just before another moderator merged it (the race that the
    # access helper cannot see): it keeps the object as it was read.
    stale = SwotEntry.objects.get(pk=entry.pk)
    services.swot_entry_merge(
        actor=coordinator, entry=entry, into=target, expected_version=entry.version
    )
    monkeypatch.setattr("swot.access.get_entry_to_edit", lambda user, pk: stale)
    english(client).force_login(moderator)
    response = client.post(
        reverse("swot:entry-edit", args=[entry.pk]),
        {"quadrant": "S", "text": "Duplikat poprawiony", "version": 1},
        headers=HX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved first" in body
    assert "Oryginał" in body  # merged into
    assert f'hx-post="/swot-entries/{entry.pk}/edit/"' not in body
    entry.refresh_from_db()
    assert (entry.text, entry.merged_into) == ("Duplikat", target)


# --- Merging and moving --------------------------------------------------------------------


def test_a_merge_in_place_moves_the_duplicate_to_the_record_and_focuses_the_kept_entry(
    client: Client, moderator: User, member: User, meeting: Meeting
) -> None:
    entry = add_entry(meeting, member, "Duplikat")
    target = add_entry(meeting, member, "Oryginał")
    english(client).force_login(moderator)
    url = reverse("swot:entry-merge", args=[entry.pk])
    form = client.get(url, headers=HX).content.decode()
    assert "Merge a duplicate SWOT entry" in form
    assert _focus(form) == [f"id_entry-{entry.pk}-into"]
    assert f'<option value="{target.pk}">Strengths: Oryginał</option>' in form  # its quadrant
    response = client.post(url, {"into": target.pk, "version": entry.version}, headers=HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 entry merged into another" in body
    assert _status(body, entry.topic_id) == "The entries have been merged."
    assert _focus(body) == [f"swot-entry-{target.pk}-edit"]
    entry.refresh_from_db()
    assert entry.merged_into == target


def test_a_merge_without_a_choice_shows_the_error_and_merges_nothing(
    client: Client, moderator: User, member: User, meeting: Meeting
) -> None:
    entry = add_entry(meeting, member, "Duplikat")
    add_entry(meeting, member, "Oryginał")
    english(client).force_login(moderator)
    response = client.post(
        reverse("swot:entry-merge", args=[entry.pk]),
        {"into": "", "version": entry.version},
        headers=HX,
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not SwotEntry.objects.filter(merged_into__isnull=False).exists()


def test_a_merge_after_an_edit_meanwhile_shows_the_conflict_in_place(
    client: Client, moderator: User, coordinator: User, member: User, meeting: Meeting
) -> None:
    entry = add_entry(meeting, member, "Duplikat")
    target = add_entry(meeting, member, "Oryginał")
    loaded = entry.version
    services.swot_entry_edit(
        actor=coordinator,
        entry=entry,
        text="Duplikat poprawiony",
        quadrant="S",
        expected_version=loaded,
    )
    english(client).force_login(moderator)
    response = client.post(
        reverse("swot:entry-merge", args=[entry.pk]),
        {"into": target.pk, "version": loaded},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved first" in body
    assert "Duplikat poprawiony" in body
    assert f'hx-post="/swot-entries/{entry.pk}/merge/"' in body
    entry.refresh_from_db()
    assert entry.merged_into is None


def test_a_move_in_place_keeps_the_focus_on_a_move_button_of_the_entry(
    client: Client, moderator: User, member: User, meeting: Meeting
) -> None:
    first = add_entry(meeting, member, "Pierwszy")
    second = add_entry(meeting, member, "Drugi")
    third = add_entry(meeting, member, "Trzeci")
    english(client).force_login(moderator)
    url = reverse("swot:entry-move", args=[third.pk])
    body = client.post(url, {"direction": "up"}, headers=HX).content.decode()
    assert body.index("Trzeci") < body.index("Drugi")
    assert _status(body, first.topic_id) == "Moved up."
    assert _focus(body) == [f"swot-entry-{third.pk}-up"]
    # At the top there is no "up" any more: the focus goes to "down".
    body = client.post(url, {"direction": "up"}, headers=HX).content.decode()
    assert body.index("Trzeci") < body.index("Pierwszy")
    assert f'id="swot-entry-{third.pk}-up"' not in body
    assert _focus(body) == [f"swot-entry-{third.pk}-down"]
    assert list(SwotEntry.objects.order_by("position").values_list("text", flat=True)) == [
        "Trzeci",
        "Pierwszy",
        "Drugi",
    ]
    assert second.pk  # unchanged entries keep their ids
    # Without JavaScript the page comes back at the entry, and says what was done too.
    page = client.post(url, {"direction": "down"}, follow=True).content.decode()
    assert "Moved down." in page


# --- Refusals ------------------------------------------------------------------------------


def _reader(meeting: Meeting) -> User:
    """In the team, but representing no verified organisation: reads, does not add."""
    reader = User.objects.create_user("reader@example.org", "x")
    Membership.objects.create(user=reader, team=meeting.team, status=Membership.Status.APPROVED)
    return reader


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
@pytest.mark.parametrize(
    ("who", "status"),
    [("outsider", 403), ("reader", 403), ("other_moderator", 403)],
)
def test_an_add_by_someone_who_may_not_is_refused_alike_with_or_without_htmx(
    client: Client, meeting: Meeting, who: str, status: int, headers: dict[str, str]
) -> None:
    user = {"outsider": outsider, "other_moderator": other_moderator}.get(who)
    client.force_login(user() if user else _reader(meeting))
    response = client.post(
        reverse("swot:entry-add", args=[topic_of(meeting).pk]),
        _add_data(meeting, "Wpis"),
        headers=headers,
    )
    assert response.status_code == status
    assert not SwotEntry.objects.exists()


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_a_member_cannot_open_merge_move_or_edit_others_entries_with_htmx_either(
    client: Client, member: User, moderator: User, meeting: Meeting, headers: dict[str, str]
) -> None:
    entry = add_entry(meeting, moderator, "Wpis moderatora")
    target = add_entry(meeting, moderator, "Drugi wpis")
    client.force_login(member)
    assert (
        client.get(reverse("swot:entry-merge", args=[entry.pk]), headers=headers).status_code == 404
    )
    assert (
        client.get(reverse("swot:entry-edit", args=[entry.pk]), headers=headers).status_code == 404
    )
    response = client.post(
        reverse("swot:entry-merge", args=[entry.pk]),
        {"into": target.pk, "version": 1},
        headers=headers,
    )
    assert response.status_code == 404
    response = client.post(
        reverse("swot:entry-move", args=[target.pk]), {"direction": "up"}, headers=headers
    )
    assert response.status_code == 404
    entry.refresh_from_db()
    assert (entry.merged_into, entry.text) == (None, "Wpis moderatora")
    assert list(SwotEntry.objects.order_by("position", "pk").values_list("pk", flat=True)) == [
        entry.pk,
        target.pk,
    ]


def test_an_add_after_the_workspace_closed_is_refused_with_htmx_too(
    client: Client, member: User, meeting: Meeting
) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
    client.force_login(member)
    response = client.post(
        reverse("swot:entry-add", args=[topic_of(meeting).pk]),
        _add_data(meeting, "Spóźniony wpis"),
        headers=HX,
    )
    assert response.status_code == 403
    assert not SwotEntry.objects.exists()


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_an_add_the_service_refuses_after_the_view_let_it_through_is_403_too(
    client: Client,
    member: User,
    meeting: Meeting,
    headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The view read the workspace open; the service, in its transaction, reads it closed
    (``core.errors.Refused``): the answer is the same 403, with or without htmx."""
    monkeypatch.setattr("teams.meeting_permissions.can_add_entries", lambda user, meeting: True)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
    client.force_login(member)
    response = client.post(
        reverse("swot:entry-add", args=[topic_of(meeting).pk]),
        _add_data(meeting, "Spóźniony wpis"),
        headers=headers,
    )
    assert response.status_code == 403
    assert not SwotEntry.objects.exists()


def test_the_workspace_page_wires_the_forms_for_htmx_and_keeps_them_working_without(
    client: Client, moderator: User, member: User, meeting: Meeting
) -> None:
    entry = add_entry(meeting, member, "Wpis")
    add_entry(meeting, member, "Drugi")
    topic = topic_of(meeting)
    client.force_login(moderator)
    body = client.get(reverse("teams:meeting-workspace", args=[meeting.pk])).content.decode()
    # Every htmx control is also a plain form or link to the same URL.
    assert f'action="/swot-topics/{topic.pk}/entries/"' in body
    assert f'hx-post="/swot-topics/{topic.pk}/entries/"' in body
    assert f'href="/swot-entries/{entry.pk}/edit/"' in body
    assert f'hx-get="/swot-entries/{entry.pk}/edit/"' in body
    assert f'action="/swot-entries/{entry.pk}/move/"' in body
    assert f'hx-post="/swot-entries/{entry.pk}/move/"' in body
    assert f'<div id="swot-status-{topic.pk}" role="status"></div>' in body
    assert "autofocus" not in body  # only fragments move the focus
