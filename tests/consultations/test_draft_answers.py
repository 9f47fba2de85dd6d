"""A change of the draft cites the settled comments it answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import AuthorRole, Comment, Round
from consultations.phases import Phase
from core.errors import Refused
from drafts import services as draft_services
from drafts.models import DraftElement, DraftParagraph, ProgrammeDraft
from teams.models import Meeting, Representation, User

pytestmark = pytest.mark.django_db


def a_round_with(meeting: Meeting, coordinator: User, *, settled: bool) -> Comment:
    now = timezone.now()
    round_ = services.round_create(
        actor=coordinator,
        title="Runda o zasadach",
        meeting=meeting,
        goal="Cel",
        subject="Przedmiot",
        scope_and_forms="Uwagi pisemne",
        responsible_office="MOWIS",
        contact="mowis@example.org",
        opens_at=now - dt.timedelta(days=10),
        closes_at=now - dt.timedelta(days=1),
    )
    Round.objects.filter(pk=round_.pk).update(status=Phase.REPORT_PUBLISHED)
    member = User.objects.get(email="ngo@example.org")
    return Comment.objects.create(
        round=round_,
        author=member,
        author_role=AuthorRole.ORGANISATION,
        organisation=Representation.objects.get(user=member).organisation,
        text="Dodajcie zasadę przejrzystości.",
        disposition="accepted" if settled else "",
    )


def principles(meeting: Meeting) -> DraftParagraph:
    draft = ProgrammeDraft.objects.get(programme=meeting.team.programme)
    return DraftParagraph.objects.get(
        section__draft=draft, section__element=DraftElement.PRINCIPLES
    )


def test_an_unsettled_comment_cannot_be_cited_and_nothing_is_saved(
    seeded: Meeting, coordinator: User
) -> None:
    comment = a_round_with(seeded, coordinator, settled=False)
    paragraph = principles(seeded)
    with pytest.raises(Refused):
        draft_services.paragraph_edit(
            actor=coordinator,
            paragraph=paragraph,
            text="Nowe zasady.",
            version=paragraph.version,
            cited=[comment.pk],
        )
    paragraph.refresh_from_db()
    assert paragraph.text != "Nowe zasady."
    assert not paragraph.answers.exists()


def test_a_version_freezes_the_cited_comments_and_the_comparison_links_the_report(
    client: Client, seeded: Meeting, coordinator: User
) -> None:
    comment = a_round_with(seeded, coordinator, settled=True)
    Comment.objects.filter(pk=comment.pk).update(registration_number="KZ/2026/0042")
    paragraph = principles(seeded)
    draft = paragraph.section.draft
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    # Named by its registration number, as the report and the comment table name it.
    form = client.get(reverse("drafts:paragraph-edit", args=[paragraph.pk])).content.decode()
    assert "KZ/2026/0042 – Runda o zasadach: Dodajcie zasadę przejrzystości." in form
    response = client.post(
        reverse("drafts:paragraph-edit", args=[paragraph.pk]),
        {
            "text": paragraph.text + " Oraz przejrzystości.",
            "version": paragraph.version,
            "answers": [str(comment.pk)],
        },
    )
    assert response.status_code == 302
    v2 = draft_services.draft_version_publish(actor=coordinator, draft=draft)
    cited = [p["answers"] for s in v2.snapshot["sections"] for p in s["paragraphs"] if p["answers"]]
    assert cited == [
        [
            {
                "id": comment.pk,
                "number": "KZ/2026/0042",
                "round": comment.round_id,
                "round_title": "Runda o zasadach",
            }
        ]
    ]
    v1 = draft.versions.get(number=1)
    body = client.get(
        reverse("drafts:version-compare", args=[draft.pk]), {"old": v1.pk, "new": v2.pk}
    ).content.decode()
    report = reverse("consultations:round-report", args=[comment.round_id])
    assert f'href="{report}#report-{comment.pk}">KZ/2026/0042<' in body
