"""The accessibility declaration (/accessibility/) after the Ministry of Digital Affairs' template
v2.0: the a11y-* ids monitoring tools read, with the deployment's facts from the settings, the
status that follows from the content listed, and the yearly review (krakow_ngo.W002)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from pytest_django.fixtures import Settings

#: The ids of the template v2.0 that every declaration carries; a11y-data-przeglad (after the
#: first review), a11y-ocena (disproportionate burden) and a11y-architektura-url (a link) only
#: when they apply.
MANDATORY_IDS = [
    "a11y-wstep",
    "a11y-podmiot",
    "a11y-zakres",
    "a11y-url",
    "a11y-data-publikacja",
    "a11y-data-aktualizacja",
    "a11y-status",
    "a11y-data-sporzadzenie",
    "a11y-kontakt",
    "a11y-email",
    "a11y-telefon",
    "a11y-procedura",
    "a11y-aplikacje",
    "a11y-architektura",
    "a11y-komunikacja",
]

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parts: list[str] = field(default_factory=list)
    #: The lang attributes on the element and inside it.
    langs: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


class Page(HTMLParser):
    """Every element with an id (text and attributes), the headings inside <main> in order,
    and the <meta name> tags."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, Element] = {}
        self.headings: list[tuple[str, str]] = []
        self.meta: dict[str, str] = {}
        self.html_lang = ""
        self.main_parts: list[str] = []
        self._open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.html_lang = attributes.get("lang", "")
        if tag == "meta" and "name" in attributes:
            self.meta[attributes["name"]] = attributes.get("content", "")
        if tag in VOID:
            return
        for parent in self._open:
            parent.langs.add(attributes.get("lang", ""))
        element = Element(tag, attributes, langs={attributes.get("lang", "")})
        if "id" in attributes:
            assert attributes["id"] not in self.ids, f"id {attributes['id']} twice"
            self.ids[attributes["id"]] = element
        self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            element = self._open.pop()
            if element.tag == tag:
                break
        if tag in ("h1", "h2", "h3", "h4") and any(e.tag == "main" for e in self._open):
            self.headings.append((tag, element.text))

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.parts.append(data)
        if any(element.tag == "main" for element in self._open):
            self.main_parts.append(data)

    @property
    def main_text(self) -> str:
        return " ".join("".join(self.main_parts).split())

    def text(self, element_id: str) -> str:
        return self.ids[element_id].text

    def attr(self, element_id: str, name: str) -> str:
        return self.ids[element_id].attrs[name]


def declaration(client: Client, language: str = "pl") -> Page:
    client.cookies["django_language"] = language
    response = client.get("/accessibility/")
    assert response.status_code == 200
    return Page(response.content.decode())


@pytest.fixture
def deployment(settings: Settings) -> Settings:
    """A deployment that filled in every fact the declaration shows."""
    settings.SITE_URL = "https://ngo.krakow.example"
    settings.ACCESSIBILITY_PUBLISHED = dt.date(2027, 1, 15)
    settings.ACCESSIBILITY_UPDATED = dt.date(2027, 2, 1)
    settings.ACCESSIBILITY_PREPARED = dt.date(2027, 1, 20)
    settings.ACCESSIBILITY_REVIEWED = dt.date(2028, 3, 2)
    settings.ACCESSIBILITY_CONTACT = "Anna Nowak, Wydział Polityki Społecznej"
    settings.ACCESSIBILITY_EMAIL = "dostepnosc@krakow.example"
    settings.ACCESSIBILITY_PHONE = "12 000 00 01"
    settings.ACCESSIBILITY_SEAT = "Urząd Miasta Krakowa, pl. Wszystkich Świętych 3-4, 31-004 Kraków"
    settings.ACCESSIBILITY_ARCHITECTURE = "Wejście od placu ma podjazd.\n\nWinda jest w holu."
    settings.ACCESSIBILITY_ARCHITECTURE_EN = "The entrance from the square has a ramp."
    settings.ACCESSIBILITY_ARCHITECTURE_URL = "https://www.krakow.example/budynki"
    settings.ACCESSIBILITY_COMMUNICATION = "W biurze podawczym jest pętla indukcyjna."
    settings.ACCESSIBILITY_COMMUNICATION_EN = ""
    return settings


