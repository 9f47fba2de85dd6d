"""The comment edit page says what the comment is on (the round page's item label, with its
section or point), above the fields, and does not offer to change it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from consultations import services
from consultations.models import AuthorRole, Comment, Round
from consultations.phases import Phase
from drafts import services as draft_services
from drafts.models import DraftElement, DraftSection, ProgrammeDraft
from teams.models import Meeting, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
TEXT = "1. Program określa zasady współpracy.\n2. Współpraca obejmuje:\n1) zlecanie zadań;"


@pytest.fixture
def consulted(
    make_round: Callable[..., Round], seeded: Meeting, coordinator: User
) -> tuple[Round, str]:
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    section = DraftSection.objects.get(draft=draft, element=DraftElement.FORMS)
    paragraph = draft_services.paragraph_add(actor=coordinator, section=section, text=TEXT)
    version = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    return make_round(Phase.OPEN, draft_version=version), str(paragraph.uid)


def post(expert: User, round_: Round, **fields: object) -> Comment:
    return services.comment_post(
        actor=expert, round_=round_, text="Doprecyzować.", author_role=AuthorRole.EXPERT, **fields
    )


def edit_page(as_user: Login, user: User, comment: Comment) -> str:
    response = as_user(user).get(f"/consultations/comments/{comment.pk}/edit/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_paragraph_and_point_a_comment_is_on_above_the_fields(
    consulted: tuple[Round, str], expert: User, as_user: Login
) -> None:
    round_, uid = consulted
    comment = post(expert, round_, paragraph_uid=uid, paragraph_unit="ust. 2 pkt 1")
    assert comment.item_label.endswith(" ust. 2 pkt 1")
    page = edit_page(as_user, expert, comment)
    shown = page.index('id="comment-on"')
    assert f"Comment on:</strong> {comment.item_label}" in " ".join(page[shown:].split())
    assert shown < page.index('name="text"')
    # Shown, not offered for change.
    assert 'name="item"' not in page and 'name="unit"' not in page


def test_it_shows_the_item_of_a_comment_on_the_round_as_a_whole(
    open_round: Round, expert: User, as_user: Login
) -> None:
    comment = post(expert, open_round)
    page = " ".join(edit_page(as_user, expert, comment).split())
    assert "Comment on:</strong> The round as a whole" in page


def test_a_reply_says_which_comment_it_answers_and_what_that_is_on(
    consulted: tuple[Round, str], expert: User, as_user: Login
) -> None:
    round_, uid = consulted
    parent = post(expert, round_, paragraph_uid=uid, paragraph_unit="ust. 1")
    reply = post(expert, round_, parent=parent)
    page = " ".join(edit_page(as_user, expert, reply).split())
    assert f"A reply to comment #{parent.pk} – {parent.item_label}" in page
