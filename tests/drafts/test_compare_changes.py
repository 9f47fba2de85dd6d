"""A comparison that fits a screen (issue 15, item 5): only the changed paragraphs by default,
each under its chapter, and items of one team's several meetings told apart by date."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from drafts import services as draft_services
from drafts.diff import compare
from drafts.models import DraftElement, DraftParagraph, ProgrammeDraft
from teams.models import Meeting, User


def action(key: str, team: str, date: str | None, number: int, text: str) -> dict:
    item = {"key": key, "team": team, "number": number, "text": text}
    if date is not None:
        item["meeting_date"] = date
    return item


def snapshot(actions: list[dict]) -> dict:
    return {
        "title": "T",
        "sections": [
            {
                "element": 5,
                "numeral": "V",
                "title": "Priorytetowe zadania publiczne",
                "paragraphs": [],
                "goals": [],
                "actions": actions,
            }
        ],
    }


def test_items_of_one_teams_several_meetings_are_labelled_with_the_meetings_date() -> None:
    new = snapshot(
        [
            action("action:1", "Zespół A", "2011-07-06", 1, "Pierwsze."),
            action("action:2", "Zespół A", "2011-09-14", 1, "Drugie."),
            action("action:3", "Zespół B", "2011-07-07", 1, "Trzecie."),
        ]
    )
    with translation.override("pl"):
        labels = [row.new_label for row in compare(snapshot([]), new)[0].rows]
    assert labels[0] == "Zespół A, spotkanie z 6 lipca 2011: 1."
    assert labels[1] == "Zespół A, spotkanie z 14 września 2011: 1."
    assert labels[2] == "Zespół B: 1."  # one meeting: nothing to tell apart


def test_an_older_snapshot_without_dates_keeps_its_labels() -> None:
    old = snapshot([action("action:1", "Zespół A", None, 1, "Pierwsze.")])
    assert compare(old, old)[0].rows[0].old_label == "Zespół A: 1."


@pytest.mark.django_db
def test_a_version_freezes_the_meeting_date_of_linked_items(seeded: Meeting) -> None:
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    chapter = next(s for s in draft_services.draft_snapshot(draft)["sections"] if s["element"] == 5)
    assert chapter["actions"]
    assert {a["meeting_date"] for a in chapter["actions"]} == {"2011-07-06"}


@pytest.mark.django_db
def test_the_comparison_shows_only_the_changed_paragraphs_unless_asked_for_all(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    paragraph = DraftParagraph.objects.get(
        section__draft=draft, section__element=DraftElement.PRINCIPLES
    )
    unchanged = DraftParagraph.objects.filter(section__draft=draft).exclude(pk=paragraph.pk)[0]
    draft_services.paragraph_edit(
        actor=coordinator,
        paragraph=paragraph,
        text=paragraph.text + " Zmienione.",
        version=paragraph.version,
    )
    v2 = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    v1 = draft.versions.get(number=1)
    client.cookies["django_language"] = "en"
    url = reverse("drafts:version-compare", args=[draft.pk])
    body = client.get(url, {"old": v1.pk, "new": v2.pk}).content.decode()
    assert "Zmienione." in body
    assert f'id="p-{paragraph.uid}"' in body
    assert paragraph.section.title in body  # the context: its chapter
    assert unchanged.text[:40] not in body
    assert "Only the changed paragraphs are shown" in body
    whole = client.get(url, {"old": v1.pk, "new": v2.pk, "changes": "all"}).content.decode()
    assert unchanged.text[:40] in whole


@pytest.mark.django_db
def test_the_comparison_of_identical_versions_says_so(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    v1 = draft.versions.get(number=1)
    client.cookies["django_language"] = "en"
    body = client.get(
        reverse("drafts:version-compare", args=[draft.pk]), {"old": v1.pk, "new": v1.pk}
    ).content.decode()
    assert "No paragraph changed between these versions." in body