def test_the_declaration_carries_every_id_of_the_template_once(client: Client) -> None:
    page = declaration(client)
    assert [i for i in MANDATORY_IDS if i not in page.ids] == []


@pytest.mark.django_db
def test_the_head_names_the_declaration_for_monitoring_tools(
    client: Client, deployment: Settings
) -> None:
    page = declaration(client)
    assert page.meta["deklaracja-dostępności"] == "https://ngo.krakow.example/accessibility/"
    # Every page names it, the home page first (the template asks it of the main page).
    for path in ("/", "/privacy/"):
        other = Page(client.get(path).content.decode())
        assert other.meta["deklaracja-dostępności"] == "https://ngo.krakow.example/accessibility/"


def test_the_introduction_names_the_body_and_the_website(
    client: Client, deployment: Settings
) -> None:
    page = declaration(client)
    assert page.text("a11y-podmiot") == "Gmina Miejska Kraków"
    assert page.text("a11y-zakres") == "strony internetowej"
    assert page.attr("a11y-url", "href") == "https://ngo.krakow.example/"
    assert page.text("a11y-wstep").startswith(
        "Gmina Miejska Kraków zobowiązuje się zapewnić dostępność swojej strony internetowej"
    )


def test_the_dates_come_from_the_settings_as_the_template_marks_them(
    client: Client, deployment: Settings
) -> None:
    page = declaration(client)
    dates = {
        "a11y-data-publikacja": ("2027-01-15", "15 stycznia 2027"),
        "a11y-data-aktualizacja": ("2027-02-01", "1 lutego 2027"),
        "a11y-data-sporzadzenie": ("2027-01-20", "20 stycznia 2027"),
        "a11y-data-przeglad": ("2028-03-02", "2 marca 2028"),
    }
    for element_id, (iso, shown) in dates.items():
        assert page.ids[element_id].tag == "time", element_id
        assert (page.attr(element_id, "datetime"), page.text(element_id)) == (iso, shown)


def test_a_declaration_never_reviewed_has_no_review_date(
    client: Client, deployment: Settings
) -> None:
    deployment.ACCESSIBILITY_REVIEWED = None
    page = declaration(client)
    assert "a11y-data-przeglad" not in page.ids
    assert page.attr("a11y-data-sporzadzenie", "datetime") == "2027-01-20"


def test_listed_inaccessible_content_makes_the_status_partially_compliant(
    client: Client,
) -> None:
    page = declaration(client)
    assert "w pełni zgodn" not in page.main_text  # "fully compliant", and then scans listed
    assert page.text("a11y-status") == (
        "Strona internetowa jest częściowo zgodna z ustawą z dnia 4 kwietnia 2019 r. o "
        "dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów publicznych "
        "z powodu niezgodności lub wyłączeń wymienionych poniżej."
    )
    assert ("h2", "Niedostępne treści") in page.headings
    assert ("h3", "Niezgodność z załącznikiem") in page.headings
    assert "Załączniki opublikowanych raportów z konsultacji" in page.main_text


