"""Models that changed app kept their tables, and their rows and content types came along: a
database made by the migrations before the move (audit entries, outbox rows, PDF renderings and
the programme draft as the old apps had them) migrates forward and reads the same."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from consultations.models import Comment, Round
from core.models import AuditEntry
from drafts.models import DraftParagraph, DraftVersion
from notifications.models import Outbox
from pdf.models import PdfRendering

BEFORE = [
    ("krakow_ngo", "0012_pdf_rendering_stamp"),
    ("consultations", "0007_comment_round_order"),
    ("teams", "0002_membership_status_rejected"),
]


#: Migrating back to BEFORE also takes the new apps out (nothing of them existed then).
NEW_APPS = [("core", None), ("notifications", None), ("pdf", None), ("drafts", None)]


def _migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest() -> list[tuple[str, str | None]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_migrates_forward_with_its_rows() -> None:
    latest = _latest()
    old = _migrate([*BEFORE, *NEW_APPS]).loader.project_state(BEFORE).apps
    content_type = old.get_model("contenttypes", "ContentType")
    user = old.get_model("teams", "User").objects.create(email="migration-test@example.org")
    programme = old.get_model("teams", "Programme").objects.create(
        title="Program 2031–2033 (migration test)", period_start=2031, period_end=2033
    )
    draft = old.get_model("consultations", "ProgrammeDraft").objects.create(
        programme=programme, title="Projekt programu"
    )
    section = old.get_model("consultations", "DraftSection").objects.create(
        draft=draft, element=1, title="Cele"
    )
    paragraph = old.get_model("consultations", "DraftParagraph").objects.create(
        section=section, text="Celem programu jest…"
    )
    version = old.get_model("consultations", "DraftVersion").objects.create(
        draft=draft, number=1, snapshot={"sections": []}
    )
    round_ = old.get_model("consultations", "Round").objects.create(
        programme=programme,
        draft_version=version,
        title="Runda",
        goal="Cel",
        subject="Przedmiot",
        responsible_office="Urząd",
        contact="kontakt@example.org",
        opens_at="2026-10-01T08:00:00Z",
        closes_at="2026-10-20T08:00:00Z",
    )
    comment = old.get_model("consultations", "Comment").objects.create(
        round=round_, author=user, author_role="expert", text="Uwaga"
    )
    paragraph.answers.add(comment)
    # Migrating back moved the content types back to the old apps, as the old code had them.
    version_type = content_type.objects.get_or_create(
        app_label="consultations", model="draftversion"
    )[0]
    audit_type = content_type.objects.get_or_create(app_label="krakow_ngo", model="auditentry")[0]
    entry_id = (
        old.get_model("krakow_ngo", "AuditEntry")
        .objects.create(
            actor=user,
            action="draft_version.publish",
            target_type=version_type,
            target_id=str(version.pk),
            target_repr="v1",
        )
        .pk
    )
    outbox_id = (
        old.get_model("krakow_ngo", "Outbox")
        .objects.create(
            recipient=user,
            email=user.email,
            kind="round_opened",
            subject_type=version_type,
            subject_id=str(version.pk),
            due_at="2026-10-01T08:00:00Z",
        )
        .pk
    )
    rendering_id = (
        old.get_model("krakow_ngo", "PdfRendering")
        .objects.create(
            key="k" * 64,
            stamp="s" * 64,
            builder="consultations.draft_views.programme_version_document",
            object_id=str(version.pk),
            template_name="pdf/programme.html",
            filename="programme-v1.pdf",
        )
        .pk
    )

    _migrate(latest)
    ContentType.objects.clear_cache()

    version_now = DraftVersion.objects.get(pk=version.pk)
    entry = AuditEntry.objects.get(pk=entry_id)
    assert entry.target == version_now  # the content type moved with the model
    assert entry.target_type_id == version_type.pk
    assert ContentType.objects.get(pk=audit_type.pk).app_label == "core"
    assert Outbox.objects.get(pk=outbox_id).subject == version_now
    assert Round.objects.get(pk=round_.pk).draft_version == version_now
    assert list(DraftParagraph.objects.get(pk=paragraph.pk).answers.all()) == [
        Comment.objects.get(pk=comment.pk)
    ]
    rendering = PdfRendering.objects.get(pk=rendering_id)
    assert rendering.builder == "documents.programme.programme_version_document"
    assert rendering.stamp == ""  # re-stamped by the next request, not rendered again
