from __future__ import annotations

import pytest
from django.test import Client

from consultations.models import Round
from consultations.phases import Phase
from teams.models import Meeting, User

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_published_report_and_an_open_round(seeded: Meeting) -> None:
    phases = {r.title: r.phase for r in Round.objects.all()}
    assert sorted(phases.values()) == sorted([Phase.REPORT_PUBLISHED, Phase.OPEN])
    published = Round.objects.get(status=Phase.REPORT_PUBLISHED)
    assert published.comments.filter(disposition="").count() == 0
    assert published.comments.values("organisation").distinct().count() >= 4


def test_every_consultation_page_answers(seeded: Meeting, coordinator: User) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)
    published = Round.objects.get(status=Phase.REPORT_PUBLISHED)
    opened = Round.objects.get(status=Phase.ANNOUNCED)
    urls = [
        "/consultations/",
        "/consultations/new/",
        "/consultations/my-comments/",
        published.get_absolute_url(),
        opened.get_absolute_url(),
        f"/consultations/{published.pk}/report/",
        f"/consultations/{published.pk}/settle/",
        f"/consultations/{published.pk}/audit/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
