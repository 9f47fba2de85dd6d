"""Personas and an adopted programme for the implementation tests: the seeds' programme
(2012–2014) with its version 1 adopted, so that its 18 postulated actions are followed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from drafts import services as draft_services
from drafts.models import DraftVersion
from teams.models import Meeting, Programme, User
from tests.consultations.conftest import as_user, member_org, other_rep

__all__ = ["as_user", "member_org", "other_rep"]


@pytest.fixture
def programme(seeded: Meeting) -> Programme:
    return seeded.team.programme


@pytest.fixture
def adopted(programme: Programme, coordinator: User) -> Programme:
    version = DraftVersion.objects.get(draft__programme=programme, number=1)
    draft_services.draft_version_adopt(
        actor=coordinator,
        version=version,
        number="XXI/123/11",
        date=timezone.localdate(),
        url="https://www.bip.krakow.pl/",
    )
    return programme
