"""Comments on a section or point of a paragraph (issue 15, item 2): named exactly on every
page and in the comment table; a unit the paragraph does not have is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from consultations import apply_wording, services
from consultations.models import AuthorRole, Comment, Disposition, Round
from consultations.phases import Phase
from consultations.views import report_rows
from core.errors import Refused
from documents.comment_table import comment_table_rows
from documents.pages import report_page
from drafts import services as draft_services
from drafts.models import DraftElement, DraftSection, ProgrammeDraft
from teams.models import Meeting, User

pytestmark = pytest.mark.django_db

TEXT = (
    "1. Program określa zasady współpracy.\n"
    "2. Współpraca obejmuje:\n"
    "1) zlecanie zadań publicznych;\n"
    "2) konsultowanie aktów prawa miejscowego."
)


@pytest.fixture
def consulted(
    make_round: Callable[..., Round], seeded: Meeting, coordinator: User
) -> tuple[Round, str, int]:
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    section = DraftSection.objects.get(draft=draft, element=DraftElement.FORMS)
    paragraph = draft_services.paragraph_add(actor=coordinator, section=section, text=TEXT)
    version = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    number = next(
        p["number"]
        for s in version.snapshot["sections"]
        for p in s["paragraphs"]
        if p["uid"] == str(paragraph.uid)
    )
    return make_round(Phase.OPEN, draft_version=version), str(paragraph.uid), number


def test_a_comment_on_a_point_is_named_exactly(
    expert: User, consulted: tuple[Round, str, int]
) -> None:
    round_, uid, number = consulted
    comment = services.comment_post(
        actor=expert,
        round_=round_,
        text="Doprecyzować.",
        author_role=AuthorRole.EXPERT,
        paragraph_uid=uid,
        paragraph_unit="ust 2, pkt 2",
    )
    assert comment.paragraph_unit == "ust. 2 pkt 2"
    assert comment.item_label == f"§ {number} ust. 2 pkt 2"
    assert comment.unit_wording == "konsultowanie aktów prawa miejscowego."


def test_a_unit_the_paragraph_does_not_have_is_refused_and_nothing_stored(
    expert: User, consulted: tuple[Round, str, int]
) -> None:
    round_, uid, _number = consulted
    for unit in ("ust. 9", "art. 5"):
        with pytest.raises(Refused):
            services.comment_post(
                actor=expert,
                round_=round_,
                text="Doprecyzować.",
                author_role=AuthorRole.EXPERT,
                paragraph_uid=uid,
                paragraph_unit=unit,
            )
    assert not Comment.objects.filter(round=round_).exists()


def test_a_unit_of_a_paragraph_without_units_is_refused_saying_it_has_none(
    make_round: Callable[..., Round], seeded: Meeting, coordinator: User, expert: User
) -> None:
    """A paragraph that numbers no sections or points: naming one is refused with a message
    that says so, not with one asking to name a unit "as the text numbers it"."""
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    section = DraftSection.objects.get(draft=draft, element=DraftElement.FORMS)
    paragraph = draft_services.paragraph_add(
        actor=coordinator, section=section, text="Współpraca ma charakter finansowy."
    )
    version = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    round_ = make_round(Phase.OPEN, draft_version=version)
    with translation.override("en"), pytest.raises(Refused) as refused:
        services.comment_post(
            actor=expert,
            round_=round_,
            text="Doprecyzować.",
            author_role=AuthorRole.EXPERT,
            paragraph_uid=str(paragraph.uid),
            paragraph_unit="pkt 3",
        )
    assert str(refused.value).startswith("This paragraph has no numbered sections or points")
    assert not Comment.objects.filter(round=round_).exists()


def test_the_comment_form_takes_the_unit_and_the_comment_table_names_it(
    client: Client, expert: User, consulted: tuple[Round, str, int]
) -> None:
    round_, uid, number = consulted
    client.force_login(expert)
    client.cookies["django_language"] = "en"
    page = client.get(round_.get_absolute_url())
    token = page.context["form"]["token"].value()
    response = client.post(
        reverse("consultations:comment-add", args=[round_.pk]),
        {
            "comment-item": f"paragraph:{uid}",
            "comment-unit": "ust. 2 pkt 1",
            "comment-text": "Dodać dotacje.",
            "comment-on_behalf": AuthorRole.EXPERT,
            "comment-token": token,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    comment = Comment.objects.get(round=round_)
    assert comment.item_label == f"§ {number} ust. 2 pkt 1"
    with translation.override("pl"):
        (row,) = comment_table_rows(round_)
        assert row.unit == f"§ {number} ust. 2 pkt 1 (wersja {round_.draft_version.number})"
        assert row.current_wording == "zlecanie zadań publicznych;"


def test_the_report_names_the_unit_and_its_version_on_its_page_and_in_its_rows(
    expert: User, consulted: tuple[Round, str, int]
) -> None:
    """As the comment table does: the report's page and its CSV/XLSX rows said only "§ 5",
    the PDF "§ 5 (wersja 1)"."""
    round_, uid, number = consulted
    services.comment_post(
        actor=expert,
        round_=round_,
        text="Doprecyzować.",
        author_role=AuthorRole.EXPERT,
        paragraph_uid=uid,
        paragraph_unit="ust. 2 pkt 2",
    )
    Round.objects.filter(pk=round_.pk).update(status=Phase.REPORT_PUBLISHED)
    named = f"§ {number} ust. 2 pkt 2 (wersja {round_.draft_version.number})"
    page = report_page(str(round_.pk))
    assert named in "".join(page["pl"]["pages"])
    assert named.replace("wersja", "version") in "".join(page["en"]["pages"])
    with translation.override("pl"):
        (row,) = report_rows(round_)
    assert named in row


def test_applying_a_units_wording_changes_that_unit_only(
    coordinator: User, expert: User, consulted: tuple[Round, str, int]
) -> None:
    round_, uid, _number = consulted
    comment = services.comment_post(
        actor=expert,
        round_=round_,
        text="Krócej.",
        proposed_wording="konsultowanie uchwał.",
        author_role=AuthorRole.EXPERT,
        paragraph_uid=uid,
        paragraph_unit="ust. 2 pkt 2",
    )
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    comment.refresh_from_db()
    view = apply_wording.wording_view(comment)
    assert view.proposal == TEXT.replace(
        "konsultowanie aktów prawa miejscowego.", "konsultowanie uchwał."
    )
    assert view.paragraph is not None
    paragraph = apply_wording.comment_wording_apply(
        actor=coordinator,
        comment=comment,
        text=view.proposal,
        paragraph_version=view.paragraph.version,
        comment_version=comment.version,
        disposition=Disposition.ACCEPTED,
        justification="Tak.",
    )
    assert paragraph.text == view.proposal
