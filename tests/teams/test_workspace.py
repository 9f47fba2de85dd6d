"""The workspace's one view model of an item's controls (teams.workspace.Controls → Row), the
same for SWOT entries, goals and actions: who gets Edit, where the move buttons are, which
control takes the focus after a move, and which row holds the form open in place."""

from __future__ import annotations

from types import SimpleNamespace

from django import forms

from actions.views import ACTION, GOAL
from swot.views import ENTRY
from teams.workspace import Controls, Focus, InlineForm, Kind, StepTexts


def _items(*authors: int | None) -> list[SimpleNamespace]:
    return [SimpleNamespace(pk=pk, author_id=author) for pk, author in enumerate(authors, 1)]


def _inline(kind: Kind, pk: int, *, detached: bool = False) -> InlineForm:
    texts = StepTexts(heading="", action_url="", submit_label="")
    return InlineForm(kind, pk, "edit", forms.Form(), texts, "", detached=detached)


def test_a_participant_edits_their_own_items_and_a_moderator_every_one() -> None:
    items = _items(7, 8, None)
    participant = Controls(user_pk=7, can_add=True, can_moderate=False)
    assert [row.can_edit for row in participant.rows(ENTRY, items)] == [True, False, False]
    closed = Controls(user_pk=7, can_add=False, can_moderate=False)
    assert [row.can_edit for row in closed.rows(GOAL, items)] == [False, False, False]
    moderator = Controls(user_pk=9, can_add=True, can_moderate=True)
    rows = moderator.rows(ACTION, items)
    assert [row.can_edit for row in rows] == [True, True, True]
    assert [[move.direction for move in row.moves] for row in rows] == [
        ["down"],  # the first: no "up"
        ["up", "down"],
        ["up"],  # the last: no "down"
    ]


def test_after_a_move_the_focus_stays_on_a_move_button_that_is_still_there() -> None:
    items = _items(1, 1, 1)

    def focus(kind: Kind, pk: int, control: str) -> list[str]:
        moved = Focus(kind, pk, control)
        controls = Controls(user_pk=1, can_add=True, can_moderate=True, focus=moved)
        return [row.focus for row in controls.rows(ENTRY, items)]

    assert focus(ENTRY, 2, "up") == ["", "up", ""]
    assert focus(ENTRY, 1, "up") == ["down", "", ""]  # at the top: no "up" any more
    assert focus(ENTRY, 3, "down") == ["", "", "up"]  # at the bottom: no "down"
    assert focus(ENTRY, 2, "edit") == ["", "edit", ""]
    assert focus(GOAL, 2, "up") == ["", "", ""]  # a goal with the same pk is another item
    alone = Controls(user_pk=1, can_add=True, can_moderate=True, focus=Focus(ENTRY, 1, "up"))
    assert [row.focus for row in alone.rows(ENTRY, _items(1))] == [""]


def test_the_form_opens_in_place_of_its_own_item_only() -> None:
    items = _items(1, 1)
    editing = _inline(GOAL, 2)
    controls = Controls(user_pk=1, can_add=True, can_moderate=True, editing=editing)
    assert [row.editing for row in controls.rows(GOAL, items)] == [None, editing]
    assert [row.editing for row in controls.rows(ACTION, items)] == [None, None]
    gone = _inline(GOAL, 2, detached=True)
    detached = Controls(user_pk=1, can_add=True, can_moderate=True, editing=gone)
    assert [row.editing for row in detached.rows(GOAL, items)] == [None, None]


def test_each_kind_names_its_controls_and_urls_alike() -> None:
    entry = SimpleNamespace(pk=5, author_id=1, text="Wpis")
    goal = SimpleNamespace(pk=5, author_id=1, title="Cel", proposed_solutions="Jedno\nDrugie")
    controls = Controls(user_pk=1, can_add=True, can_moderate=True)
    (entry_row,) = controls.rows(ENTRY, [entry])
    (goal_row,) = controls.rows(GOAL, [goal])
    assert (entry_row.element, entry_row.label) == ("swot-entry-5", "Wpis")
    assert (entry_row.edit_url, entry_row.merge_url, entry_row.move_url) == (
        "/swot-entries/5/edit/",
        "/swot-entries/5/merge/",
        "/swot-entries/5/move/",
    )
    assert (goal_row.element, goal_row.label) == ("goal-5", "Cel")
    assert goal_row.move_url == "/goals/5/move/"
    assert GOAL.text_of(goal) == "Cel\nJedno\nDrugie"  # what a conflict shows
    assert GOAL.text({"into": goal}) == ""  # a merge form has no text of its own