def test_with_nothing_listed_the_status_is_compliant_and_no_section_lists_content(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("krakow_ngo.accessibility.NON_COMPLIANT", ())
    page = declaration(client)
    assert page.text("a11y-status") == (
        "Strona internetowa jest zgodna z ustawą z dnia 4 kwietnia 2019 r. o dostępności "
        "cyfrowej stron internetowych i aplikacji mobilnych podmiotów publicznych."
    )
    assert ("h2", "Niedostępne treści") not in page.headings


def test_the_contact_person_e_mail_and_telephone_come_from_the_settings(
    client: Client, deployment: Settings
) -> None:
    page = declaration(client)
    assert page.text("a11y-kontakt") == "Anna Nowak, Wydział Polityki Społecznej"
    assert page.text("a11y-email") == "dostepnosc@krakow.example"
    assert page.attr("a11y-email", "href") == "mailto:dostepnosc@krakow.example"
    assert page.text("a11y-telefon") == "12 000 00 01"
    assert page.attr("a11y-telefon", "href") == "tel:+48120000001"


def test_a_missing_telephone_number_is_said_to_be_missing(
    client: Client, deployment: Settings
) -> None:
    deployment.ACCESSIBILITY_PHONE = ""
    page = declaration(client)
    assert page.text("a11y-telefon") == "nie podano"
    assert "href" not in page.ids["a11y-telefon"].attrs


def test_the_complaint_procedure_names_the_seat_and_the_ombudsman(
    client: Client, deployment: Settings
) -> None:
    procedure = declaration(client).text("a11y-procedura")
    assert procedure.startswith("Obsługa wniosków i skarg związanych z dostępnością")
    assert "pl. Wszystkich Świętych 3-4, 31-004 Kraków" in procedure
    assert "Rzecznika Praw Obywatelskich" in procedure


def test_the_architectural_accessibility_of_the_seat_comes_from_the_settings(
    client: Client, deployment: Settings
) -> None:
    page = declaration(client)
    architecture = page.text("a11y-architektura")
    assert "Urząd Miasta Krakowa, pl. Wszystkich Świętych 3-4, 31-004 Kraków" in architecture
    assert "Wejście od placu ma podjazd. Winda jest w holu." in architecture
    assert page.attr("a11y-architektura-url", "href") == "https://www.krakow.example/budynki"
    assert page.text("a11y-komunikacja") == "W biurze podawczym jest pętla indukcyjna."
    assert page.text("a11y-aplikacje") == "Ten portal nie ma własnej aplikacji mobilnej."


def test_until_filled_in_the_building_sections_say_where_the_city_describes_them(
    client: Client,
) -> None:
    page = declaration(client)
    for element_id in ("a11y-architektura", "a11y-komunikacja"):
        text = page.text(element_id)
        assert "przed uruchomieniem portalu" in text, element_id
        assert "Urząd Miasta Krakowa opisuje" in text, element_id
    assert "a11y-architektura-url" not in page.ids


def test_the_template_s_sections_come_in_its_order(client: Client) -> None:
    assert declaration(client).headings == [
        ("h1", "Deklaracja dostępności"),
        ("h2", "Stan dostępności cyfrowej"),
        ("h2", "Niedostępne treści"),
        ("h3", "Niezgodność z załącznikiem"),
        ("h2", "Przygotowanie deklaracji dostępności"),
        ("h2", "Informacje zwrotne i dane kontaktowe"),
        ("h2", "Obsługa wniosków i skarg związanych z dostępnością"),
        ("h2", "Pozostałe informacje"),
        ("h3", "Aplikacje mobilne"),
        ("h3", "Dostępność architektoniczna"),
        ("h3", "Dostępność komunikacyjno-informacyjna"),
    ]


def test_the_english_page_is_the_same_declaration_in_english(
    client: Client, deployment: Settings
) -> None:
    polish, english = declaration(client, "pl"), declaration(client, "en")
    assert english.html_lang == "en"
    assert set(english.ids) >= set(MANDATORY_IDS) | {"a11y-data-przeglad", "a11y-architektura-url"}
    assert [tag for tag, _text in english.headings] == [tag for tag, _text in polish.headings]
    assert english.headings[1:3] == [
        ("h2", "Compliance status"),
        ("h2", "Content that is not accessible"),
    ]
    assert english.text("a11y-status").startswith("The website is partially compliant")
    assert english.text("a11y-podmiot") == "The City of Kraków"
    assert english.meta["deklaracja-dostępności"] == "https://ngo.krakow.example/accessibility/"
    assert (english.attr("a11y-data-przeglad", "datetime"), english.text("a11y-data-przeglad")) == (
        "2028-03-02",
        "2 March 2028",
    )
    # The deployment's own facts: the English text where given, else the Polish one marked so.
    assert "The entrance from the square has a ramp." in english.text("a11y-architektura")
    assert english.text("a11y-komunikacja") == "W biurze podawczym jest pętla indukcyjna."
    assert "pl" in english.ids["a11y-komunikacja"].langs
    assert english.attr("a11y-kontakt", "lang") == "pl"


# --- The yearly review: krakow_ngo.W002 under `check --deploy` ------------------------------


def review_warnings() -> list[str]:
    messages = run_checks(include_deployment_checks=True, tags=["accessibility"])
    return [message.id or "" for message in messages]


def warned_on(now: str) -> bool:
    """Whether ``check --deploy`` reports the review at ``now``, wall-clock time in Warsaw."""
    warsaw = dt.datetime.fromisoformat(now).replace(tzinfo=ZoneInfo("Europe/Warsaw"))
    with time_machine.travel(warsaw, tick=False):
        return review_warnings() == ["krakow_ngo.W002"]


def test_a_declaration_prepared_last_year_is_reported_from_1_april(settings: Settings) -> None:
    settings.ACCESSIBILITY_PREPARED = dt.date(2026, 11, 23)
    settings.ACCESSIBILITY_REVIEWED = None
    assert not warned_on("2027-03-31 23:30")
    assert warned_on("2027-04-01 00:30")


def test_a_review_made_this_year_clears_the_report_until_next_31_march(
    settings: Settings,
) -> None:
    settings.ACCESSIBILITY_PREPARED = dt.date(2026, 11, 23)
    settings.ACCESSIBILITY_REVIEWED = dt.date(2027, 3, 30)
    assert not warned_on("2027-04-01 00:30")
    # Late, but done: not stale for the rest of that year, stale again after the next 31 March.
    settings.ACCESSIBILITY_REVIEWED = dt.date(2027, 5, 4)
    assert not warned_on("2027-12-31 12:00")
    assert warned_on("2028-04-01 09:00")


def test_the_review_is_due_by_31_march_in_warsaw_not_in_utc(settings: Settings) -> None:
    settings.ACCESSIBILITY_PREPARED = dt.date(2026, 11, 23)
    settings.ACCESSIBILITY_REVIEWED = None
    # 1 April 00:30 in Warsaw (CEST) is still 31 March in UTC.
    with time_machine.travel(dt.datetime(2027, 3, 31, 22, 30, tzinfo=dt.UTC), tick=False):
        assert review_warnings() == ["krakow_ngo.W002"]
    with time_machine.travel(dt.datetime(2027, 3, 31, 21, 30, tzinfo=dt.UTC), tick=False):
        assert review_warnings() == []


def test_a_mistyped_date_stops_the_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from krakow_ngo.settings import env_date

    monkeypatch.setenv("ACCESSIBILITY_PREPARED", "23.11.2026")
    with pytest.raises(ImproperlyConfigured, match="ACCESSIBILITY_PREPARED"):
        env_date("ACCESSIBILITY_PREPARED", "2026-11-23")
    monkeypatch.setenv("ACCESSIBILITY_PREPARED", "2027-02-30")
    with pytest.raises(ImproperlyConfigured, match="ACCESSIBILITY_PREPARED"):
        env_date("ACCESSIBILITY_PREPARED", "2026-11-23")
    monkeypatch.setenv("ACCESSIBILITY_PREPARED", "2027-02-28")
    assert env_date("ACCESSIBILITY_PREPARED", "2026-11-23") == dt.date(2027, 2, 28)
