"""A year whose implementation report is published is frozen (implementation.rules.check_open):
the programme's page offers no figures to enter for it, only the published report, and its
figures page says so at once and shows the figures read-only, with no form."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from implementation import services
from implementation.models import ProgrammeFigure
from teams.models import Programme, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
PUBLISHED, OPEN = 2012, 2013


def _figures_url(programme: Programme, year: int) -> str:
    return reverse("implementation:figures", args=[programme.pk, year])


@pytest.fixture
def published(adopted: Programme, official: User, coordinator: User) -> Programme:
    services.figures_save(
        actor=official,
        programme=adopted,
        year=PUBLISHED,
        figures=[services.FigureEntry("organisations", "", Decimal(154), "Rejestr współpracy")],
    )
    services.report_publish(actor=coordinator, programme=adopted, year=PUBLISHED)
    return adopted


def test_the_programme_page_offers_no_figures_for_a_published_year(
    published: Programme, official: User, as_user: Login
) -> None:
    page = as_user(official).get(reverse("implementation:programme", args=[published.pk]))
    html = page.content.decode()
    assert _figures_url(published, PUBLISHED) not in html
    assert f"Enter the figures of {PUBLISHED}" not in html
    assert f"Figures of {PUBLISHED}: the report is published" in html
    assert reverse("implementation:report", args=[published.pk, PUBLISHED]) in html
    assert _figures_url(published, OPEN) in html
    assert f"Enter the figures of {OPEN}" in html


def test_the_figures_page_of_a_published_year_says_so_and_has_no_form(
    published: Programme, official: User, as_user: Login
) -> None:
    client = as_user(official)
    response = client.get(_figures_url(published, PUBLISHED))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"The implementation report for {PUBLISHED} is published" in html
    assert 'name="value_organisations"' not in html
    assert "Rejestr współpracy" in html and "154" in html  # read-only
    open_page = client.get(_figures_url(published, OPEN)).content.decode()
    assert 'name="value_organisations"' in open_page
    assert "is published" not in open_page


def test_posting_figures_for_a_published_year_is_refused_and_stores_nothing(
    published: Programme, official: User, as_user: Login
) -> None:
    response = as_user(official).post(
        _figures_url(published, PUBLISHED),
        {"value_organisations": "200", "source_organisations": "Inny rejestr"},
    )
    assert response.status_code == 400
    assert f"The implementation report for {PUBLISHED} is published" in response.content.decode()
    figure = ProgrammeFigure.objects.get(programme=published, year=PUBLISHED)
    assert (figure.value, figure.source) == (Decimal(154), "Rejestr współpracy")


def test_what_was_typed_for_a_year_frozen_meanwhile_is_shown_back(
    published: Programme, official: User, as_user: Login
) -> None:
    """The page was opened before the report was published: the sources typed come back to
    copy (an erratum may need them), as every refused form shows its text back."""
    url = _figures_url(published, PUBLISHED)
    response = as_user(official).post(
        url,
        {"value_organisations": "200", "source_organisations": "Rejestr umów MCD, stan na 31 XII"},
        HTTP_REFERER=f"http://testserver{url}",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "It was not saved. Copy it before you leave this page" in html
    assert "Rejestr umów MCD, stan na 31 XII</textarea>" in html


def test_an_actions_year_and_a_proposal_for_a_published_year_offer_no_form(
    published: Programme, official: User, member: User, as_user: Login
) -> None:
    """Reached by a direct address, the forms of a published year said nothing until they
    were sent; now the page says at once that the year is frozen, and nothing is stored."""
    from actions.models import Action

    action = Action.objects.filter(meeting__team__programme=published).order_by("pk").first()
    assert action is not None
    services.plan_edit(actor=official, action=action, responsible_unit="MCD", partners=[])
    pages = [
        (official, reverse("implementation:action-year", args=[action.pk, PUBLISHED])),
        (member, reverse("implementation:proposal-add", args=[action.pk, PUBLISHED])),
    ]
    for user, url in pages:
        client = as_user(user)
        client.cookies["django_language"] = "en"
        page = client.get(url)
        assert page.status_code == 200, url
        assert "is published: its figures cannot change" in page.content.decode()
        assert "<form" not in page.content.decode().split("<main")[-1]
        assert client.post(url, {"status": "done"}).status_code == 400
    open_year = reverse("implementation:action-year", args=[action.pk, OPEN])
    assert as_user(official).get(open_year).status_code == 200
