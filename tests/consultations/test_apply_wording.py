"""Applying a comment's proposed wording to the working copy of the programme draft (issue 15,
item 1): in one step or edited first, never over someone else's change, cited and settled."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from consultations import apply_wording, services
from consultations.audit import ConsultationsAudit
from consultations.models import AuthorRole, Comment, Disposition, Round
from consultations.phases import Phase
from core.errors import Refused
from core.models import AuditEntry
from drafts import services as draft_services
from drafts.models import DraftElement, DraftParagraph, ProgrammeDraft
from teams.models import Meeting, Representation, User

pytestmark = pytest.mark.django_db

PROPOSAL = "Współpraca opiera się na zasadach jawności i partnerstwa."


@pytest.fixture
def paragraph(seeded: Meeting) -> DraftParagraph:
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    return DraftParagraph.objects.get(
        section__draft=draft, section__element=DraftElement.PRINCIPLES
    )


@pytest.fixture
def round_(make_round: Callable[..., Round], paragraph: DraftParagraph) -> Round:
    version = paragraph.section.draft.versions.get(number=1)
    return make_round(Phase.CLOSED, draft_version=version)


def propose(
    round_: Round, paragraph: DraftParagraph, author: User, wording: str = PROPOSAL
) -> Comment:
    comment = Comment(
        round=round_,
        author=author,
        author_role=AuthorRole.ORGANISATION,
        organisation=Representation.objects.filter(user=author).first().organisation,
        text="Zasady trzeba doprecyzować.",
        proposed_wording=wording,
    )
    services.comment_paragraph(comment, paragraph.uid)
    comment.save()
    return comment


def post(client: Client, comment: Comment, paragraph: DraftParagraph, **fields: object):
    data = {
        "text": comment.proposed_wording,
        "paragraph_version": paragraph.version,
        "comment_version": comment.version,
        "disposition": Disposition.ACCEPTED,
        "justification": "Uwzględniono.",
        **fields,
    }
    prefixed = {f"wording-{comment.pk}-{name}": value for name, value in data.items()}
    return client.post(reverse("consultations:comment-apply-wording", args=[comment.pk]), prefixed)


def test_it_applies_the_proposal_in_one_step_cites_and_settles_the_comment(
    client: Client, coordinator: User, member: User, round_: Round, paragraph: DraftParagraph
) -> None:
    comment = propose(round_, paragraph, member)
    client.force_login(coordinator)
    response = post(client, comment, paragraph)
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("consultations:round-settle", args=[round_.pk]) + f"#settle-{comment.pk}"
    )
    paragraph.refresh_from_db()
    comment.refresh_from_db()
    assert paragraph.text == PROPOSAL
    assert comment.disposition == Disposition.ACCEPTED
    assert list(paragraph.answers.all()) == [comment]
    entry = AuditEntry.objects.get(action=ConsultationsAudit.COMMENT_WORDING_APPLY)
    assert entry.data["round"] == round_.pk
    assert entry.data["uid"] == str(paragraph.uid)
    assert entry.data["edited"] is False


def test_it_applies_an_edited_proposal_as_partly_accepted(
    client: Client, coordinator: User, member: User, round_: Round, paragraph: DraftParagraph
) -> None:
    comment = propose(round_, paragraph, member)
    client.force_login(coordinator)
    page = client.get(reverse("consultations:comment-apply-wording", args=[comment.pk]))
    assert page.status_code == 200
    assert PROPOSAL in page.content.decode()
    response = post(
        client, comment, paragraph, text="Moja wersja.", disposition=Disposition.PARTLY_ACCEPTED
    )
    assert response.status_code == 302
    paragraph.refresh_from_db()
    comment.refresh_from_db()
    assert paragraph.text == "Moja wersja."
    assert comment.disposition == Disposition.PARTLY_ACCEPTED
    assert AuditEntry.objects.get(action=ConsultationsAudit.COMMENT_WORDING_APPLY).data["edited"]


def test_only_accepted_or_partly_accepted_is_offered_and_nothing_is_stored_otherwise(
    client: Client, coordinator: User, member: User, round_: Round, paragraph: DraftParagraph
) -> None:
    comment = propose(round_, paragraph, member)
    original = paragraph.text
    client.force_login(coordinator)
    response = post(client, comment, paragraph, disposition=Disposition.NOT_ACCEPTED)
    assert response.status_code == 400
    paragraph.refresh_from_db()
    comment.refresh_from_db()
    assert paragraph.text == original
    assert comment.disposition == ""


def test_a_paragraph_changed_since_the_consulted_version_is_never_overwritten_silently(
    client: Client,
    coordinator: User,
    second_coordinator: User,
    member: User,
    round_: Round,
    paragraph: DraftParagraph,
) -> None:
    comment = propose(round_, paragraph, member, wording="Zasady <b>jawności</b> i pomocniczości.")
    consulted = paragraph.text
    draft_services.paragraph_edit(
        actor=second_coordinator,
        paragraph=paragraph,
        text=consulted + " Zmiana drugiej koordynatorki.",
        version=paragraph.version,
    )
    paragraph.refresh_from_db()
    client.force_login(coordinator)
    # The one-step form (no resolution) is refused: the conflict view shows all three texts.
    response = post(client, comment, paragraph)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Zmiana drugiej koordynatorki." in body
    assert "&lt;b&gt;jawności&lt;/b&gt;" in body and "<b>jawności" not in body
    assert "<ins>" in body and "<del>" in body
    comment.refresh_from_db()
    assert comment.disposition == ""
    assert paragraph.text == DraftParagraph.objects.get(pk=paragraph.pk).text
    # Resolved: the coordinator's merged text is saved.
    merged = "Zasady jawności i pomocniczości. Zmiana drugiej koordynatorki."
    response = post(client, comment, paragraph, text=merged, resolved="on")
    assert response.status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.text == merged
    assert AuditEntry.objects.get(action=ConsultationsAudit.COMMENT_WORDING_APPLY).data["resolved"]


def test_the_second_comment_on_a_paragraph_sees_the_first_ones_result(
    client: Client, coordinator: User, member: User, round_: Round, paragraph: DraftParagraph
) -> None:
    first = propose(round_, paragraph, member)
    second = propose(round_, paragraph, member, wording="Zupełnie inne brzmienie.")
    client.force_login(coordinator)
    assert post(client, first, paragraph).status_code == 302
    page = client.get(reverse("consultations:comment-apply-wording", args=[second.pk]))
    assert page.status_code == 200
    assert page.context["view"].current == PROPOSAL
    assert page.context["view"].changed_since
    paragraph.refresh_from_db()
    merged = PROPOSAL + " Zupełnie inne brzmienie."
    assert post(client, second, paragraph, text=merged, resolved="on").status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.text == merged
    assert set(paragraph.answers.all()) == {first, second}


def test_applying_the_same_comment_twice_is_refused_and_nothing_changes(
    coordinator: User, member: User, round_: Round, paragraph: DraftParagraph
) -> None:
    comment = propose(round_, paragraph, member)
    apply_wording.comment_wording_apply(
        actor=coordinator,
        comment=comment,
        text=PROPOSAL,
        paragraph_version=paragraph.version,
        comment_version=comment.version,
        disposition=Disposition.ACCEPTED,
        justification="Uwzględniono.",
    )
    paragraph.refresh_from_db()
    comment.refresh_from_db()
    with translation.override("en"), pytest.raises(Refused, match="already"):
        apply_wording.comment_wording_apply(
            actor=coordinator,
            comment=comment,
            text="Jeszcze raz.",
            paragraph_version=paragraph.version,
            comment_version=comment.version,
            disposition=Disposition.ACCEPTED,
            justification="Uwzględniono.",
            resolved=True,
        )
    paragraph.refresh_from_db()
    assert paragraph.text == PROPOSAL


def test_a_paragraph_deleted_since_is_refused_with_a_message(
    client: Client, coordinator: User, member: User, round_: Round, paragraph: DraftParagraph
) -> None:
    comment = propose(round_, paragraph, member)
    draft_services.paragraph_delete(
        actor=coordinator, paragraph=paragraph, version=paragraph.version
    )
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    response = post(client, comment, paragraph)
    assert response.status_code == 409
    assert "removed from the working copy" in response.content.decode()
    assert PROPOSAL in response.content.decode()
    comment.refresh_from_db()
    assert comment.disposition == ""


def test_two_coordinators_at_once_one_wins_the_other_sees_both_texts(
    client: Client,
    coordinator: User,
    second_coordinator: User,
    member: User,
    round_: Round,
    paragraph: DraftParagraph,
) -> None:
    first = propose(round_, paragraph, member)
    second = propose(round_, paragraph, member, wording="Brzmienie drugiej uwagi.")
    seen = paragraph.version  # both pages were loaded at this version
    other = Client()
    other.force_login(second_coordinator)
    assert post(other, first, paragraph).status_code == 302
    client.force_login(coordinator)
    response = post(client, second, paragraph, paragraph_version=seen, resolved="on")
    assert response.status_code == 409
    body = response.content.decode()
    assert "Brzmienie drugiej uwagi." in body  # their text
    assert PROPOSAL in body  # the current one
    paragraph.refresh_from_db()
    second.refresh_from_db()
    assert paragraph.text == PROPOSAL
    assert second.disposition == ""


def test_only_the_coordinating_team_applies_and_never_to_their_own_comment(
    client: Client, coordinator: User, member: User, round_: Round, paragraph: DraftParagraph
) -> None:
    comment = propose(round_, paragraph, member)
    original = paragraph.text
    client.force_login(member)
    assert post(client, comment, paragraph).status_code in (403, 404)
    own = Comment(
        round=round_,
        author=coordinator,
        author_role=AuthorRole.EXPERT,
        text="Moja uwaga.",
        proposed_wording="Moje brzmienie.",
    )
    services.comment_paragraph(own, paragraph.uid)
    own.save()
    client.force_login(coordinator)
    response = post(client, own, paragraph)
    assert response.status_code == 403
    assert AuditEntry.objects.filter(
        action=ConsultationsAudit.COMMENT_OWN_DECISION_DENIED, target_id=str(own.pk)
    ).exists()
    paragraph.refresh_from_db()
    assert paragraph.text == original


def test_it_refuses_outside_the_settling_phase(
    coordinator: User,
    member: User,
    make_round: Callable[..., Round],
    paragraph: DraftParagraph,
) -> None:
    version = paragraph.section.draft.versions.get(number=1)
    open_round = make_round(Phase.OPEN, draft_version=version)
    comment = propose(open_round, paragraph, member)
    with pytest.raises(Refused):
        apply_wording.comment_wording_apply(
            actor=coordinator,
            comment=comment,
            text=PROPOSAL,
            paragraph_version=paragraph.version,
            comment_version=comment.version,
            disposition=Disposition.ACCEPTED,
            justification="Uwzględniono.",
        )
    paragraph.refresh_from_db()
    assert paragraph.text != PROPOSAL


def test_the_settling_page_offers_the_tools(
    client: Client, coordinator: User, member: User, round_: Round, paragraph: DraftParagraph
) -> None:
    comment = propose(round_, paragraph, member)
    client.force_login(coordinator)
    body = client.get(reverse("consultations:round-settle", args=[round_.pk])).content.decode()
    url = reverse("consultations:comment-apply-wording", args=[comment.pk])
    assert f'formaction="{url}"' in body  # the one-step button
    assert f'href="{url}"' in body  # edit before applying
