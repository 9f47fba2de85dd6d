"""Issue 16, item 5: the Polish interface reads as a native speaker writes it. Each fixed
phrase is pinned here, rendered in Polish."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

import actions.audit
import swot.audit
from actions.models import Action
from consultations import selectors
from consultations.audit import ConsultationsAudit
from consultations.models import AuthorRole, Comment, Round
from consultations.phases import Phase
from core.audit import AuditAction, audit_record
from core.dates import prose_date
from drafts.models import DraftVersion, ProgrammeDraft
from swot.models import Quadrant, SwotEntry, SwotTopic
from teams.models import Meeting, User

pytestmark = pytest.mark.django_db


def test_the_report_statistics_name_roles_with_their_polish_labels(
    make_round: Callable[..., Round], expert: User, official: User
) -> None:
    round_ = make_round(Phase.CLOSED)
    for user, role in ((expert, AuthorRole.EXPERT), (official, AuthorRole.OFFICIAL)):
        Comment.objects.create(round=round_, author=user, author_role=role, text="Uwaga")
    with translation.override("pl"):
        labels = {bar.label for bar in selectors.report_statistics(round_)["by_organisation"]}
    assert labels == {"Ekspert", "Urzędnik miejski"}


def _audit_classes() -> list[type[AuditAction]]:
    found, todo = [], list(AuditAction.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_audit_action_has_a_translated_label() -> None:
    classes = _audit_classes()
    assert {actions.audit.ActionsAudit, swot.audit.SwotAudit} <= set(classes)
    with translation.override("pl"):
        for cls in classes:
            for member in cls:
                assert str(member.label) and str(member.label) != member.value, member


def test_the_moderation_log_shows_what_happened_in_words(
    client: Client, make_round: Callable[..., Round], coordinator: User
) -> None:
    round_ = make_round(Phase.SETTLED)
    for action in (ConsultationsAudit.ROUND_PUBLISH_REPORT, ConsultationsAudit.COMMENT_SETTLE):
        audit_record(actor=coordinator, action=action, target=round_, data={"round": round_.pk})
    client.force_login(coordinator)
    html = client.get(reverse("consultations:round-audit", kwargs={"pk": round_.pk})).content
    text = html.decode()
    assert "round.publish_report" not in text
    assert "comment.settle" not in text
    assert "Opublikowano raport" in text
    assert "Rozpatrzono uwagi" in text


def test_a_version_of_the_draft_is_named_in_words(seeded: Meeting) -> None:
    version = DraftVersion.objects.order_by("number").first()
    assert version is not None
    with translation.override("pl"):
        assert str(version) == f"{version.draft}, wersja {version.number}"


def test_the_round_form_offers_versions_in_words(client: Client, coordinator: User) -> None:
    client.force_login(coordinator)
    text = client.get(reverse("consultations:round-create")).content.decode()
    assert re.search(r"wersja \d+</option>", text)
    assert not re.search(r" v\d+</option>", text)


def test_swot_items_follow_the_seeds_order_and_words(
    make_round: Callable[..., Round], seeded: Meeting
) -> None:
    round_ = make_round(Phase.OPEN)
    topic = SwotTopic.objects.filter(meeting=seeded).order_by("position").first()
    assert topic is not None
    for quadrant in "TOWS":  # stored in the opposite order, so the order is the page's own
        SwotEntry.objects.create(topic=topic, quadrant=quadrant, text=f"Wpis {quadrant}")
    with translation.override("pl"):
        groups = {str(name): items for name, items in selectors.round_items(round_).choices()[1:]}
        labels = [str(label) for _value, label in groups["Analiza SWOT"]]
    prefixes = []
    for label in labels:
        prefix = label.split(":")[0]
        if prefix not in prefixes:
            prefixes.append(prefix)
    # The seed says "silne i słabe strony, szanse i zagrożenia".
    assert prefixes == ["Silne strony", "Słabe strony", "Szanse", "Zagrożenia"]
    assert [q.value for q in Quadrant] == ["S", "W", "O", "T"]


def test_the_new_meeting_page_does_not_say_it_was_saved(
    client: Client, coordinator: User, seeded: Meeting
) -> None:
    client.force_login(coordinator)
    url = reverse("teams:meeting-create", kwargs={"slug": seeded.team.slug})
    text = client.get(url).content.decode()
    # What the page shows: not the <template> a script shows only when a send fails.
    shown = re.sub(r"<template\b.*?</template>", "", text, flags=re.S)
    assert "zapisano" not in shown
    assert "Po zapisaniu spotkanie będzie szkicem" in shown


def test_the_invitation_does_not_say_meeting_twice(seeded: Meeting) -> None:
    with translation.override("pl"):
        body = render_to_string(
            "emails/meeting_invitation_body.txt",
            {"object": seeded, "starts_at": dt.datetime(2011, 7, 6, 9, 0, tzinfo=dt.UTC)},
        )
    assert "spotkanie Spotkanie" not in body
    assert f"Zapraszamy na „{seeded.title}”" in body


def test_the_confirmation_e_mail_is_polish_as_written(client: Client, seeded: Meeting) -> None:
    client.post(
        reverse("account_signup"),
        {
            "email": "nowa.osoba@example.org",
            "password1": "a-long-Passw0rd-for-tests",
            "password2": "a-long-Passw0rd-for-tests",
        },
    )
    (message,) = mail.outbox
    assert message.subject == "[Kraków NGO] Potwierdź swój adres e-mail"
    assert "Witamy z" not in message.body
    assert message.body.startswith("Dzień dobry,")
    assert "Dziękujemy za korzystanie z portalu Kraków NGO" in message.body


def test_e_mails_name_the_disposition_as_the_pages_do(seeded: Meeting) -> None:
    comment = Comment.objects.exclude(disposition="").select_related("round").first()
    assert comment is not None
    with translation.override("pl"):
        body = render_to_string(
            "emails/comment_settled_body.txt", {"object": comment, "round": comment.round}
        )
        published = render_to_string(
            "emails/report_published_body.txt", {"object": comment.round, "comments": []}
        )
    assert "Sposób rozpatrzenia:" in body
    assert "Rozstrzygnięcie" not in body
    assert published.startswith(f"Opublikowano raport z rundy „{comment.round.title}”.")


def test_the_draft_editor_numbers_chapters_as_the_published_version(
    client: Client, coordinator: User, seeded: Meeting
) -> None:
    draft = ProgrammeDraft.objects.first()
    assert draft is not None
    client.force_login(coordinator)
    text = client.get(reverse("drafts:draft-edit", kwargs={"pk": draft.pk})).content.decode()
    assert "Element 1" not in text
    assert re.search(r"Rozdział I\s*:", text)


def test_dates_in_prose_are_written_in_words() -> None:
    with translation.override("pl"):
        assert prose_date(dt.date(2011, 11, 30)) == "30 listopada 2011"


def test_the_meeting_annex_heading_writes_its_date_in_words(seeded: Meeting) -> None:
    seeded.annex_title = ""  # the heading the portal writes when the seeds give none
    with translation.override("pl"):
        text = render_to_string(
            "actions/partials/meeting_annex.html", {"meeting": seeded, "actions": []}
        )
    assert "6.07.2011" not in text
    assert "6 lipca 2011" in text


def test_a_comment_on_an_action_names_the_action_and_its_text(
    make_round: Callable[..., Round], member: User, seeded: Meeting
) -> None:
    round_ = make_round(Phase.OPEN)
    action = Action.objects.filter(meeting=seeded).order_by("number").last()
    assert action is not None
    comment = Comment.objects.create(
        round=round_, author=member, author_role=AuthorRole.EXPERT, action=action, text="Uwaga"
    )
    with translation.override("pl"):
        label = comment.item_label
    assert label.startswith(f"Działanie {action.number}: {action.text[:40]}")
    assert len(label) <= len(f"Działanie {action.number}: ") + 80
