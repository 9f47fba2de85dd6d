"""The full programme draft and the consultation reports as PDFs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from actions.models import Action
from consultations import services
from consultations.models import AuthorRole, Comment, Round
from consultations.phases import Phase
from documents.programme import (
    programme_annexes,
    programme_version_document,
    programme_working_copy_document,
)
from drafts import services as draft_services
from drafts.models import DraftElement, ProgrammeDraft
from pdf import render as pdf_render
from pdf import watermark as pdf_watermark
from swot.models import SwotEntry
from teams.models import Meeting, Representation, User
from tests.seeds import annex_3_actions, fold

from .helpers import Download, pdf_all_bytes, pdf_text, pdf_words, poppler_text

pytestmark = pytest.mark.django_db

ATTACKS = [
    '<img src="file:///etc/passwd">',
    '<a rel="attachment" href="file:///etc/passwd">passwd</a>',
]


def draft_of(meeting: Meeting) -> ProgrammeDraft:
    return ProgrammeDraft.objects.get(programme=meeting.team.programme)


def pdf_pages(pdf: bytes) -> list[list[str]]:
    """Each page's non-blank lines, stripped, as pdftotext reads them (a form feed ends each
    page)."""
    pages = poppler_text(pdf).split("\f")[:-1]
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]


def test_programme_pdf_has_title_page_contents_and_the_11_elements_in_order(
    download: Download, client: Client, seeded: Meeting
) -> None:
    # A draft: its "PROJEKT" watermark is outlines, not text mixed into the lines.
    version = draft_of(seeded).versions.get()
    pdf = download(client, reverse("drafts:version-pdf", args=[version.pk]))
    text = pdf_text(pdf)
    assert text.startswith("Załącznik do uchwały Nr … Rady Miasta Krakowa z dnia …")
    titles = [s["title"] for s in version.snapshot["sections"]]
    # Each title appears twice: in the table of contents and as the chapter's heading.
    contents_end = 0
    for title in titles:
        contents_end = text.index(fold(title), contents_end) + 1
    position = contents_end
    for title in titles:
        position = text.index(fold(title), position) + 1
    assert "§ 1." in text
    # The running header on the pages after the title page: the title, then the version on a
    # line of its own, whole (after a long title it used to wrap mid-date: "5 / grudnia").
    lines = [line.strip() for line in poppler_text(pdf).splitlines()]
    label = lines[lines.index(fold(version.snapshot["title"])) + 1 :][0]
    assert label.startswith("wersja ") and label[-4:].isdigit(), label
    assert lines.count(label) >= 3, label  # the title page, then the header of later pages
    assert "Page 1 of" in text or "Strona 1 z" in text


def test_programme_pdf_is_marked_as_a_draft_until_adopted(seeded: Meeting) -> None:
    version = draft_of(seeded).versions.get()
    document = programme_version_document(str(version.pk))
    assert document.draft
    # The renderer gets the outlines of the word in the document's language (pl).
    watermark = pdf_watermark.watermark_data_url("PROJEKT")
    assert watermark in pdf_render.document_html(document)
    version.adopted = True
    version.save()
    adopted = programme_version_document(str(version.pk))
    assert not adopted.draft
    assert watermark not in pdf_render.document_html(adopted)


def test_programme_pdf_annex_has_the_18_actions_in_order(
    download: Download, client: Client, seeded: Meeting
) -> None:
    version = draft_of(seeded).versions.get()
    version.adopted = True
    version.save()
    text = pdf_text(download(client, reverse("drafts:version-pdf", args=[version.pk])))
    annex = text[text.index("POSTULOWANE DZIAŁANIA") :]
    position = 0
    for action in annex_3_actions():
        position = annex.index(fold(action)[:60], position) + 1


def test_programme_pdf_with_line_numbers_is_another_file_with_the_numbers(
    download: Download, client: Client, seeded: Meeting
) -> None:
    version = draft_of(seeded).versions.get()
    url = reverse("drafts:version-pdf", args=[version.pk])
    version.adopted = True
    version.save()
    plain = download(client, url)
    numbered = download(client, url + "?lines=1")
    assert plain != numbered
    assert "43 44 45" in pdf_text(numbered)
    assert "43 44 45" not in pdf_text(plain)


def test_programme_pdf_annexes_heading_shares_its_page_with_the_first_annex(
    download: Download, client: Client, seeded: Meeting
) -> None:
    version = draft_of(seeded).versions.get()  # a draft: its watermark is not in the lines
    pages = pdf_pages(download(client, reverse("drafts:version-pdf", args=[version.pk])))
    with translation.override(settings.LANGUAGE_CODE):  # the PDF's language
        heading = translation.gettext("Annexes")
        first_annex = translation.gettext("Annex no. %(number)s") % {"number": 1}
    # The heading is a line of its own (the table of contents adds leaders and a page number).
    [page] = [page for page in pages if heading in page]
    assert first_annex in page[page.index(heading) :], page


def test_programme_pdf_line_numbers_leave_out_the_title_page(
    download: Download, client: Client, seeded: Meeting
) -> None:
    version = draft_of(seeded).versions.get()
    version.adopted = True
    version.save()
    url = reverse("drafts:version-pdf", args=[version.pk])
    title_page, contents, *_rest = pdf_pages(download(client, url + "?lines=1"))
    numbers = {str(n) for n in range(1, 46)}
    assert not numbers & set(title_page), title_page
    assert numbers <= set(contents), contents


def test_programme_pdf_puts_every_line_of_body_text_beside_a_line_number(
    download: Download, client: Client, seeded: Meeting
) -> None:
    # Every kind of annex: the meeting's actions and report (seeded), its SWOT, the opinion.
    topic = seeded.swot_topics.first()
    for quadrant in "SW":
        SwotEntry.objects.create(topic=topic, quadrant=quadrant, text=f"Wpis {quadrant}.")
    version = draft_of(seeded).versions.get()
    version.annexes = programme_annexes(version.draft)  # as if published with the SWOT
    version.adopted = True
    version.resolution_number = "XXIV/300/11"
    version.resolution_date = dt.date(2011, 10, 12)
    version.krdpp_opinion = "Rada opiniuje projekt pozytywnie."
    version.save()
    pages = pdf_words(
        download(client, reverse("drafts:version-pdf", args=[version.pk]) + "?lines=1")
    )
    # The text area of an A4 page (pdf/base.html): margins 2 cm top, 2.2 cm bottom and left.
    cm = 72 / 2.54
    left, top, bottom = 2.2 * cm, 2 * cm, 841.89 - 2.2 * cm

    def middle(word: tuple[float, float, float, float, str]) -> float:
        # The middle of a word's box is the middle of its 16 pt line box whatever the font
        # size (the numbers are 7 pt, the text 11 pt, the headings larger).
        return (word[1] + word[3]) / 2

    off_grid: list[str] = []
    checked: list[str] = []
    for page_number, words in enumerate(pages[1:], start=2):
        numbers = [middle(w) for w in words if w[2] < left and w[4].isdigit()]
        assert len(numbers) == 45, (page_number, len(numbers))
        lines: dict[float, list[str]] = {}
        for word in sorted(words, key=lambda w: w[0]):
            # Text of the body's size or larger: not the running header and footer, nor the
            # tables' 8.5 pt text, which is documented to leave the grid.
            x_min, y_min, _x_max, y_max, text = word
            if x_min > left and top < y_min and y_max < bottom and y_max - y_min > 11:
                lines.setdefault(round(middle(word), 1), []).append(text)
        for y, line in sorted(lines.items()):
            checked.append(" ".join(line))
            if min(abs(y - n) for n in numbers) > 0.5:
                off_grid.append(f"page {page_number}, y {y}: {checked[-1][:50]}")
    assert {"• Wpis W.", "Rada opiniuje projekt pozytywnie."} <= set(checked)
    assert not off_grid, "\n".join(off_grid)


@pytest.mark.parametrize("persona", [None, "member", "moderator", "expert", "official"])
def test_working_copy_pdf_is_404_to_all_but_the_coordinating_team(
    request: pytest.FixtureRequest, seeded: Meeting, persona: str | None
) -> None:
    client = Client()
    if persona:
        client.force_login(request.getfixturevalue(persona))
    url = reverse("drafts:working-copy-pdf", args=[draft_of(seeded).pk])
    assert client.get(url).status_code == 404


def test_coordinator_downloads_the_working_copy_with_unpublished_text(
    download: Download, client: Client, seeded: Meeting, coordinator: User
) -> None:
    draft = draft_of(seeded)
    section = draft.sections.get(element=DraftElement.FUNDS)
    draft_services.paragraph_add(actor=coordinator, section=section, text="Tekst roboczy XYZ.")
    client.force_login(coordinator)
    text = pdf_text(download(client, reverse("drafts:working-copy-pdf", args=[draft.pk])))
    assert "Tekst roboczy XYZ." in text
    version = draft.versions.get()
    public = pdf_text(download(Client(), reverse("drafts:version-pdf", args=[version.pk])))
    assert "Tekst roboczy XYZ." not in public


def test_a_missing_version_pdf_is_404(client: Client, seeded: Meeting) -> None:
    assert client.get(reverse("drafts:version-pdf", args=[99999])).status_code == 404


# --- Consultation reports ------------------------------------------------------------------


def published_round(meeting: Meeting, coordinator: User, texts: list[str]) -> Round:
    now = timezone.now()
    round_ = services.round_create(
        actor=coordinator,
        title="Runda testowa",
        meeting=meeting,
        goal="Cel",
        subject="Przedmiot",
        scope_and_forms="Uwagi pisemne",
        responsible_office="MOWIS",
        contact="mowis@example.org",
        opens_at=now - dt.timedelta(days=10),
        closes_at=now - dt.timedelta(days=1),
    )
    member = User.objects.get(email="ngo@example.org")
    organisation = Representation.objects.get(user=member).organisation
    for text in texts:
        Comment.objects.create(
            round=round_,
            author=member,
            author_role=AuthorRole.ORGANISATION,
            organisation=organisation,
            text=text,
            proposed_wording=text,
            disposition="accepted",
            justification=text,
        )
    Round.objects.filter(pk=round_.pk).update(status=Phase.REPORT_PUBLISHED)
    round_.refresh_from_db()
    return round_


def test_report_pdf_has_its_heading_and_comments(
    download: Download, client: Client, seeded: Meeting, coordinator: User
) -> None:
    round_ = published_round(seeded, coordinator, ["Pierwsza uwaga o zażółć gęślą jaźń."])
    text = pdf_text(download(client, reverse("drafts:round-report-pdf", args=[round_.pk])))
    assert "Runda testowa" in text
    assert "Pierwsza uwaga o zażółć gęślą jaźń." in text


def test_report_pdf_shows_a_hidden_comment_by_the_moderators_reason_only(
    download: Download, client: Client, seeded: Meeting, coordinator: User
) -> None:
    round_ = published_round(seeded, coordinator, ["Widoczna uwaga.", "Ukryta treść uwagi."])
    hidden = round_.comments.get(text="Ukryta treść uwagi.")
    Comment.objects.filter(pk=hidden.pk).update(
        hidden_at=timezone.now(),
        hidden_reason="Naruszenie regulaminu.",
        justification="Nie rozpatrzono.",  # published_round repeats the text here
    )
    hidden.refresh_from_db()
    text = pdf_text(download(client, reverse("drafts:round-report-pdf", args=[round_.pk])))
    assert "Widoczna uwaga." in text
    with translation.override(settings.LANGUAGE_CODE):  # the PDF's language
        shown = hidden.report_text  # as on the report page, in CSV and XLSX
    # pdftotext may interleave the words of neighbouring cells.
    assert all(word in text for word in fold(shown).split())
    assert "Naruszenie regulaminu." in text
    assert "Ukryta treść" not in text


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_comment_pointing_at_a_local_file_attaches_nothing_to_the_report_pdf(
    download: Download, client: Client, seeded: Meeting, coordinator: User, attack: str
) -> None:
    round_ = published_round(seeded, coordinator, [attack])
    raw = download(client, reverse("drafts:round-report-pdf", args=[round_.pk]))
    everything = pdf_all_bytes(raw)
    assert b"/EmbeddedFile" not in everything
    assert b"root:x:0:0" not in everything
    assert "root:x:0:0" not in pdf_text(raw)
    # The markup is printed as text (pdftotext may break the line anywhere in it).
    assert "file:///etc/passwd" in pdf_text(raw).replace(" ", "")


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_comment_pointing_at_a_local_file_attaches_nothing_to_the_programme_pdf(
    download: Download, client: Client, seeded: Meeting, coordinator: User, attack: str
) -> None:
    published_round(seeded, coordinator, [attack])
    draft = draft_of(seeded)
    draft_services.paragraph_add(
        actor=coordinator, section=draft.sections.get(element=DraftElement.SCOPE), text=attack
    )
    version = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    raw = download(client, reverse("drafts:version-pdf", args=[version.pk]))
    everything = pdf_all_bytes(raw)
    assert b"/EmbeddedFile" not in everything
    assert b"root:x:0:0" not in everything
    assert "Runda testowa" in pdf_text(raw)


def test_an_unpublished_report_pdf_is_404_to_anonymous_visitors(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    round_ = published_round(seeded, coordinator, ["Uwaga"])
    Round.objects.filter(pk=round_.pk).update(status=Phase.SETTLED)
    assert client.get(reverse("drafts:round-report-pdf", args=[round_.pk])).status_code == 404
    client.force_login(coordinator)
    assert client.get(reverse("drafts:round-report-pdf", args=[round_.pk])).status_code == 200


def test_a_version_and_its_adoption_print_the_annexes_it_was_published_with(
    seeded: Meeting, coordinator: User
) -> None:
    """An action edited after a version was published (the admin, a later merge) changes the
    working copy's annex, not the published version's nor the programme the council adopted:
    both print the annexes as they were consulted."""
    draft = draft_of(seeded)
    version = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    action = Action.objects.filter(meeting=seeded).order_by("number").first()
    assert action is not None
    Action.objects.filter(pk=action.pk).update(text="Zmiana po publikacji wersji")
    draft_services.draft_version_adopt(
        actor=coordinator,
        version=version,
        number="XII/123/11",
        date=timezone.localdate(),
        url="https://www.bip.krakow.pl/",
    )
    version.refresh_from_db()
    assert version.adopted
    adopted = pdf_render.document_html(programme_version_document(str(version.pk)))
    assert action.text[:40] in adopted
    assert "Zmiana po publikacji wersji" not in adopted
    working = pdf_render.document_html(programme_working_copy_document(str(draft.pk)))
    assert "Zmiana po publikacji wersji" in working


def test_a_version_published_from_an_english_page_keeps_its_annexes_in_polish(
    seeded: Meeting, coordinator: User
) -> None:
    """The annexes a version keeps are part of the Polish document of record: a coordinator
    reading the portal in English publishes the same words (quadrants, dispositions, item
    labels) as one reading it in Polish."""
    draft = draft_of(seeded)
    with translation.override("en"):
        version = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    version.refresh_from_db()
    assert version.annexes is not None
    with translation.override("pl"):
        assert version.annexes == programme_annexes(draft)
    words = str(version.annexes)
    assert "Action " not in words and "accepted" not in words
