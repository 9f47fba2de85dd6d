"""Each author sees what changed because of their comment (issue 15, item 4): "My comments" and
the e-mail sent when the comment is settled name the version and paragraph, with a link."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from consultations import apply_wording, services
from consultations.models import AuthorRole, Comment, Disposition, Round
from consultations.phases import Phase
from drafts import services as draft_services
from drafts.models import DraftElement, DraftParagraph, ProgrammeDraft
from notifications.models import Outbox
from notifications.outbox import outbox_sweep
from teams.models import Meeting, Representation, User

pytestmark = pytest.mark.django_db

PROPOSAL = "Współpraca opiera się na zasadach jawności i partnerstwa."


@pytest.fixture
def applied(
    make_round: Callable[..., Round], seeded: Meeting, coordinator: User, member: User
) -> tuple[Comment, DraftParagraph]:
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    paragraph = DraftParagraph.objects.get(
        section__draft=draft, section__element=DraftElement.PRINCIPLES
    )
    round_ = make_round(Phase.CLOSED, draft_version=draft.versions.get(number=1))
    comment = Comment(
        round=round_,
        author=member,
        author_role=AuthorRole.ORGANISATION,
        organisation=Representation.objects.filter(user=member).first().organisation,
        text="Zasady trzeba doprecyzować.",
        proposed_wording=PROPOSAL,
    )
    services.comment_paragraph(comment, paragraph.uid)
    comment.save()
    member.language = "en"
    member.save()
    apply_wording.comment_wording_apply(
        actor=coordinator,
        comment=comment,
        text=PROPOSAL,
        paragraph_version=paragraph.version,
        comment_version=comment.version,
        disposition=Disposition.ACCEPTED,
        justification="Uwzględniono.",
    )
    comment.refresh_from_db()
    return comment, paragraph


def number_of(paragraph: DraftParagraph) -> int:
    version = paragraph.section.draft.versions.get(number=1)
    return next(
        p["number"]
        for s in version.snapshot["sections"]
        for p in s["paragraphs"]
        if p["uid"] == str(paragraph.uid)
    )


def test_the_settled_email_names_the_paragraph_the_next_version_and_links_the_change(
    applied: tuple[Comment, DraftParagraph],
) -> None:
    comment, paragraph = applied
    mail.outbox.clear()
    sent = outbox_sweep().sent
    ids = set(
        Outbox.objects.filter(pk__in=sent, kind="comment_settled").values_list("pk", flat=True)
    )
    (message,) = [m for m in mail.outbox if int(m.extra_headers["X-Outbox-Id"]) in ids]
    link = settings.SITE_URL.rstrip("/") + reverse(
        "consultations:comment-change", args=[comment.pk]
    )
    assert f"§ {number_of(paragraph)}" in message.body
    assert "version 2" in message.body
    assert link in message.body


def test_my_comments_says_what_changed_and_links_the_comparison_once_published(
    client: Client, applied: tuple[Comment, DraftParagraph], coordinator: User, member: User
) -> None:
    comment, paragraph = applied
    Round.objects.filter(pk=comment.round_id).update(status=Phase.SETTLED)
    client.force_login(member)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("consultations:my-comments")).content.decode()
    assert f"§ {number_of(paragraph)} of the working copy was changed" in body
    assert "version 2" in body

    draft = paragraph.section.draft
    v2 = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    v1 = draft.versions.get(number=1)
    body = client.get(reverse("consultations:my-comments")).content.decode()
    compare = reverse("drafts:version-compare", args=[draft.pk])
    assert f"{compare}?old={v1.pk}&amp;new={v2.pk}#p-{paragraph.uid}" in body
    assert "Version 2 changed" in body


def test_the_change_link_waits_for_the_version_then_opens_the_comparison(
    client: Client, applied: tuple[Comment, DraftParagraph], coordinator: User, member: User
) -> None:
    comment, paragraph = applied
    client.force_login(member)
    client.cookies["django_language"] = "en"
    url = reverse("consultations:comment-change", args=[comment.pk])
    waiting = client.get(url)
    assert waiting.status_code == 200
    assert "not published yet" in waiting.content.decode()
    draft = paragraph.section.draft
    v2 = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    v1 = draft.versions.get(number=1)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("drafts:version-compare", args=[draft.pk])
        + f"?old={v1.pk}&new={v2.pk}#p-{paragraph.uid}"
    )


def test_a_comment_that_changed_nothing_says_so(
    client: Client, make_round: Callable[..., Round], member: User
) -> None:
    round_ = make_round(Phase.CLOSED)
    comment = Comment.objects.create(
        round=round_, author=member, author_role=AuthorRole.EXPERT, text="Uwaga."
    )
    client.cookies["django_language"] = "en"
    response = client.get(reverse("consultations:comment-change", args=[comment.pk]))
    assert response.status_code == 200
    assert "No version of the programme draft cites this comment" in response.content.decode()
