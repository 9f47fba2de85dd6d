from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

from actions.models import Action
from consultations.models import Comment, Round
from consultations.phases import Phase
from core.models import AuditEntry
from demo import seed_data
from documents.publications import publication_freeze
from drafts.units import units
from swot.models import SwotTopic
from teams.models import (
    ContextSection,
    Meeting,
    Membership,
    Organisation,
    Programme,
    Representation,
    Team,
    User,
)

from .seeds import annex_3_actions, fold, slide_text

pytestmark = pytest.mark.django_db


def test_the_source_annex_has_18_actions() -> None:
    # Guards the parser below: if it broke, the comparison would be meaningless.
    actions = annex_3_actions()
    assert len(actions) == 18
    assert actions[0].startswith("Poszerzenie zakresu delegowanych")
    assert actions[17].endswith("w sprawach, które ich dotyczą.")


def test_each_of_the_18_actions_equals_the_seed_text(seeded: Meeting) -> None:
    stored = list(Action.objects.filter(meeting=seeded).order_by("number"))
    assert [a.number for a in stored] == list(range(1, 19))
    for action, source in zip(stored, annex_3_actions(), strict=True):
        assert action.text == source, f"action {action.number} differs from Annex 3"
        assert action.team == seeded.team


def test_the_seven_teams_of_the_slide_exist_in_its_order(seeded: Meeting) -> None:
    names = list(Team.objects.order_by("position").values_list("name", flat=True))
    assert names == [
        "ds. zdrowia i wsparcia dla osób niepełnosprawnych",
        "ds. edukacji",
        "ds. aktywizacji grup zagrożonych wykluczeniem",
        "ds. kultury",
        "ds. ekologii",
        "ds. sportu i rekreacji",
        "ds. społeczeństwa obywatelskiego",
    ]
    slides = slide_text()
    for name in names:
        assert name in slides


def test_the_social_exclusion_team_keeps_both_names(seeded: Meeting) -> None:
    team = seeded.team
    assert team.name == "ds. aktywizacji grup zagrożonych wykluczeniem"
    assert team.other_names == "ds. Wykluczenia Społecznego"
    assert "Zespołu Branżowego ds. Wykluczenia Społecznego" in seeded.title


def test_the_meeting_plan_rules_and_next_steps_come_from_the_slides(seeded: Meeting) -> None:
    slides = slide_text()
    items = list(seeded.agenda_items.order_by("position"))
    assert [i.numeral for i in items] == ["I.", "II.", "III."]
    for item in items:
        assert fold(item.title) in slides
    topics = list(SwotTopic.objects.filter(meeting=seeded).order_by("position"))
    assert len(topics) == 2
    assert all(t.agenda_item == items[0] for t in topics)
    for topic in topics:
        assert topic.title in slides
    assert len(seeded.rule_list) == 6
    assert len(seeded.next_step_list) == 6
    for line in seeded.rule_list + seeded.next_step_list:
        assert line in slides, line


def test_the_context_slides_are_reproduced(seeded: Meeting) -> None:
    programme = Programme.objects.get()
    assert programme.title in slide_text() or fold(programme.title) in slide_text()
    assert programme.legal_deadline.isoformat() == "2011-11-30"
    sections = list(ContextSection.objects.order_by("position"))
    assert {s.kind for s in sections} == {"legal_basis", "strategy", "sectoral"}
    slides = slide_text()
    for section in sections:
        for point in section.points:
            assert point["text"] in slides, point["text"]
            for sub in point["subpoints"]:
                assert sub in slides, sub
    body = " ".join(s.body for s in sections)
    for needle in ["24 kwietnia 2003", "CXI/1510/10", "I-8", "Cztery obszary priorytetowe"]:
        assert needle in body


def test_demo_accounts_have_one_role_each_and_the_demo_password(seeded: Meeting) -> None:
    users = {u.email: u for u in User.objects.all()}
    # One account per role; the consultation demo adds representatives of more organisations.
    assert set(users) >= {
        "koordynator@example.org",
        "moderator@example.org",
        "ngo@example.org",
        "ekspert@example.org",
        "urzednik@example.org",
        "admin@example.org",
    }
    for user in users.values():
        assert user.check_password("demo-krakow-2011")
    assert users["koordynator@example.org"].is_coordinator
    assert users["ekspert@example.org"].is_expert
    assert users["urzednik@example.org"].is_official
    assert users["admin@example.org"].is_superuser
    assert Membership.objects.get(user=users["moderator@example.org"]).role == "moderator"
    extra = set(users) - {
        "koordynator@example.org",
        "moderator@example.org",
        "ngo@example.org",
        "ekspert@example.org",
        "urzednik@example.org",
        "admin@example.org",
    }
    for email in extra:
        assert Representation.objects.filter(
            user=users[email], status=Representation.Status.APPROVED
        ).exists(), f"{email} is a demo account with no organisation"
    representation = Representation.objects.get(user=users["ngo@example.org"])
    assert representation.status == Representation.Status.APPROVED
    assert representation.organisation.is_verified
    # Every demo decision comes after the request it settles (the "download my data" export
    # shows both dates).
    for decided in Representation.objects.filter(user__in=users.values()):
        assert decided.decided_at is not None and decided.decided_at >= decided.created_at


