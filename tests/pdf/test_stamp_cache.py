"""The cheap stamp in front of the PDF cache, and the programme's first rendering in the task.

A download whose stamp (a few small queries) matches a stored rendering is served without
building the document; every change to what a builder reads must give a new stamp, or a stale
PDF would be served. The last part of this file checks that change by change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Goal
from consultations import services
from consultations.models import AuthorRole, Comment, Round, Support
from consultations.phases import Phase
from documents.models import Publication
from documents.programme import (
    programme_version_document,
    programme_working_copy_document,
    round_report_document,
)
from documents.publications import render_publication
from drafts import services as draft_services
from drafts.models import DraftElement, DraftParagraph, DraftVersion, ProgrammeDraft
from pdf import cache as pdf_cache
from pdf import render as pdf_render
from pdf.models import PdfRendering
from swot.models import SwotEntry, SwotTopic
from teams.models import Meeting, Organisation, Representation, Team, User

from .helpers import Download, pdf_text

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@dataclass
class World:
    """The seeds plus what the programme's annexes can show: a SWOT board on the published
    meeting, goals, and a published report whose comments point at a SWOT entry, a goal and an
    action and carry a named author and a support."""

    meeting: Meeting
    coordinator: User
    member: User
    organisation: Organisation
    draft: ProgrammeDraft
    version: DraftVersion
    report: Round
    named: Comment
    entries: list[SwotEntry]
    goals: list[Goal]

    def version_url(self) -> str:
        """The programme with its live annexes: the working copy (a published version is
        frozen, see test_publications.py); the world's client is the coordinator's."""
        return reverse("drafts:working-copy-pdf", args=[self.draft.pk])

    def report_url(self) -> str:
        return reverse("drafts:round-report-pdf", args=[self.report.pk])


def _comment(round_: Round, member: User, organisation: Organisation, text: str, **item) -> Comment:
    return Comment.objects.create(
        round=round_,
        author=member,
        author_role=AuthorRole.ORGANISATION,
        organisation=organisation,
        text=text,
        proposed_wording="",
        disposition="accepted",
        justification="Uzasadnienie zespołu.",
        **item,
    )


def make_round(world_meeting: Meeting, coordinator: User, title: str, status: str) -> Round:
    now = timezone.now()
    round_ = services.round_create(
        actor=coordinator,
        title=title,
        meeting=world_meeting,
        goal="Cel",
        subject="Przedmiot",
        scope_and_forms="Uwagi pisemne",
        responsible_office="MOWIS",
        contact="mowis@example.org",
        opens_at=now - 10 * DAY,
        closes_at=now - DAY,
    )
    Round.objects.filter(pk=round_.pk).update(status=status)
    round_.refresh_from_db()
    return round_


@pytest.fixture
def world(client: Client, seeded: Meeting, coordinator: User, member: User) -> World:
    client.force_login(coordinator)
    member.first_name, member.last_name, member.show_name_publicly = "Anna", "Nowak", True
    member.save()
    organisation = Representation.objects.get(user=member).organisation
    topic = SwotTopic.objects.create(meeting=seeded, position=99, title="Rynek pracy")
    entries = [
        SwotEntry.objects.create(topic=topic, quadrant=q, position=p, text=t)
        for q, p, t in [("S", 1, "Silne NGO"), ("S", 2, "Wolontariusze"), ("W", 1, "Mało lokali")]
    ]
    goals = [
        Goal.objects.create(team=seeded.team, meeting=seeded, number=n, title=f"Cel {n}")
        for n in (1, 2)
    ]
    report = make_round(seeded, coordinator, "Runda ze sprawozdaniem", Phase.REPORT_PUBLISHED)
    named = _comment(report, member, organisation, "Uwaga ogólna")
    _comment(report, member, organisation, "Uwaga o SWOT", swot_entry=entries[0])
    _comment(report, member, organisation, "Uwaga o celu", goal=goals[0])
    action = Action.objects.get(meeting=seeded, number=3)
    _comment(report, member, organisation, "Uwaga o działaniu", action=action)
    other = Organisation.objects.exclude(pk=organisation.pk).order_by("pk").first()
    assert other is not None
    Support.objects.create(comment=named, organisation=other)
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    return World(
        meeting=seeded,
        coordinator=coordinator,
        member=member,
        organisation=organisation,
        draft=draft,
        version=draft.versions.get(),
        report=report,
        named=named,
        entries=entries,
        goals=goals,
    )


# --- Serving from the stamp -----------------------------------------------------------------


def test_the_first_request_for_the_programme_pdf_gets_the_progress_page_and_the_task_renders_it(
    client: Client, world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    url = world.version_url()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(url)
    assert response.status_code == 202
    assert f'hx-get="{url}"' in response.content.decode()
    pending = PdfRendering.objects.get()
    assert pending.status == PdfRendering.Status.PENDING
    assert pending.stamp  # the stamp read before the build, which it vouches for
    assert len(callbacks) == 1  # render_pdf, queued on commit

    # Polling finds the pending rendering by its stamp and queues nothing more.
    with django_capture_on_commit_callbacks(execute=False) as more:
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
    assert more == []

    callbacks[0]()  # the worker runs render_pdf (eager here)
    pending.refresh_from_db()
    assert pending.status == PdfRendering.Status.DONE
    response = client.get(url)
    assert response.status_code == 200
    assert "Runda ze sprawozdaniem" in pdf_text(b"".join(response.streaming_content))


def test_a_small_document_without_the_large_mark_is_still_rendered_in_the_request(
    client: Client, world: World
) -> None:
    settled = make_round(world.meeting, world.coordinator, "Runda rozpatrzona", Phase.SETTLED)
    response = client.get(reverse("drafts:round-report-pdf", args=[settled.pk]))
    assert response.status_code == 200
    assert PdfRendering.objects.get().stamp


# Queries of a cached download of the programme's working copy: the user (the session is read
# from the cache: SESSION_ENGINE cached_db), the draft (access helper), then the stamp: the
# working copy's snapshot (its chapters, paragraphs, linked goals and actions, the comments they
# answer), published meetings, their actions, their SWOT entries, the rounds, the items the
# reports' comments point at; then the rendering with that stamp. (A published version is
# frozen and needs none of these.)
CACHED_PROGRAMME_QUERIES = 15


def test_a_cached_programme_pdf_costs_the_same_few_queries_whatever_the_number_of_comments(
    client: Client,
    world: World,
    download: Download,
    django_assert_num_queries: Callable,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    url = world.version_url()
    download(client, url)
    with django_assert_num_queries(CACHED_PROGRAMME_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    first = PdfRendering.objects.get(status=PdfRendering.Status.DONE).key

    Comment.objects.bulk_create(
        Comment(
            round=world.report,
            author=world.member,
            author_role=AuthorRole.ORGANISATION,
            organisation=world.organisation,
            action=Action.objects.get(meeting=world.meeting, number=1 + n % 18),
            text=f"Uwaga masowa {n}",
            disposition="accepted",
            justification="Uzasadnienie.",
        )
        for n in range(60)
    )
    # bulk_create sends no signals; the services and the admin bump the marker themselves.
    Round.objects.filter(pk=world.report.pk).update(comments_changed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 200  # quick last time: rendered in the request
    assert PdfRendering.objects.get(status=PdfRendering.Status.DONE).key != first

    with django_assert_num_queries(CACHED_PROGRAMME_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


def test_a_cached_download_builds_no_document(
    client: Client, world: World, download: Download, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = world.version_url()
    download(client, url)

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("built the document")

    monkeypatch.setattr("documents.programme._programme_document", no_build)
    response = client.get(url)
    assert response.status_code == 200


def test_a_marker_that_moves_without_changing_the_pdf_keeps_the_file_and_takes_the_new_stamp(
    client: Client,
    world: World,
    download: Download,
    django_assert_num_queries: Callable,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = world.version_url()
    download(client, url)
    rendering = PdfRendering.objects.get()
    # A flag or a read-only save moves comments_changed_at; the report prints the same.
    Round.objects.filter(pk=world.report.pk).update(comments_changed_at=timezone.now())

    def no_render(*args: object, **kwargs: object) -> None:
        raise AssertionError("rendered again")

    monkeypatch.setattr(pdf_cache, "render_document", no_render)
    response = client.get(url)
    assert response.status_code == 200
    assert PdfRendering.objects.get().pk == rendering.pk
    assert PdfRendering.objects.get().stamp != rendering.stamp
    with django_assert_num_queries(CACHED_PROGRAMME_QUERIES):
        assert client.get(url).status_code == 200


_ticks = iter(range(1_000_000))


@pdf_cache.pdf_document(stamp=lambda object_id: next(_ticks))
def _moving_document(object_id: str) -> pdf_render.PdfDocument:
    """A document whose stamp is different every time it is read."""
    return pdf_render.PdfDocument(
        template_name="pdf/base.html", context={"n": object_id}, title="T", filename="t.pdf"
    )


def test_a_stamp_that_changed_while_the_document_was_built_is_not_recorded(
    world: World,
) -> None:
    rendering = pdf_cache.rendering_ensure(builder=_moving_document, object_id="1")
    assert rendering.is_ready
    assert rendering.stamp == ""
    # and the next request, with yet another stamp, finds the file by its key
    assert pdf_cache.rendering_ensure(builder=_moving_document, object_id="1").pk == rendering.pk


def test_a_file_gone_from_storage_is_rendered_again_not_served_by_its_stamp(
    client: Client, world: World
) -> None:
    settled = make_round(world.meeting, world.coordinator, "Runda rozpatrzona", Phase.SETTLED)
    url = reverse("drafts:round-report-pdf", args=[settled.pk])
    assert client.get(url).status_code == 200
    rendering = PdfRendering.objects.get()
    rendering.file.storage.delete(rendering.file.name)
    response = client.get(url)
    assert response.status_code == 200
    assert rendering.file.storage.exists(rendering.file.name)


# --- Warming the PDF when a version is published ---------------------------------------------


def test_publishing_a_version_freezes_and_renders_it_after_the_commit(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        version = draft_services.draft_version_publish(actor=world.coordinator, draft=world.draft)
    frozen = Publication.objects.filter(kind="version")
    assert sorted(frozen.values_list("object_id", flat=True)) == [
        str(version.pk),
        f"{version.pk}:lines",
    ]
    assert all(p.status == Publication.Status.DONE and p.sha256 for p in frozen)


def test_warming_twice_renders_once(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counts the renders rather than raising in one: the cache catches every exception of a
    render (and marks the rendering failed), so a raising guard could never fail this test."""
    renders: list[object] = []
    real_render = pdf_cache.render_document

    def counting_render(*args: Any, **kwargs: Any) -> pdf_render.RenderResult:
        renders.append(args)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(pdf_cache, "render_document", counting_render)
    path = pdf_cache.builder_path(programme_version_document)
    pdf_cache.warm_pdf(path, str(world.version.pk))
    assert len(renders) == 1
    pdf_cache.warm_pdf(path, str(world.version.pk))
    assert len(renders) == 1
    assert PdfRendering.objects.get().status == PdfRendering.Status.DONE


