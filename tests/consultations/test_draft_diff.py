"""Comparing versions of the programme draft: matched by uid, word-level marks, escaping."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from drafts import services as draft_services
from drafts.diff import compare, word_diff
from drafts.models import DraftElement, DraftParagraph, ProgrammeDraft
from teams.models import Meeting, User

from .conftest import english


def snapshot(*paragraphs: tuple[str, str], element: int = 1) -> dict:
    return {
        "title": "T",
        "sections": [
            {
                "element": element,
                "numeral": "I",
                "title": "Cele",
                "paragraphs": [
                    {"uid": uid, "text": text, "number": n}
                    for n, (uid, text) in enumerate(paragraphs, start=1)
                ],
                "goals": [],
                "actions": [],
            }
        ],
    }


def test_word_diff_marks_only_the_changed_words() -> None:
    parts = word_diff("Miasto wspiera organizacje", "Miasto aktywnie wspiera organizacje")
    assert "<ins>" in parts["inline"] and "aktywnie" in parts["inline"]
    assert "<del>" not in parts["inline"]
    assert parts["inline"].startswith("Miasto ")
    assert "<ins>" not in parts["old"]


def test_word_diff_marks_are_not_told_by_colour_alone() -> None:
    with translation.override("en"):
        parts = word_diff("a b", "a c")
    assert '<span class="visually-hidden">[removed: </span>b' in parts["inline"]
    assert '<span class="visually-hidden">[added: </span>c' in parts["inline"]


def test_word_diff_escapes_user_text() -> None:
    parts = word_diff("<b>x</b>", '<img src="file:///etc/passwd">')
    assert "<img" not in parts["inline"]
    assert "&lt;img" in parts["inline"]
    assert "<b>" not in parts["inline"]


def test_paragraphs_are_matched_by_uid_even_when_moved() -> None:
    old = snapshot(("a", "Pierwszy."), ("b", "Drugi."))
    new = snapshot(("b", "Drugi."), ("a", "Pierwszy zmieniony."))
    rows = compare(old, new)[0].rows
    assert [(r.key, r.status) for r in rows] == [("b", "same"), ("a", "changed")]


def test_added_and_removed_paragraphs_are_reported() -> None:
    old = snapshot(("a", "Stary."))
    new = snapshot(("b", "Nowy."))
    rows = compare(old, new)[0].rows
    assert {(r.key, r.status) for r in rows} == {("b", "added"), ("a", "removed")}
    removed = next(r for r in rows if r.status == "removed")
    assert "<del>" in removed.inline


def test_a_linked_action_that_changed_is_shown_as_changed() -> None:
    old = snapshot()
    new = snapshot()
    old["sections"][0]["actions"] = [{"key": "action:1", "team": "T", "number": 1, "text": "a"}]
    new["sections"][0]["actions"] = [{"key": "action:1", "team": "T", "number": 1, "text": "b"}]
    assert [r.status for r in compare(old, new)[0].rows] == ["changed"]


@pytest.mark.django_db
@pytest.mark.parametrize("layout", ["side", "inline"])
def test_compare_page_shows_word_changes_between_two_published_versions(
    client: Client, seeded: Meeting, coordinator: User, layout: str
) -> None:
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    paragraph = DraftParagraph.objects.filter(
        section__draft=draft, section__element=DraftElement.PRINCIPLES
    ).get()
    draft_services.paragraph_edit(
        actor=coordinator,
        paragraph=paragraph,
        text=paragraph.text.replace("jawności", "jawności oraz <przejrzystości>"),
        version=paragraph.version,
    )
    v2 = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    v1 = draft.versions.get(number=1)
    client.cookies["django_language"] = "en"
    response = client.get(
        reverse("drafts:version-compare", args=[draft.pk]),
        {"old": v1.pk, "new": v2.pk, "layout": layout},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 change." in body
    assert "oraz &lt;przejrzystości&gt;" in body
    assert "<ins>" in body


@pytest.mark.django_db
def test_compare_page_with_a_foreign_version_id_falls_back_to_the_latest(
    client: Client, seeded: Meeting
) -> None:
    en_client = english(client)
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    response = en_client.get(
        reverse("drafts:version-compare", args=[draft.pk]), {"old": 99999, "new": 99998}
    )
    assert response.status_code == 200
    assert "the latest two are compared instead" in response.content.decode()
    plain = en_client.get(reverse("drafts:version-compare", args=[draft.pk]))
    assert "compared instead" not in plain.content.decode()
    layout = en_client.get(reverse("drafts:version-compare", args=[draft.pk]), {"layout": "x"})
    assert "compared instead" not in layout.content.decode()
