"""The consultation report's legal basis cites the city's rules in force when the round opened,
and a round closed before its deadline says so, with the announced deadline and the reason."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone, translation

from consultations import rules, services
from consultations.models import Round, RoundEvent
from consultations.phases import Phase
from documents.consultation_report import _date, report_sections
from teams.models import User

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


def _text(round_: Round) -> str:
    with translation.override("pl"):
        return "\n".join(
            paragraph
            for section in report_sections(round_)
            for paragraph in [
                *section.paragraphs,
                *(str(cell) for row in section.rows for cell in row),
            ]
        )


@pytest.mark.parametrize(
    ("opened", "cited"),
    [
        (dt.datetime(2011, 7, 6, 9, tzinfo=WARSAW), "XII/135/11"),
        (dt.datetime(2018, 9, 26, 0, 30, tzinfo=WARSAW), "CXI/2904/18"),  # the day it was adopted
        (dt.datetime(2026, 11, 2, 9, tzinfo=WARSAW), "CXI/2904/18"),
        (dt.datetime(2010, 1, 4, 9, tzinfo=WARSAW), "XII/135/11"),  # older than any: the first
    ],
)
def test_the_legal_basis_cites_the_rules_in_force_when_the_round_opened(
    opened: dt.datetime, cited: str
) -> None:
    assert cited in rules.rules_resolution(opened)


def test_one_resolution_set_for_the_deployment_is_cited_for_every_round(settings: Any) -> None:
    settings.CONSULTATIONS_RULES_RESOLUTIONS = [("0001-01-01", "uchwała nr I/1/25")]
    assert rules.rules_resolution(dt.datetime(2011, 7, 6, tzinfo=WARSAW)) == "uchwała nr I/1/25"


def test_the_report_of_a_round_closed_early_gives_the_announced_deadline_and_the_reason(
    make_round: Callable[..., Round], coordinator: User
) -> None:
    round_ = make_round(Phase.OPEN)
    announced = round_.closes_at
    later = RoundEvent.objects.create(
        round=round_,
        kind="duty_hour",
        starts_at=timezone.now() + dt.timedelta(days=2),
        ends_at=timezone.now() + dt.timedelta(days=2, hours=2),
        place="MOWIS",
    )
    assert "przed zapowiedzianym terminem" not in _text(round_)
    services.round_close(actor=coordinator, round_=round_, reason="Sesja Rady przyspieszona.")
    round_.refresh_from_db()
    text = _text(round_)
    assert "Runda została zamknięta przed zapowiedzianym terminem" in text
    assert "Sesja Rady przyspieszona." in text
    with translation.override("pl"):
        assert _date(announced) in text
        assert _date(later.starts_at) in text
    assert "po wcześniejszym zamknięciu rundy" in text
    assert "CXI/2904/18" in text  # and the rules of the day it opened


def test_the_report_page_gives_the_legal_basis_as_its_files_do(
    make_round: Callable[..., Round], client: Any
) -> None:
    round_ = make_round(Phase.REPORT_PUBLISHED)
    client.cookies["django_language"] = "pl"
    page = client.get(f"/consultations/{round_.pk}/report/").content.decode()
    assert "Podstawa prawna" in page
    assert "art. 5 ust. 5 ustawy z dnia 24 kwietnia 2003 r." in page
    assert "CXI/2904/18" in page
    with translation.override("pl"):
        assert any("CXI/2904/18" in p for p in report_sections(round_)[0].paragraphs)


def test_the_reports_files_say_when_it_was_published(
    make_round: Callable[..., Round], coordinator: User
) -> None:
    """The PDF and the text files go round alone: a preview says nothing, a published one when."""
    round_ = make_round(Phase.SETTLED)
    assert "Opublikowano" not in _text(round_)
    round_ = services.round_publish_report(actor=coordinator, round_=round_)
    assert round_.report_published_at is not None
    with translation.override("pl"):
        expected = f"Opublikowano {_date(round_.report_published_at)}."
    assert expected in _text(round_)