def test_seed_demo_is_idempotent(seeded: Meeting) -> None:
    counts = [
        m.objects.count()
        for m in (Team, Meeting, Action, User, Organisation, ContextSection, SwotTopic)
    ]
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    again = [
        m.objects.count()
        for m in (Team, Meeting, Action, User, Organisation, ContextSection, SwotTopic)
    ]
    assert counts == again
    assert counts[:3] == [7, 1, 18]


def test_migrations_create_no_accounts(unseeded: None) -> None:
    # `unseeded` keeps the tables `migrate` filled: accounts made by a migration would be here.
    assert not User.objects.exists()


def test_seed_data_module_matches_the_annex_source() -> None:
    # The literal list in seed_data must stay the source text, not drift with edits.
    assert annex_3_actions() == seed_data.ANNEX_3_ACTIONS


def test_the_settled_2011_round_received_its_comments_while_it_was_open(seeded: Meeting) -> None:
    """Not on the day the demo was loaded: the published report prints each date."""
    settled = Round.objects.get(programme=seeded.team.programme, status=Phase.REPORT_PUBLISHED)
    comments = list(Comment.objects.filter(round=settled, parent=None))
    assert len(comments) > 2
    for comment in comments:
        assert comment.received.year == 2011, (comment.pk, comment.received)
        assert not comment.is_late
        # Registered in 2011 too, after it reached the office: the report prints both moments.
        assert settled.opens_at <= comment.created_at <= settled.closes_at, comment.pk
        assert comment.created_at >= comment.received


def test_the_demo_publications_name_who_published_them(seeded: Meeting) -> None:
    """The seed takes the publishing steps without their services; their audit entries, dated
    when the steps were taken, name the person in the publication records."""
    settled = Round.objects.get(programme=seeded.team.programme, status=Phase.REPORT_PUBLISHED)
    assert seeded.published_at is not None and seeded.published_at < settled.opens_at
    report = publication_freeze(kind="report", object_id=str(settled.pk))
    annex = publication_freeze(kind="meeting-actions", object_id=str(seeded.pk))
    assert report is not None and annex is not None
    assert report.responsible == "Katarzyna Koordynująca"
    assert report.published_at == settled.report_published_at
    assert annex.responsible == "Marek Moderujący"
    assert annex.published_at == seeded.published_at
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert AuditEntry.objects.filter(action="meeting.published").count() == 1


def test_the_demo_freezes_what_it_publishes_when_it_publishes_it(
    seeded: Meeting, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """The meeting's results, the 2011 report and its comment table are frozen by the seed
    itself (as their services freeze them, after the commit), not on a first download: an
    action edited after the seed does not read as published in 2011. Version 1 keeps the
    annexes it was published with, the 2011 report among them. (The test database's seed
    drops its on-commit callbacks: run again here, the seed asks for the same freezing.)"""
    from documents.models import Publication
    from drafts.models import DraftVersion

    assert not Publication.objects.exists()
    with django_capture_on_commit_callbacks(execute=True), open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    settled = Round.objects.get(programme=seeded.team.programme, status=Phase.REPORT_PUBLISHED)
    frozen = set(Publication.objects.values_list("kind", "object_id"))
    assert {
        ("meeting-actions", str(seeded.pk)),
        ("report", str(settled.pk)),
        ("comment-table", str(settled.pk)),
    } <= frozen
    version = DraftVersion.objects.get(draft__programme=seeded.team.programme, number=1)
    assert version.annexes is not None
    assert [report["title"] for report in version.annexes["reports"]] == [settled.title]
    opened = Round.objects.get(programme=seeded.team.programme, status=Phase.ANNOUNCED)
    assert opened.draft_version == version


def test_the_demo_version_is_dated_2011_so_its_adoption_can_be_recorded_as_it_was(
    seeded: Meeting,
) -> None:
    """Version 1 is dated after the 2011 report and before the adoption deadline, so a
    resolution of November 2011 can be recorded on the demo (a version dated the day the demo
    was loaded refused any resolution dated before it)."""
    import datetime as dt

    from django.utils import timezone

    from drafts import services as draft_services
    from drafts.models import DraftVersion

    settled = Round.objects.get(programme=seeded.team.programme, status=Phase.REPORT_PUBLISHED)
    version = DraftVersion.objects.get(draft__programme=seeded.team.programme, number=1)
    assert settled.report_published_at < version.published_at
    assert timezone.localtime(version.published_at).date() <= seeded.team.programme.legal_deadline
    adopted = draft_services.draft_version_adopt(
        actor=User.objects.get(email="koordynator@example.org"),
        version=version,
        number="XXIV/300/11",
        date=dt.date(2011, 11, 23),
        url="https://www.bip.krakow.pl/",
    )
    assert adopted.adopted


def test_the_consulted_demo_draft_has_points_a_comment_can_name(seeded: Meeting) -> None:
    """The comment form's help gives "ust. 2 pkt 3" as its example: the demo's consulted
    version has numbered points to try it on (the sectoral documents' four priority areas, one
    line each, as legal drafting sets them; run on in one line they were no points at all)."""
    round_ = Round.objects.exclude(draft_version=None).first()
    assert round_ is not None and round_.draft_version is not None
    names = {
        unit.label
        for section in round_.draft_version.snapshot["sections"]
        for paragraph in section["paragraphs"]
        for unit in units(paragraph["text"])
    }
    assert {"pkt 1", "pkt 2", "pkt 3", "pkt 4"} <= names
