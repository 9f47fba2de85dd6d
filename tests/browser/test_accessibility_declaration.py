"""The accessibility declaration in Chromium with every part a deployment may add (the review
date, a telephone, the building's description and its link): no axe-core violations of WCAG 2.1
AA, in Polish and in English. The crawl of every public page sees only the demo's defaults."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from .axe import violations


@pytest.mark.parametrize(
    ("language", "title"), [("pl", "Deklaracja dostępności"), ("en", "Accessibility declaration")]
)
def test_the_declaration_has_no_axe_violations_in_either_language(
    live_server, page: Page, settings: Settings, language: str, title: str
) -> None:
    settings.ACCESSIBILITY_REVIEWED = dt.date(2027, 3, 2)
    settings.ACCESSIBILITY_PHONE = "12 000 00 01"
    settings.ACCESSIBILITY_ARCHITECTURE = "Wejście od placu ma podjazd.\n\nWinda jest w holu."
    settings.ACCESSIBILITY_ARCHITECTURE_URL = "https://www.krakow.example/budynki"
    settings.ACCESSIBILITY_COMMUNICATION = "W biurze podawczym jest pętla indukcyjna."
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(live_server.url + "/accessibility/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    for element_id in ("a11y-data-przeglad", "a11y-telefon", "a11y-architektura-url"):
        expect(page.locator(f"#{element_id}")).to_be_visible()
    assert violations(page) == []
