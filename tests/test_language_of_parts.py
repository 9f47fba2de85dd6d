"""WCAG 2.1 SC 3.1.2 (Language of Parts): on the English pages, the Polish content that the city
and the NGOs write in the portal's data (titles, the draft, the meeting's results) is marked
``lang="pl"``; a participant's comment, which may be in any language, is not."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext, override

from actions.models import Action, Goal
from consultations import services
from consultations.models import AuthorRole, Comment, Round
from consultations.phases import Phase
from core.languages import cached_per_language
from drafts.models import DraftParagraph, DraftSection, ProgrammeDraft
from swot.models import SwotEntry
from teams.models import Meeting, Representation, User

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
TITLE = "Konsultacje projektu programu współpracy"
GOAL = "Zebranie opinii organizacji pozarządowych"
SUBJECT = "Projekt programu współpracy Gminy Miejskiej Kraków"
OFFICE = "Wydział Polityki Społecznej i Zdrowia"
COMMENT = "Please add a paragraph on volunteering."


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def languages_of(body: str, needle: str) -> list[str]:
    """The language of each place on the page where ``needle`` is written: the nearest
    ``lang`` of the element holding the text (the page's own ``<html lang>`` if none)."""
    root = lxml.html.document_fromstring(body)
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag == "title":
            continue  # <title> holds the page's name in its language: it cannot mark a part
        for text, holder in ((element.text, element), (element.tail, element.getparent())):
            if text and needle in text and holder is not None and holder.tag != "title":
                lang = next(
                    (e.get("lang") for e in holder.iterancestors() if e.get("lang")),
                    None,
                )
                found.append(holder.get("lang") or lang or "")
    assert found, f"{needle!r} is not on the page"
    return found


def debug(body: str, needle: str) -> list[str]:
    """The elements that hold ``needle``, for the failure's message."""
    root = lxml.html.document_fromstring(body)
    return [
        lxml.html.tostring(e, encoding="unicode")[:300]
        for e in root.iter()
        if isinstance(e.tag, str) and needle in ((e.text or "") + (e.tail or ""))
    ]


def assert_polish(body: str, *needles: str) -> None:
    for needle in needles:
        assert set(languages_of(body, needle)) == {"pl"}, (needle, debug(body, needle))


def make_round(coordinator: User, phase: str, **fields: object) -> Round:
    """A round of the seeded meeting's results (tests/consultations/conftest.py's make_round)."""
    now = timezone.now()
    opens, closes, status = {
        Phase.OPEN: (now - DAY, now + 10 * DAY, Phase.ANNOUNCED),
        Phase.REPORT_PUBLISHED: (now - 10 * DAY, now - DAY, Phase.REPORT_PUBLISHED),
    }[phase]
    round_ = services.round_create(
        actor=coordinator,
        **{
            "title": TITLE,
            "meeting": Meeting.objects.get(date="2011-07-06"),
            "goal": GOAL,
            "subject": SUBJECT,
            "scope_and_forms": "Uwagi pisemne",
            "responsible_office": OFFICE,
            "contact": "mowis@example.org",
            "opens_at": opens,
            "closes_at": closes,
            **fields,
        },
    )
    Round.objects.filter(pk=round_.pk).update(status=status)
    round_.refresh_from_db()
    return round_


def make_comment(round_: Round, member: User) -> Comment:
    return Comment.objects.create(
        round=round_,
        author=member,
        author_role=AuthorRole.ORGANISATION,
        organisation=Representation.objects.get(user=member).organisation,
        text=COMMENT,
    )


@pytest.fixture
def draft(seeded: Meeting) -> ProgrammeDraft:
    return ProgrammeDraft.objects.get(programme=seeded.team.programme)


def first_line(text: str) -> str:
    return text.strip().splitlines()[0][:40]


def test_round_list_marks_titles_and_subjects(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    make_round(coordinator, Phase.OPEN)
    body = english(client).get("/consultations/").content.decode()
    assert '<html lang="en">' in body
    assert_polish(body, TITLE, SUBJECT)


def test_round_page_marks_the_announcement_and_the_draft_but_not_a_comment(
    client: Client, seeded: Meeting, coordinator: User, member: User, draft: ProgrammeDraft
) -> None:
    version = draft.versions.get(number=1)
    round_ = make_round(coordinator, Phase.OPEN, draft_version=version)
    make_comment(round_, member)
    chapter = DraftSection.objects.filter(draft=draft).exclude(title="").first()
    paragraph = DraftParagraph.objects.filter(section__draft=draft).first()
    body = english(client).get(round_.get_absolute_url()).content.decode()
    assert_polish(
        body,
        TITLE,
        GOAL,
        SUBJECT,
        OFFICE,
        seeded.title,
        chapter.title,
        first_line(paragraph.text),
    )
    assert "pl" not in languages_of(body, COMMENT)


def test_draft_pages_mark_chapters_and_paragraphs(
    client: Client, seeded: Meeting, draft: ProgrammeDraft
) -> None:
    version = draft.versions.get(number=1)
    chapter = version.snapshot["sections"][0]
    paragraph = next(p for s in version.snapshot["sections"] for p in s["paragraphs"])
    english(client)
    for url in ["/programme-draft/", version.get_absolute_url()]:
        body = client.get(url).content.decode()
        assert_polish(body, draft.title)
    body = client.get(version.get_absolute_url()).content.decode()
    assert_polish(body, chapter["title"], first_line(paragraph["text"]))


def test_report_marks_the_round_and_the_legal_basis(
    client: Client, seeded: Meeting, coordinator: User, member: User
) -> None:
    round_ = make_round(coordinator, Phase.REPORT_PUBLISHED)
    make_comment(round_, member)
    body = english(client).get(f"/consultations/{round_.pk}/report/").content.decode()
    assert_polish(body, TITLE, GOAL, SUBJECT, "o działalności pożytku publicznego")


def test_my_comments_marks_the_round_but_not_the_comment(
    client: Client, seeded: Meeting, coordinator: User, member: User
) -> None:
    make_comment(make_round(coordinator, Phase.OPEN), member)
    english(client).force_login(member)
    body = client.get("/consultations/my-comments/").content.decode()
    assert_polish(body, TITLE)
    assert "pl" not in languages_of(body, COMMENT)


def test_meeting_page_marks_its_plan_and_results(client: Client, seeded: Meeting) -> None:
    assert seeded.status == Meeting.Status.PUBLISHED
    entry = SwotEntry.objects.create(
        topic=seeded.swot_topics.first(), quadrant="S", text="Duże zaangażowanie wolontariuszy"
    )
    goal = Goal.objects.create(
        team=seeded.team, meeting=seeded, number=99, title="Wzmocnienie współpracy"
    )
    Meeting.objects.filter(pk=seeded.pk).update(
        minutes="Spotkanie otworzył koordynator zespołu.", minutes_published_at=timezone.now()
    )
    action = Action.objects.filter(meeting=seeded).first()
    body = english(client).get(seeded.get_absolute_url()).content.decode()
    assert_polish(
        body,
        seeded.title,
        seeded.team.programme.title,
        seeded.agenda_items.first().title,
        entry.text,
        goal.title,
        first_line(action.text),
        "Spotkanie otworzył koordynator zespołu.",
    )


def test_the_publication_record_marks_the_publishing_body(client: Client, seeded: Meeting) -> None:
    """The record names the city's office as published, in Polish (documents.publications)."""
    from documents.publications import publication_freeze

    publication = publication_freeze(kind="meeting-actions", object_id=str(seeded.pk))
    assert publication is not None and publication.publishing_body
    body = english(client).get(seeded.get_absolute_url()).content.decode()
    assert_polish(body, publication.publishing_body)


def test_home_page_marks_the_programme_title(client: Client, seeded: Meeting) -> None:
    body = english(client).get("/").content.decode()
    assert_polish(body, seeded.team.programme.title)


@pytest.mark.parametrize(("page_language", "other"), [("en", "Polski"), ("pl", "English")])
def test_the_account_forms_languages_are_each_marked_with_their_own(
    client: Client, seeded: Meeting, member: User, page_language: str, other: str
) -> None:
    """The choice of the language of e-mails: "Polski" read in Polish on an English page, and
    "English" in English on a Polish one."""
    client.cookies["django_language"] = page_language
    client.force_login(member)
    body = client.get("/my-account/edit/").content.decode()
    # Twice each: the header's language switch, and the form's choice.
    assert languages_of(body, "Polski") == ["pl", "pl"]
    assert languages_of(body, "English") == ["en", "en"]
    assert other in body


def test_a_label_cached_per_language_is_worked_out_once_in_each_language() -> None:
    class Labelled:
        worked_out = 0

        @cached_per_language
        def label(self) -> str:
            Labelled.worked_out += 1
            return gettext("The round as a whole")

    thing = Labelled()
    with override("pl"):
        assert thing.label == "Runda jako całość"
        assert thing.label == "Runda jako całość"
    with override("en"):
        assert thing.label == "The round as a whole"
    with override("pl"):
        assert thing.label == "Runda jako całość"
    assert Labelled.worked_out == 2
