"""Every new page of issue 18 in Chromium: no axe-core violations (WCAG 2.1 AA), for the
visitor, an official, an organisation's representative and the coordinating team; the charts
and their tables are there."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page

from actions.models import Action
from documents.models import Publication
from documents.publications import publication_render
from drafts import services as draft_services
from drafts.models import DraftVersion
from implementation import services
from teams.models import Meeting, Programme, Representation, User
from tests.browser.axe import violations


def _page_as(browser: Browser, base_url: str, user: User | None) -> Page:
    context = browser.new_context()
    cookies = [{"name": "django_language", "value": "en", "url": base_url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url})
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_the_implementation_pages_have_no_axe_violations(live_server, browser: Browser) -> None:
    meeting = Meeting.objects.get(date="2011-07-06")
    programme: Programme = meeting.team.programme
    coordinator = User.objects.get(email="koordynator@example.org")
    official = User.objects.get(email="urzednik@example.org")
    member = User.objects.get(email="ngo@example.org")
    organisation = Representation.objects.get(user=member).organisation
    version = DraftVersion.objects.get(draft__programme=programme, number=1)
    draft_services.draft_version_adopt(
        actor=coordinator, version=version, number="XXI/1/11", date=timezone.localdate(), url=""
    )
    action = Action.objects.get(meeting=meeting, number=1)
    services.plan_edit(
        actor=official,
        action=action,
        responsible_unit="Wydział Polityki Społecznej",
        partners=[organisation],
    )
    indicator = services.indicator_add(
        actor=official,
        action=action,
        name="Liczba szkoleń",
        unit="szt.",
        planned={2012: Decimal(4), 2013: Decimal(6)},
    )
    services.action_year_save(
        actor=official,
        action=action,
        year=2012,
        status="in_progress",
        comment="W toku",
        achieved={indicator.pk: (Decimal(3), "Rejestr")},
    )
    services.proposal_submit(
        actor=member,
        action=action,
        organisation=organisation,
        year=2013,
        status="done",
        comment="Zrobione",
        achieved={},
    )
    services.figures_save(
        actor=official,
        programme=programme,
        year=2012,
        figures=[services.FigureEntry("offers", "", Decimal(40), "Generator ofert")],
    )
    services.report_publish(actor=coordinator, programme=programme, year=2012)
    for pk in Publication.objects.values_list("pk", flat=True):
        publication_render(publication_id=pk)

    base = live_server.url
    pages = {
        None: [
            reverse("implementation:programme", args=[programme.pk]),
            reverse("implementation:team", args=[meeting.team.slug]),
            reverse("implementation:action", args=[action.pk]),
            reverse("implementation:report", args=[programme.pk, 2012]),
        ],
        official: [
            reverse("implementation:plan-edit", args=[action.pk]),
            reverse("implementation:indicator-add", args=[action.pk]),
            reverse("implementation:action-year", args=[action.pk, 2013]),
            reverse("implementation:figures", args=[programme.pk, 2013]),
            reverse("implementation:report", args=[programme.pk, 2013]),
        ],
        member: [reverse("implementation:proposal-add", args=[action.pk, 2013])],
        coordinator: [
            reverse("implementation:action", args=[action.pk]),
            reverse("implementation:report-publish", args=[programme.pk, 2013]),
            reverse("implementation:report", args=[programme.pk, 2012]),
        ],
    }
    found = {}
    for user, urls in pages.items():
        page = _page_as(browser, base, user)
        for url in urls:
            response = page.goto(base + url)
            assert response is not None and response.ok, (url, response and response.status)
            problems = violations(page)
            if problems:
                found[f"{user}: {url}"] = problems
        page.context.close()
    assert not found, "\n".join(f"{url}: {p}" for url, ps in found.items() for p in ps)
