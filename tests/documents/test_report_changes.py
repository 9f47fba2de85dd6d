"""The consultation report lists the changes made to the programme draft because of the
round's comments: each paragraph of a later version that cites them, with their
registration numbers and a link to the comparison of the two versions."""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
import pytest
from django.test import Client
from odfdo import Document

from consultations.models import Comment, Disposition, Round
from consultations.numbering import registration_number_next
from consultations.phases import Phase
from drafts import services as draft_services
from drafts.models import DraftElement, DraftParagraph, DraftVersion, ProgrammeDraft
from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def _odt_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    return "\n".join(p.text_recursive for p in document.body.get_elements("//text:h|//text:p"))


def _docx_cells(content: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(content))
    return [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def _answer_in_working_copy(coordinator: User, round_: Round, comment: Comment) -> DraftParagraph:
    """A paragraph of the working copy's principles, reworded to answer ``comment``."""
    paragraph = DraftParagraph.objects.filter(
        section__draft__programme=round_.programme, section__element=DraftElement.PRINCIPLES
    ).first()
    assert paragraph is not None
    draft_services.paragraph_edit(
        actor=coordinator,
        paragraph=paragraph,
        text=paragraph.text + " Oraz przejrzystości.",
        version=paragraph.version,
        cited=[comment.pk],
    )
    return paragraph


@pytest.fixture
def changed(
    make_round: Callable[..., Round], make_comment: Callable[..., Comment], coordinator: User
) -> tuple[Round, Comment, DraftVersion, DraftVersion, DraftParagraph]:
    round_ = make_round(Phase.SETTLED)
    comment = make_comment(
        round_,
        "Dodajcie zasadę przejrzystości.",
        registration_number=registration_number_next(round_),
        disposition=Disposition.ACCEPTED,
        justification="Dopisano.",
    )
    draft = ProgrammeDraft.objects.get(programme=round_.programme)
    before = draft.versions.order_by("-number").first()
    if before is None:
        before = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    paragraph = _answer_in_working_copy(coordinator, round_, comment)
    after = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    return round_, comment, before, after, paragraph


def _number(version: DraftVersion, paragraph: DraftParagraph) -> int:
    return next(
        p["number"]
        for s in version.snapshot["sections"]
        for p in s["paragraphs"]
        if p["uid"] == str(paragraph.uid)
    )


def test_the_report_lists_each_change_with_the_comments_and_the_comparison(
    changed: tuple[Round, Comment, DraftVersion, DraftVersion, DraftParagraph],
    as_user: Login,
    coordinator: User,
) -> None:
    round_, comment, before, after, paragraph = changed
    client = as_user(coordinator)
    compare = f"/programme-draft/{after.draft_id}/compare/?old={before.pk}&amp;new={after.pk}"
    unit = f"§ {_number(after, paragraph)}"
    page = client.get(f"/consultations/{round_.pk}/report/").content.decode()
    assert "Changes made to the draft because of comments" in page
    assert compare in page
    assert comment.registration_number in page
    assert f"{unit} (version {after.number})" in page
    odt = _odt_text(client.get(f"/consultations/{round_.pk}/report.odt").content)
    assert "Zmiany w projekcie wprowadzone w wyniku uwag" in odt
    assert f"{unit} (wersja {after.number})" in odt
    assert compare.replace("&amp;", "&") in odt
    cells = _docx_cells(client.get(f"/consultations/{round_.pk}/report.docx").content)
    assert comment.registration_number in cells
    assert any(compare.replace("&amp;", "&") in cell for cell in cells)


def test_the_report_says_plainly_when_nothing_changed(
    make_round: Callable[..., Round], as_user: Login, coordinator: User
) -> None:
    round_ = make_round(Phase.SETTLED)
    client = as_user(coordinator)
    page = client.get(f"/consultations/{round_.pk}/report/").content.decode()
    assert "No changes were made to the draft because of the comments." in page
    odt = _odt_text(client.get(f"/consultations/{round_.pk}/report.odt").content)
    assert "Nie wprowadzono zmian w projekcie w wyniku uwag." in odt


def test_the_published_page_keeps_the_changes_as_published(
    changed: tuple[Round, Comment, DraftVersion, DraftVersion, DraftParagraph],
    as_user: Login,
) -> None:
    round_, comment, before, after, _paragraph = changed
    Round.objects.filter(pk=round_.pk).update(status=Phase.REPORT_PUBLISHED)
    url = f"/consultations/{round_.pk}/report/"
    page = as_user(None).get(url).content.decode()
    assert f"?old={before.pk}&amp;new={after.pk}" in page
    Comment.objects.filter(pk=comment.pk).update(registration_number="KZ/1999/0001")
    assert "KZ/1999/0001" not in as_user(None).get(url).content.decode()


def test_a_change_made_but_not_yet_published_is_reported_as_such_not_as_no_change(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
) -> None:
    """The report is frozen when it is published, often before the next version: an accepted
    comment's wording already in the working copy is listed as made, not yet published; an
    accepted comment that no paragraph answers yet is named as still to be made."""
    round_ = make_round(Phase.SETTLED)
    made, waiting = (
        make_comment(
            round_,
            text,
            registration_number=registration_number_next(round_),
            disposition=Disposition.ACCEPTED,
            justification="Przyjęto.",
        )
        for text in ("Dopiszcie przejrzystość.", "Dopiszcie jawność.")
    )
    _answer_in_working_copy(coordinator, round_, made)
    client = as_user(coordinator)
    page = client.get(f"/consultations/{round_.pk}/report/").content.decode()
    assert "No changes were made" not in page
    assert "(working copy)" in page and "Not yet in a published version" in page
    assert f"whose changes are not yet in the draft: {waiting.registration_number}." in page
    odt = _odt_text(client.get(f"/consultations/{round_.pk}/report.odt").content)
    assert "Nie wprowadzono zmian" not in odt
    assert "(kopia robocza)" in odt and waiting.registration_number in odt
    assert made.registration_number in odt


def test_the_forms_of_consultation_list_what_the_round_used(
    make_round: Callable[..., Round], as_user: Login, coordinator: User
) -> None:
    """Portal comments only: said so (not "and in writing"), and no empty table of events."""
    round_ = make_round(Phase.SETTLED)
    Round.objects.filter(pk=round_.pk).update(scope_and_forms="Uwagi przez formularz na portalu.")
    assert not round_.events.exists()
    client = as_user(coordinator)
    odt = _odt_text(client.get(f"/consultations/{round_.pk}/report.odt").content)
    assert "Uwagi w portalu, od" in odt and "na piśmie" not in odt
    assert "Uwagi przez formularz na portalu." in odt  # the scope announced, as on the page
    cells = _docx_cells(client.get(f"/consultations/{round_.pk}/report.docx").content)
    assert "Attendance" not in cells and "Obecność" not in cells
