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


def test_seeding_the_consultations_twice_creates_nothing_twice(seeded: Meeting) -> None:
    from django.core.management import call_command

    from consultations.models import Comment, Support
    from teams.models import Organisation, Representation

    models = (Round, Comment, Support, Organisation, Representation, User)
    before = [m.objects.count() for m in models]
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.objects.count() for m in models] == before


def test_the_demo_organisations_have_valid_nips_and_can_log_in(seeded: Meeting) -> None:
    from stdnum.pl import nip

    from demo.consultations import DEMO_ORGANISATIONS

    for email, _first, _last, fields in DEMO_ORGANISATIONS:
        assert nip.is_valid(fields["nip"])
        assert User.objects.get(email=email).check_password("demo-krakow-2011")
