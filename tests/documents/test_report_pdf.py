"""The consultation report's tagged PDF is the full report: rendered from the one builder
(``report_sections``), so it has the same sections in the same order as the ODT and DOCX;
and its cached rendering follows every input of that builder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import translation

from consultations.models import (
    AnnouncementPlace,
    Comment,
    Disposition,
    Round,
    RoundAnnex,
    RoundEvent,
)
from consultations.numbering import registration_number_next
from consultations.phases import Phase
from documents.consultation_report import report_sections
from documents.programme import round_report_document
from drafts import services as draft_services
from drafts.models import ProgrammeDraft
from pdf import cache as pdf_cache
from pdf.cache import rendering_ensure
from teams.models import User
from tests.pdf.helpers import pdf_info, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(make_round: Callable[..., Round], make_comment: Callable[..., Comment]) -> Round:
    round_ = make_round(
        Phase.SETTLED,
        synthesis="Synteza: organizacje chcą terminów.",
        rules_override_reason="Krótsza runda z powodu terminu ustawowego.",
    )
    starts = round_.opens_at + dt.timedelta(days=1)
    event = RoundEvent.objects.create(
        round=round_,
        kind=RoundEvent.Kind.OPEN_MEETING,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place="Sala Obrad",
        attendance=17,
    )
    AnnouncementPlace.objects.create(
        round=round_,
        kind=AnnouncementPlace.Kind.BIP,
        url="https://www.bip.krakow.pl/?dok_id=777",
        published_on=dt.date(2026, 10, 1),
    )
    annex = RoundAnnex(round=round_, kind=RoundAnnex.Kind.MINUTES, event=event)
    annex.file.save("minutes.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    make_comment(
        round_,
        "Dodać termin realizacji",
        registration_number=registration_number_next(round_),
        disposition=Disposition.ACCEPTED,
        justification="Dopisano termin.",
    )
    return round_


def test_the_pdf_has_every_section_of_the_builder_in_order(full: Round) -> None:
    rendering = rendering_ensure(builder=round_report_document, object_id=full.pk, render_here=True)
    assert rendering.is_ready
    pdf = rendering.file.read()
    assert pdf_info(pdf)["Tagged"] == "yes"
    text = pdf_text(pdf)
    with translation.override(settings.LANGUAGE_CODE):
        sections = report_sections(full)
    position = 0
    for section in sections:
        found = text.find(section.heading, position)
        assert found >= 0, section.heading
        position = found
    for expected in (
        "Synteza: organizacje chcą terminów.",
        "https://www.bip.krakow.pl/?dok_id=777",
        "Dodać termin realizacji",
        "Dopisano termin.",
        "Protokół z otwartego spotkania",
        f"/consultations/annexes/{RoundAnnex.objects.get().pk}/file/",
        "Krótsza runda z powodu terminu ustawowego.",
    ):
        assert expected in text, expected


def _stamp(round_: Round) -> str:
    return pdf_cache.document_stamp(round_report_document, str(round_.pk))


def test_the_pdf_follows_every_input_of_the_builder(full: Round, coordinator: User) -> None:
    before = _stamp(full)
    changes: list[Callable[[], object]] = [
        lambda: Round.objects.filter(pk=full.pk).update(synthesis="Inna synteza"),
        lambda: Round.objects.filter(pk=full.pk).update(goal="Inny cel"),
        lambda: RoundEvent.objects.filter(round=full).update(attendance=3),
        lambda: AnnouncementPlace.objects.filter(round=full).update(url="https://krakow.pl/"),
        lambda: RoundAnnex.objects.filter(round=full).delete(),
        lambda: draft_services.draft_version_publish(
            actor=coordinator, draft=ProgrammeDraft.objects.get(programme=full.programme)
        ),
    ]
    for change in changes:
        change()
        after = _stamp(full)
        assert after != before
        before = after
