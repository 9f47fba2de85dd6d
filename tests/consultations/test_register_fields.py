"""What a comment records: the submitter's justification (online too), the paragraph's version
and wording at the moment of the comment, and a registration number for comments saved before
the register (the data migration)."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from consultations.models import Comment, RegistrationCounter, Round
from consultations.phases import Phase
from drafts import services as draft_services
from drafts.models import DraftParagraph, DraftVersion
from teams.models import Meeting, Organisation, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


@pytest.fixture
def version(seeded: Meeting) -> DraftVersion:
    return DraftVersion.objects.get(draft__programme=seeded.team.programme, number=1)


def _paragraph(version: DraftVersion, number: int) -> dict:
    for section in version.snapshot["sections"]:
        for paragraph in section["paragraphs"]:
            if paragraph.get("number") == number:
                return paragraph
    raise AssertionError(f"no § {number}")


def test_the_online_form_takes_the_justification_and_keeps_the_paragraphs_wording(
    make_round: Callable[..., Round],
    version: DraftVersion,
    member: User,
    member_org: Organisation,
    coordinator: User,
    as_user: Login,
) -> None:
    round_ = make_round(Phase.OPEN, meeting=None, draft_version=version)
    paragraph = _paragraph(version, 2)
    client = as_user(member)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "Justification of the comment (optional)" in page
    response = client.post(
        f"/consultations/{round_.pk}/comments/",
        {
            "comment-text": "Za ogólnie.",
            "comment-item": f"paragraph:{paragraph['uid']}",
            "comment-submitter_justification": "Bo brakuje terminu.",
            "comment-token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    comment = Comment.objects.get(round=round_)
    assert comment.submitter_justification == "Bo brakuje terminu."
    assert comment.paragraph_version == version
    assert comment.paragraph_wording == paragraph["text"]
    # The draft moves on: the paragraph is reworded and a new version published.
    working = DraftParagraph.objects.get(uid=paragraph["uid"])
    draft_services.paragraph_edit(
        actor=coordinator,
        paragraph=working,
        text="Zupełnie nowe brzmienie.",
        version=working.version,
    )
    draft_services.draft_version_publish(actor=coordinator, draft=version.draft)
    comment.refresh_from_db()
    assert comment.paragraph_wording == paragraph["text"]
    assert comment.paragraph_version == version


def test_the_author_edits_the_justification_and_the_earlier_one_is_kept(
    open_round: Round, member: User, member_org: Organisation, as_user: Login
) -> None:
    client = as_user(member)
    client.post(
        f"/consultations/{open_round.pk}/comments/",
        {
            "comment-text": "Uwaga.",
            "comment-item": "",
            "comment-submitter_justification": "Pierwsze.",
            "comment-token": str(uuid.uuid4()),
        },
    )
    comment = Comment.objects.get(round=open_round)
    response = client.post(
        f"/consultations/comments/{comment.pk}/edit/",
        {"text": "Uwaga.", "submitter_justification": "Drugie.", "version": comment.version},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.submitter_justification == "Drugie."
    assert comment.revisions.get().submitter_justification == "Pierwsze."


def test_comments_saved_before_the_register_get_numbers_that_continue_the_count(
    open_round: Round, make_comment: Callable[..., Comment], member: User
) -> None:
    migration = importlib.import_module(
        "consultations.migrations.0013_comment_registration_numbers"
    )
    year = timezone.localtime(open_round.opens_at).year
    RegistrationCounter.objects.update_or_create(year=year, defaults={"last": 41})
    first = make_comment(open_round, "Pierwsza")
    second = make_comment(open_round, "Druga")
    reply = make_comment(open_round, "Odpowiedź", parent=first)
    migration.number(apps, None)
    numbers = [Comment.objects.get(pk=c.pk).registration_number for c in (first, second, reply)]
    assert numbers == [f"KZ/{year}/0042", f"KZ/{year}/0043", None]
    assert RegistrationCounter.objects.get(year=year).last == 43
