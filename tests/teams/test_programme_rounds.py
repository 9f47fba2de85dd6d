"""Rounds follow the programme they belong to (issue 13, item 1): the legal deadline of their
warnings and the versions the round form offers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from consultations import services as round_services
from consultations.forms import RoundForm
from core.errors import Refused
from drafts.models import DraftVersion
from drafts.services import draft_version_publish
from teams.models import Programme
from teams.services import programme_create

from .conftest import login


@pytest.fixture
def next_programme(seeded, coordinator) -> Programme:
    return programme_create(
        actor=coordinator,
        kind="multi_year",
        title="Program 2015–2017",
        period_start=2015,
        period_end=2017,
    )


@pytest.fixture
def next_version(next_programme, coordinator) -> DraftVersion:
    return draft_version_publish(actor=coordinator, draft=next_programme.draft)


def _data(version: DraftVersion, closes: dt.date) -> dict[str, Any]:
    closes_at = timezone.make_aware(dt.datetime.combine(closes, dt.time(16)))
    opens_at = closes_at - dt.timedelta(days=21)
    return {
        "title": "Runda 2015",
        "draft_version": str(version.pk),
        "goal": "Cel",
        "subject": "Przedmiot",
        "responsible_office": "MOWIS",
        "contact": "mowis@example.org",
        "opens_at": timezone.localtime(opens_at).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": timezone.localtime(closes_at).strftime("%Y-%m-%dT%H:%M"),
    }


def test_the_round_form_offers_only_the_current_programmes_versions(next_version, seeded):
    offered = set(RoundForm().fields["draft_version"].queryset)  # type: ignore[attr-defined]
    assert next_version in offered
    old = set(DraftVersion.objects.filter(draft__programme=seeded.team.programme))
    assert old and not (old & offered)


def test_editing_an_old_round_still_offers_its_programmes_versions(next_version, seeded):
    old_round = seeded.team.programme.rounds.exclude(draft_version=None).first()
    offered = set(RoundForm(instance=old_round).fields["draft_version"].queryset)  # type: ignore[attr-defined]
    assert old_round.draft_version in offered


def test_the_deadline_warning_uses_the_rounds_programme(client, coordinator, next_version):
    login(client, coordinator)
    response = client.post(
        "/consultations/new/", _data(next_version, dt.date(2014, 12, 10)), follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "30 listopada 2014" in page
    assert "30.11.2011" not in page
    round_ = next_version.draft.programme.rounds.get()
    assert round_.days_before_legal_deadline == -10


def test_a_round_cannot_mix_two_programmes(coordinator, seeded, next_version):
    opens = timezone.now() + dt.timedelta(days=30)
    with pytest.raises(Refused, match="różnych programów"):
        round_services.round_create(
            actor=coordinator,
            title="Mieszana",
            meeting=seeded,
            draft_version=next_version,
            goal="Cel",
            subject="Przedmiot",
            responsible_office="MOWIS",
            contact="mowis@example.org",
            opens_at=opens,
            closes_at=opens + dt.timedelta(days=21),
        )
    assert not next_version.draft.programme.rounds.exists()
