"""Comments carried forward (issue 15, item 3): when the next version is consulted, each earlier
comment on a paragraph says whether that paragraph changed since, with a link to the change."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import AuthorRole, Comment, Round
from consultations.phases import Phase
from drafts import services as draft_services
from drafts.models import DraftParagraph, ProgrammeDraft
from teams.models import Meeting, User

pytestmark = pytest.mark.django_db


def comment_on(round_: Round, paragraph: DraftParagraph, author: User, text: str) -> Comment:
    comment = Comment(round=round_, author=author, author_role=AuthorRole.EXPERT, text=text)
    services.comment_paragraph(comment, paragraph.uid)
    comment.save()
    return comment


def test_earlier_comments_say_changed_unchanged_or_removed_with_a_link_to_the_change(
    client: Client,
    make_round: Callable[..., Round],
    seeded: Meeting,
    coordinator: User,
    expert: User,
) -> None:
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    v1 = draft.versions.get(number=1)
    changed, same, removed = list(
        DraftParagraph.objects.filter(section__draft=draft).order_by("section__element", "pk")[:3]
    )
    earlier = make_round(Phase.REPORT_PUBLISHED, draft_version=v1, meeting=None)
    on_changed = comment_on(earlier, changed, expert, "Uwaga o zmienionym paragrafie.")
    on_same = comment_on(earlier, same, expert, "Uwaga o paragrafie bez zmian.")
    on_removed = comment_on(earlier, removed, expert, "Uwaga o usuniętym paragrafie.")
    hidden = comment_on(earlier, same, expert, "Ukryta uwaga.")
    Comment.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now(), hidden_reason="spam")
    draft_services.paragraph_edit(
        actor=coordinator, paragraph=changed, text=changed.text + " Nowe.", version=changed.version
    )
    draft_services.paragraph_delete(actor=coordinator, paragraph=removed, version=removed.version)
    v2 = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    current = make_round(Phase.OPEN, draft_version=v2, meeting=None)

    client.cookies["django_language"] = "pl"
    body = client.get(current.get_absolute_url()).content.decode()
    compare = reverse("drafts:version-compare", args=[draft.pk])
    for comment, status in (
        (on_changed, "zmieniony"),
        (on_same, "bez zmian"),
        (on_removed, "usunięty"),
    ):
        assert comment.text in body
        start = body.index(comment.text)
        assert status in body[start - 1500 : start + 1500]
    assert f"{compare}?old={v1.pk}&amp;new={v2.pk}#p-{changed.uid}" in body
    assert f"{compare}?old={v1.pk}&amp;new={v2.pk}#p-{removed.uid}" in body
    assert f'href="{on_changed.get_absolute_url()}"' in body
    assert "Ukryta uwaga." not in body
    # It keeps its place beside the paragraph as its placeholder, as on its own round's page.
    assert f'href="{hidden.get_absolute_url()}"' in body
    assert "[Ukryta przez moderatorów: spam]" in body


def test_a_round_of_the_first_version_lists_no_earlier_comments(
    client: Client, make_round: Callable[..., Round], seeded: Meeting
) -> None:
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    round_ = make_round(Phase.OPEN, draft_version=draft.versions.get(number=1), meeting=None)
    client.cookies["django_language"] = "en"
    assert "Earlier comments" not in client.get(round_.get_absolute_url()).content.decode()


def test_an_earlier_comment_hidden_later_leaves_the_cached_page_of_the_next_round(
    client: Client,
    make_round: Callable[..., Round],
    seeded: Meeting,
    coordinator: User,
    expert: User,
) -> None:
    """The anonymous copy of a round page is keyed on what it shows: the earlier rounds'
    comments it carries forward included."""
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    v1 = draft.versions.get(number=1)
    paragraph = DraftParagraph.objects.filter(section__draft=draft).order_by("pk").first()
    assert paragraph is not None
    # Still open (rounds on two versions may overlap), so its comments can still be hidden.
    earlier = make_round(Phase.OPEN, draft_version=v1, meeting=None)
    comment = comment_on(earlier, paragraph, expert, "Uwaga, którą potem ukryto.")
    v2 = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    current = make_round(Phase.OPEN, draft_version=v2, meeting=None)
    assert comment.text in client.get(current.get_absolute_url()).content.decode()

    services.comment_hide(actor=coordinator, comment=comment, reason="Wulgaryzmy.")

    body = client.get(current.get_absolute_url()).content.decode()
    assert comment.text not in body
    assert "Wulgaryzmy." in body  # its placeholder, in its place