def test_a_broker_that_is_down_does_not_fail_the_publication(
    world: World, django_capture_on_commit_callbacks: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("broker down")

    monkeypatch.setattr(render_publication, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        version = draft_services.draft_version_publish(actor=world.coordinator, draft=world.draft)
    assert version.number == 2
    # Frozen all the same; the next request queues the render again.
    assert not Publication.objects.filter(status=Publication.Status.DONE).exists()
    assert Publication.objects.filter(kind="version").count() == 2


# --- End to end: a change to the inputs gives a new PDF --------------------------------------


def test_editing_an_action_gives_a_new_programme_pdf(
    client: Client, world: World, download: Download
) -> None:
    url = world.version_url()
    before = download(client, url)
    Action.objects.filter(meeting=world.meeting, number=2).update(text="Działanie przeredagowane.")
    after = download(client, url)
    assert after != before
    assert "2. Działanie przeredagowane." in pdf_text(after)


def test_hiding_a_comment_of_a_published_report_gives_a_new_programme_pdf(
    client: Client, world: World, download: Download
) -> None:
    url = world.version_url()
    assert "Uwaga ogólna" in pdf_text(download(client, url))
    comment = Comment.objects.get(pk=world.named.pk)
    comment.hidden_at, comment.hidden_reason = timezone.now(), "Obraźliwa"
    comment.save()  # as the admin does: the report is published, the services refuse
    text = pdf_text(download(client, url))
    assert "Uwaga ogólna" not in text


def test_publishing_a_new_report_gives_a_new_programme_pdf(
    client: Client, world: World, download: Download
) -> None:
    url = world.version_url()
    assert "Druga runda" not in pdf_text(download(client, url))
    settled = make_round(world.meeting, world.coordinator, "Druga runda", Phase.SETTLED)
    services.round_publish_report(actor=world.coordinator, round_=settled)
    assert "Druga runda" in pdf_text(download(client, url))


def test_settling_and_hiding_through_the_services_give_a_new_report_pdf(
    client: Client, world: World, download: Download
) -> None:
    closed = make_round(world.meeting, world.coordinator, "Runda zamknięta", Phase.CLOSED)
    comment = _comment(closed, world.member, world.organisation, "Do rozpatrzenia")
    Comment.objects.filter(pk=comment.pk).update(disposition="", justification="")
    client.force_login(world.coordinator)
    url = reverse("drafts:round-report-pdf", args=[closed.pk])
    first = download(client, url)
    assert "Do rozpatrzenia" in pdf_text(first)
    services.comments_settle(
        actor=world.coordinator,
        round_=closed,
        versions={comment.pk: Comment.objects.get(pk=comment.pk).version},
        disposition="not_accepted",
        justification="Poza zakresem programu.",
    )
    settled = download(client, url)
    assert settled != first
    assert "Poza zakresem programu." in pdf_text(settled)
    services.round_mark_settled(actor=world.coordinator, round_=closed)
    shown = download(client, url)
    services.comment_hide(
        actor=world.coordinator, comment=Comment.objects.get(pk=comment.pk), reason="Spam"
    )
    hidden = download(client, url)
    assert hidden != shown
    # The report is not published: its "PROJEKT" watermark is outlines, so its text reads.
    assert "Do rozpatrzenia" not in pdf_text(hidden)
    assert "Do rozpatrzenia" in pdf_text(shown)


# --- Every input change gives a new stamp ----------------------------------------------------
#
# Each change below alters what a builder prints (its key changes: checked, so that the case is
# a real one), and must alter the builder's stamp. Changes are made the way that leaves the
# fewest traces: raw UPDATEs where the value is read as it is, admin-like saves where only a
# marker follows it (those go through the signals), services where the phase allows them.

VERSION, WORKING_COPY, REPORT = "version", "working copy", "report"
# A version published before versions kept their annexes (DraftVersion.annexes is None):
# it prints the live annexes, so their every change is its change too. A version published
# since prints the annexes it was published with: only its adoption changes it.
OLD_VERSION = "version published before its annexes were kept"
ANNEXES = (OLD_VERSION, WORKING_COPY)
EVERYWHERE = (OLD_VERSION, WORKING_COPY, REPORT)


def _action(world: World, number: int) -> Action:
    return Action.objects.get(meeting=world.meeting, number=number)


def _raw_action_text(world: World) -> None:
    Action.objects.filter(pk=_action(world, 2).pk).update(text="Nowa treść.")


def _swap_action_numbers(world: World) -> None:
    # as actions.services.action_move does: three UPDATEs of the number, no version; number 3
    # is quoted by a comment of the report
    a, b = _action(world, 3), _action(world, 4)
    Action.objects.filter(pk=a.pk).update(number=0)
    Action.objects.filter(pk=b.pk).update(number=3)
    Action.objects.filter(pk=a.pk).update(number=4)


def _save_action_text(world: World) -> None:
    action = _action(world, 4)
    action.text = "Tekst poprawiony w panelu administracyjnym."
    action.save()


def _merge_action(world: World) -> None:
    Action.objects.filter(pk=_action(world, 5).pk).update(
        merged_into=_action(world, 6), status=Action.Status.MERGED
    )


def _add_action(world: World) -> None:
    Action.objects.create(
        team=world.meeting.team, meeting=world.meeting, number=19, text="Dziewiętnaste."
    )


def _delete_action(world: World) -> None:
    _action(world, 18).delete()


def _rename_team(world: World) -> None:
    Team.objects.filter(pk=world.meeting.team_id).update(name="ds. nowej nazwy")


def _meeting(world: World, **fields: object) -> None:
    Meeting.objects.filter(pk=world.meeting.pk).update(**fields)


def _entry(world: World, index: int, **fields: object) -> None:
    SwotEntry.objects.filter(pk=world.entries[index].pk).update(**fields)


def _add_entry(world: World) -> None:
    SwotEntry.objects.create(topic=world.entries[0].topic, quadrant="O", position=1, text="Nowe")


def _swap_entries(world: World) -> None:
    _entry(world, 0, position=2)
    _entry(world, 1, position=1)


def _rename_topic(world: World) -> None:
    SwotTopic.objects.filter(pk=world.entries[0].topic_id).update(title="Mieszkalnictwo")


def _publish_another_report(world: World) -> None:
    settled = make_round(world.meeting, world.coordinator, "Kolejna runda", Phase.SETTLED)
    services.round_publish_report(actor=world.coordinator, round_=settled)


def _report_round(world: World, **fields: object) -> None:
    Round.objects.filter(pk=world.report.pk).update(**fields)


def _save_report_title(world: World) -> None:
    round_ = Round.objects.get(pk=world.report.pk)
    round_.title = "Runda o nowym tytule"
    round_.save()


def _save_comment(world: World, **fields: object) -> None:
    comment = Comment.objects.get(pk=world.named.pk)
    for name, value in fields.items():
        setattr(comment, name, value)
    comment.save()


def _admin_adds_comment(world: World) -> None:
    _comment(world.report, world.member, world.organisation, "Uwaga dopisana")


def _delete_support(world: World) -> None:
    Support.objects.get(comment=world.named).delete()


def _rename_organisation(world: World) -> None:
    organisation = Organisation.objects.get(pk=world.organisation.pk)
    organisation.name = "Fundacja o nowej nazwie"
    organisation.save()


def _hide_name(world: World) -> None:
    member = User.objects.get(pk=world.member.pk)
    member.show_name_publicly = False
    member.save(update_fields=["show_name_publicly"])


def _renumber_goal(world: World) -> None:
    Goal.objects.filter(pk=world.goals[0].pk).update(number=7)


def _adopt(world: World) -> None:
    draft_services.draft_version_adopt(
        actor=world.coordinator,
        version=world.version,
        number="XII/123/11",
        date=timezone.localdate(),
        url="https://www.bip.krakow.pl/",
    )


def _add_paragraph(world: World) -> None:
    section = world.draft.sections.get(element=DraftElement.FUNDS)
    draft_services.paragraph_add(
        actor=world.coordinator, section=section, text="Nowy § o budżecie."
    )


def _move_paragraph(world: World) -> None:
    paragraphs = DraftParagraph.objects.filter(section__draft=world.draft)
    paragraph = next(p for p in paragraphs.order_by("-pk") if p.position > 1)
    draft_services.paragraph_move(actor=world.coordinator, paragraph=paragraph, up=True)


def _cite_in_working_copy(world: World) -> None:
    """A paragraph of the working copy now answers a comment of the report (not yet in a
    published version: the report lists it as such)."""
    paragraph = DraftParagraph.objects.filter(section__draft=world.draft).order_by("pk").first()
    assert paragraph is not None
    comment = Comment.objects.filter(round=world.report).order_by("pk").first()
    assert comment is not None
    comment.draft_paragraphs.add(paragraph)


CHANGES: list[tuple[str, Callable[[World], None], tuple[str, ...]]] = [
    ("action text, raw UPDATE", _raw_action_text, ANNEXES),
    ("action text, admin save", _save_action_text, ANNEXES),
    ("action numbers swapped", _swap_action_numbers, EVERYWHERE),
    ("action merged", _merge_action, ANNEXES),
    ("action added", _add_action, ANNEXES),
    ("action deleted", _delete_action, ANNEXES),
    ("team renamed", _rename_team, ANNEXES),
    ("meeting annex heading", lambda w: _meeting(w, annex_title="Nowy nagłówek"), ANNEXES),
    ("meeting date", lambda w: _meeting(w, date=dt.date(2011, 7, 7)), ANNEXES),
    ("meeting unpublished", lambda w: _meeting(w, status=Meeting.Status.CLOSED), ANNEXES),
    ("SWOT entry added", _add_entry, ANNEXES),
    ("SWOT entry text", lambda w: _entry(w, 1, text="Zmieniony wpis"), ANNEXES),
    ("SWOT entry quoted by a comment", lambda w: _entry(w, 0, text="Inny wpis"), EVERYWHERE),
    ("SWOT entries reordered", _swap_entries, ANNEXES),
    ("SWOT entry merged", lambda w: _entry(w, 1, merged_into=w.entries[2]), ANNEXES),
    ("SWOT topic renamed", _rename_topic, ANNEXES),
    ("a new report published", _publish_another_report, ANNEXES),
    ("report unpublished", lambda w: _report_round(w, status=Phase.SETTLED), EVERYWHERE),
    ("round title, save", _save_report_title, EVERYWHERE),
    ("round office, raw UPDATE", lambda w: _report_round(w, responsible_office="WSS"), EVERYWHERE),
    (
        "round scope and forms, raw UPDATE",
        lambda w: _report_round(w, scope_and_forms="Uwagi pisemne i dyżur eksperta."),
        (REPORT,),
    ),
    (
        "round dates, raw UPDATE",
        lambda w: _report_round(w, opens_at=timezone.now() - 20 * DAY),
        EVERYWHERE,
    ),
    ("comment settled again", lambda w: _save_comment(w, disposition="not_accepted"), EVERYWHERE),
    ("comment justification", lambda w: _save_comment(w, justification="Inne."), EVERYWHERE),
    ("comment hidden", lambda w: _save_comment(w, hidden_at=timezone.now()), EVERYWHERE),
    ("comment withdrawn", lambda w: _save_comment(w, withdrawn_at=timezone.now()), EVERYWHERE),
    ("comment text", lambda w: _save_comment(w, text="Poprawiona uwaga"), EVERYWHERE),
    ("comment added", _admin_adds_comment, EVERYWHERE),
    ("support withdrawn", _delete_support, EVERYWHERE),
    ("organisation renamed", _rename_organisation, EVERYWHERE),
    ("author hides their name", _hide_name, EVERYWHERE),
    ("goal quoted by a comment renumbered", _renumber_goal, EVERYWHERE),
    ("version adopted", _adopt, (VERSION,)),
    ("working copy paragraph added", _add_paragraph, (WORKING_COPY,)),
    ("working copy paragraph moved", _move_paragraph, (WORKING_COPY,)),
    ("working copy answers a comment", _cite_in_working_copy, (REPORT,)),
]


def _documents(world: World) -> dict[str, tuple[pdf_cache.Builder, str]]:
    return {
        VERSION: (programme_version_document, str(world.version.pk)),
        WORKING_COPY: (programme_working_copy_document, f"{world.draft.pk}:lines"),
        REPORT: (round_report_document, str(world.report.pk)),
    }


def _state(builder: pdf_cache.Builder, object_id: str) -> tuple[str, str]:
    return builder(object_id).key(), pdf_cache.document_stamp(builder, object_id)


def _old_version(world: World) -> DraftVersion:
    version = draft_services.draft_version_publish(actor=world.coordinator, draft=world.draft)
    DraftVersion.objects.filter(pk=version.pk).update(annexes=None)
    return version


def test_every_input_change_gives_a_new_stamp(world: World) -> None:
    """Each change of what a document prints gives it a new stamp; and a published version
    (its annexes kept with it) changes with nothing but its adoption."""
    documents = {
        **_documents(world),
        OLD_VERSION: (programme_version_document, str(_old_version(world).pk)),
    }
    before = {name: _state(*documents[name]) for name in documents}
    assert all(stamp for _key, stamp in before.values())
    not_a_change, missed, not_frozen = [], [], []
    for label, change, affected in CHANGES:
        with transaction.atomic():
            change(world)
            for name in affected:
                key, stamp = _state(*documents[name])
                if key == before[name][0]:
                    not_a_change.append(f"{label} → {name}")
                elif stamp == before[name][1]:
                    missed.append(f"{label} → {name}")
            if VERSION not in affected and _state(*documents[VERSION]) != before[VERSION]:
                not_frozen.append(label)
            transaction.set_rollback(True)  # the next change starts from the same data
    assert not_a_change == []
    assert missed == []
    assert not_frozen == []
    assert {name: _state(*documents[name]) for name in documents} == before


def test_new_templates_fonts_or_translations_give_a_new_stamp(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder, object_id = _documents(world)[VERSION]
    before = pdf_cache.document_stamp(builder, object_id)
    monkeypatch.setattr(pdf_cache, "code_version", lambda: "another-deployment")
    assert pdf_cache.document_stamp(builder, object_id) != before


def test_the_stamp_of_a_missing_object_raises_like_its_builder(world: World) -> None:
    with pytest.raises(DraftVersion.DoesNotExist):
        pdf_cache.document_stamp(programme_version_document, "99999")
    with pytest.raises(Round.DoesNotExist):
        pdf_cache.document_stamp(round_report_document, "99999")
