"""The programme draft: the working copy, its editing services and versions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action
from core.errors import ConflictError, Refused
from demo.drafts import seed_programme_draft
from drafts import services as draft_services
from drafts.models import DraftElement, DraftParagraph, DraftVersion, ProgrammeDraft
from teams.models import Meeting, User
from tests.confirm import CONFIRMED

pytestmark = pytest.mark.django_db


def draft_of(meeting: Meeting) -> ProgrammeDraft:
    return ProgrammeDraft.objects.get(programme=meeting.team.programme)


def test_seed_demo_creates_version_1_with_the_12_chapters_in_statutory_order(
    seeded: Meeting,
) -> None:
    draft = draft_of(seeded)
    version = draft.versions.get()
    assert version.number == 1
    sections = version.snapshot["sections"]
    assert [s["element"] for s in sections] == list(range(12))
    assert sections[0]["title"] == "Preambuła"
    assert sections[5]["title"] == "Priorytetowe zadania publiczne"
    assert sections[11]["title"].startswith("Tryb powoływania")


def test_seed_links_the_18_actions_into_the_priority_tasks_chapter(seeded: Meeting) -> None:
    snapshot = draft_of(seeded).versions.get().snapshot
    actions = snapshot["sections"][DraftElement.PRIORITY_TASKS]["actions"]
    assert [a["number"] for a in actions] == list(range(1, 19))
    first = Action.objects.get(meeting=seeded, number=1)
    assert actions[0]["text"] == first.text


def test_seed_programme_draft_is_idempotent(seeded: Meeting) -> None:
    draft = draft_of(seeded)
    paragraphs = DraftParagraph.objects.filter(section__draft=draft).count()
    seed_programme_draft(programme=draft.programme, meeting=seeded)
    assert DraftVersion.objects.filter(draft=draft).count() == 1
    assert DraftParagraph.objects.filter(section__draft=draft).count() == paragraphs


def test_paragraphs_are_numbered_continuously_after_the_unnumbered_preamble(
    seeded: Meeting,
) -> None:
    sections = draft_of(seeded).versions.get().snapshot["sections"]
    assert all("number" not in p for p in sections[0]["paragraphs"])
    numbers = [p["number"] for s in sections[1:] for p in s["paragraphs"]]
    assert numbers == list(range(1, len(numbers) + 1))


def test_a_version_is_frozen_when_the_working_copy_changes(
    seeded: Meeting, coordinator: User
) -> None:
    draft = draft_of(seeded)
    paragraph = DraftParagraph.objects.filter(section__draft=draft).first()
    assert paragraph is not None
    before = draft.versions.get().snapshot
    draft_services.paragraph_edit(
        actor=coordinator, paragraph=paragraph, text="Nowy tekst.", version=paragraph.version
    )
    assert draft.versions.get().snapshot == before
    version_2 = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    assert version_2.number == 2
    texts = [p["text"] for s in version_2.snapshot["sections"] for p in s["paragraphs"]]
    assert "Nowy tekst." in texts


def test_the_uid_survives_an_edit(seeded: Meeting, coordinator: User) -> None:
    paragraph = DraftParagraph.objects.filter(section__draft=draft_of(seeded)).first()
    assert paragraph is not None
    uid = paragraph.uid
    edited = draft_services.paragraph_edit(
        actor=coordinator, paragraph=paragraph, text="Zmiana.", version=paragraph.version
    )
    assert edited.uid == uid


def test_a_stale_edit_is_refused_and_the_first_edit_kept(
    seeded: Meeting, coordinator: User
) -> None:
    paragraph = DraftParagraph.objects.filter(section__draft=draft_of(seeded)).first()
    assert paragraph is not None
    seen = paragraph.version
    draft_services.paragraph_edit(actor=coordinator, paragraph=paragraph, text="A.", version=seen)
    with pytest.raises(ConflictError):
        draft_services.paragraph_edit(
            actor=coordinator, paragraph=paragraph, text="B.", version=seen
        )
    paragraph.refresh_from_db()
    assert paragraph.text == "A."


def test_an_empty_paragraph_is_refused_and_nothing_stored(
    seeded: Meeting, coordinator: User
) -> None:
    section = draft_of(seeded).sections.get(element=DraftElement.SCOPE)
    count = section.paragraphs.count()
    with pytest.raises(Refused):
        draft_services.paragraph_add(actor=coordinator, section=section, text="   ")
    assert section.paragraphs.count() == count


def test_moving_a_paragraph_up_swaps_it_with_its_neighbour(
    seeded: Meeting, coordinator: User
) -> None:
    section = draft_of(seeded).sections.get(element=DraftElement.SCOPE)
    second = draft_services.paragraph_add(actor=coordinator, section=section, text="Drugi.")
    draft_services.paragraph_move(actor=coordinator, paragraph=second, up=True)
    assert (
        list(section.paragraphs.order_by("position", "pk").values_list("text", flat=True))[0]
        == "Drugi."
    )


def test_actions_cannot_be_linked_into_the_goals_chapter(
    seeded: Meeting, coordinator: User
) -> None:
    section = draft_of(seeded).sections.get(element=DraftElement.GOALS)
    with pytest.raises(Refused):
        draft_services.section_link(
            actor=coordinator, section=section, goals=[], actions=[seeded.actions.first()]
        )


def test_actions_of_an_unpublished_meeting_cannot_be_linked(
    seeded: Meeting, coordinator: User
) -> None:
    section = draft_of(seeded).sections.get(element=DraftElement.PRIORITY_TASKS)
    Meeting.objects.filter(pk=seeded.pk).update(status=Meeting.Status.DRAFT)
    with pytest.raises(Refused):
        draft_services.section_link(
            actor=coordinator, section=section, goals=[], actions=list(seeded.actions.all())
        )


# --- Views ---------------------------------------------------------------------------------


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("persona", [None, "member", "moderator", "expert", "official"])
def test_only_the_coordinating_team_sees_the_working_copy(
    request: pytest.FixtureRequest, seeded: Meeting, persona: str | None
) -> None:
    client = Client()
    if persona:
        client.force_login(request.getfixturevalue(persona))
    draft = draft_of(seeded)
    assert client.get(reverse("drafts:draft-edit", args=[draft.pk])).status_code == 404
    section = draft.sections.get(element=DraftElement.SCOPE)
    response = client.post(reverse("drafts:paragraph-add", args=[section.pk]), {"text": "X"})
    assert response.status_code == 404
    assert not section.paragraphs.filter(text="X").exists()


def test_a_paragraph_too_long_or_empty_is_refused_with_its_reason_and_the_text_shown_back(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    """Only a form sent around the browser's limit (no JavaScript, a pasted text past
    ``maxlength`` in an old browser, a direct POST) gets here: what was typed is not lost."""
    client.force_login(coordinator)
    english(client)
    section = draft_of(seeded).sections.get(element=DraftElement.FUNDS)
    url = reverse("drafts:paragraph-add", args=[section.pk])
    long_text = "Bardzo długi akapit <b>o środkach</b>. " * 400  # over 10,000 characters
    response = client.post(url, {"text": long_text})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Ensure this value has at most 10000 characters" in body
    assert "Bardzo długi akapit &lt;b&gt;o środkach&lt;/b&gt;." in body  # escaped, to copy
    assert not section.paragraphs.filter(text__startswith="Bardzo długi").exists()
    response = client.post(url, {"text": "   "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_coordinator_adds_a_paragraph_and_publishes_version_2(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    client.force_login(coordinator)
    english(client)
    draft = draft_of(seeded)
    assert client.get(reverse("drafts:draft-edit", args=[draft.pk])).status_code == 200
    section = draft.sections.get(element=DraftElement.FUNDS)
    response = client.post(
        reverse("drafts:paragraph-add", args=[section.pk]), {"text": "Środki: 1 000 000 zł."}
    )
    assert response.status_code == 302
    # The editor's Publish button leads to the confirmation page, with the note typed there.
    confirm_url = reverse("drafts:draft-publish-confirm", args=[draft.pk])
    confirm = client.get(confirm_url, {"note": "Fundusze"})
    body = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Yes, publish version 2" in body and "Fundusze" in body
    assert not draft.versions.filter(number=2).exists()
    # A POST without the confirmation (an old one-click form, a forged request) publishes nothing.
    unconfirmed = client.post(reverse("drafts:draft-publish", args=[draft.pk]), {"note": "x"})
    assert unconfirmed["Location"] == confirm_url
    assert not draft.versions.filter(number=2).exists()
    response = client.post(
        reverse("drafts:draft-publish", args=[draft.pk]), {**CONFIRMED, "note": "Fundusze"}
    )
    version = draft.versions.get(number=2)
    assert version.note == "Fundusze"
    assert response.status_code == 302
    assert response["Location"] == version.get_absolute_url()
    page = client.get(version.get_absolute_url())
    assert "Środki: 1 000 000 zł." in page.content.decode()


def test_the_same_confirmation_sent_twice_publishes_one_version(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    """Two tabs, a double click or the back button: the confirmation named version 2, so the
    second sending finds it taken, publishes nothing and says why."""
    client.force_login(coordinator)
    english(client)
    draft = draft_of(seeded)
    confirm = client.get(reverse("drafts:draft-publish-confirm", args=[draft.pk]))
    assert 'name="number" value="2"' in confirm.content.decode()
    sent = {**CONFIRMED, "note": "Druga", "number": "2"}
    url = reverse("drafts:draft-publish", args=[draft.pk])
    assert client.post(url, sent)["Location"] == draft.versions.get(number=2).get_absolute_url()
    again = client.post(url, sent, follow=True)
    assert "Version 2 has already been published" in again.content.decode()
    assert list(draft.versions.values_list("number", flat=True).order_by("number")) == [1, 2]
    with pytest.raises(ConflictError):
        draft_services.draft_version_publish(actor=coordinator, draft=draft, number=2)


def test_a_stale_edit_through_the_page_is_refused_with_a_message(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    client.force_login(coordinator)
    english(client)
    paragraph = DraftParagraph.objects.filter(section__draft=draft_of(seeded)).first()
    assert paragraph is not None
    url = reverse("drafts:paragraph-edit", args=[paragraph.pk])
    seen = paragraph.version
    assert client.post(url, {"text": "Pierwsza.", "version": seen}).status_code == 302
    response = client.post(url, {"text": "Druga.", "version": seen})
    assert response.status_code == 400
    assert "Someone else changed this paragraph" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.text == "Pierwsza."


def test_published_versions_are_public(client: Client, seeded: Meeting) -> None:
    version = draft_of(seeded).versions.get()
    assert client.get(version.get_absolute_url()).status_code == 200
    assert client.get(reverse("drafts:draft-list")).status_code == 200


def test_user_text_in_a_paragraph_is_escaped_on_the_version_page(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    draft = draft_of(seeded)
    section = draft.sections.get(element=DraftElement.SCOPE)
    draft_services.paragraph_add(actor=coordinator, section=section, text="<script>x()</script>")
    version = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    body = client.get(version.get_absolute_url()).content.decode()
    assert "<script>x()</script>" not in body
    assert "&lt;script&gt;x()&lt;/script&gt;" in body


def test_the_draft_list_links_published_reports_and_their_pdf(
    client: Client, seeded: Meeting
) -> None:
    from consultations.models import Round
    from consultations.phases import Phase

    round_ = Round.objects.filter(status=Phase.REPORT_PUBLISHED).first()
    assert round_ is not None  # seed_demo publishes one report
    body = client.get(reverse("drafts:draft-list")).content.decode()
    assert reverse("drafts:round-report-pdf", args=[round_.pk]) in body


def test_compare_versions_is_offered_once_there_are_two(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    """With one version there is nothing to compare it with."""
    english(client)
    draft = draft_of(seeded)
    assert draft.versions.count() == 1
    compare = reverse("drafts:version-compare", args=[draft.pk])
    assert compare not in client.get("/programme-draft/").content.decode()
    draft_services.draft_version_publish(actor=coordinator, draft=draft)
    assert compare in client.get("/programme-draft/").content.decode()
