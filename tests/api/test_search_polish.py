"""The search understands Polish inflection the same way on SQLite and PostgreSQL: a query
word finds the other forms of its word ("wolontariat" → "wolontariacie") and words that begin
like it ("mieszkań" → "mieszkalnictwa"); hits are ranked and the matching words marked."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from actions.models import Action
from opendata.models import SearchEntry
from teams.models import Meeting

pytestmark = pytest.mark.django_db

ACTION_9 = "Wypracowanie w ramach konsultacji społecznych rozwiązań w obszarze mieszkalnictwa"

# Query → a text the demo data holds (Annex 3's postulated actions, the programme draft,
# the demo round's comments) that it must find, although no word is written alike.
PAIRS = [
    ("mieszkań", ACTION_9),
    ("mieszkalnictwo", ACTION_9),
    ("socjalne mieszkanie", ACTION_9),
    ("wolontariat", "o działalności pożytku publicznego i o wolontariacie"),
    ("dotacja", "przyznawania i przekazywania dotacji"),
    ("wnioski", "rozpatrywania wniosków"),
    ("procedura", "upraszczanie procedur na poziomie samorządu"),
    ("lokal użytkowy", "Zwiększenie dostępu organizacji do lokali użytkowych"),
    ("przetarg", "startowania w przetargach, licytacjach"),
    ("licytacja", "startowania w przetargach, licytacjach"),
    ("rodzicielstwo", "Wzmocnienie działań w obszarze samotnego rodzicielstwa"),
    ("samotny rodzic", "Wzmocnienie działań w obszarze samotnego rodzicielstwa"),
    ("sala", "reprezentacyjnej sali do organizacji większych spotkań"),
    ("weekend", "zwłaszcza w weekendy"),
    ("organizacja zagraniczna", "Stworzenie bazy organizacji zagranicznych"),
    ("zespół branżowy", "Kontynuacja pracy zespołów branżowych"),
    ("giełda pracy", "Stworzenie giełdy pracy między organizacjami"),
    ("wykluczony", "osób wykluczonych, zagrożonych wykluczeniem"),
    ("klauzula społeczna", "Zwiększenie zastosowania klauzul społecznych"),
    ("urzędnik", "szkolenie dla urzędników w tym zakresie"),
    ("działanie prewencyjne", "zwiększenie finansowanie działań prewencyjnych"),
    ("internet", "(nie tylko w Internecie)"),
    ("zjawisko", "monitorowanie zjawisk z obszaru wykluczenia społecznego"),
    ("diagnoza problemu", "diagnozy problemów społecznych"),
    ("URZĄD PRACY", "(np. przez Urząd Pracy)"),
    ("osoba starsza mieszkająca samotnie", "osoby starsze mieszkające samotnie"),
    ("rozwiazanie", ACTION_9),  # typed without Polish letters
    ("zaangazowanie miasta", "Wzrost zaangażowania Miasta w promocję"),
]


def _found(html: str) -> str:
    """The result list as text: marks dropped, entities read back."""
    results = html.split('id="search-summary"', 1)[1]
    text = re.sub(r"</?mark>", "", results)
    return text.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")


def _search(query: str) -> str:
    response = Client().get("/search/", {"q": query})
    assert response.status_code == 200, query
    return response.content.decode()


@pytest.mark.parametrize(("query", "expected"), PAIRS, ids=[query for query, _ in PAIRS])
def test_a_polish_query_finds_other_forms_of_its_words(
    seeded: Meeting, query: str, expected: str
) -> None:
    assert expected in _found(_search(query))


def test_twenty_pairs_at_least() -> None:
    assert len(PAIRS) >= 20


def test_unrelated_words_find_nothing(seeded: Meeting) -> None:
    for query in ["kot", "mieszczanin", "wolontariusz stadion"]:
        assert "0 wyników" in _search(query), query


def test_the_matching_words_are_marked(seeded: Meeting) -> None:
    html = _search("mieszkań")
    assert "<mark>mieszkalnictwa</mark> socjalnego" in html
    html = _search("wolontariat")
    assert "<mark>wolontariacie</mark>" in html


def test_a_base_form_ranks_before_a_shared_beginning(seeded: Meeting) -> None:
    Action.objects.create(
        team=seeded.team, meeting=seeded, number=98, text="Więcej mieszkań chronionych"
    )
    html = _search("mieszkanie")
    actions = html.split("<h2", 2)[1]
    assert actions.index("mieszkań</mark> chronionych") < actions.index("mieszkalnictwa")


def test_user_text_is_escaped_around_the_marks(seeded: Meeting) -> None:
    Action.objects.create(
        team=seeded.team, meeting=seeded, number=97, text='<script>alert("x")</script> mieszkań'
    )
    html = _search("mieszkanie")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>mieszkań</mark>" in html


def test_a_changed_text_is_found_by_its_new_words_only(seeded: Meeting) -> None:
    action = Action.objects.get(meeting=seeded, number=9)
    assert ACTION_9 in _found(_search("mieszkań"))
    # Changed without save(): the index notices the text differs and reads it again.
    Action.objects.filter(pk=action.pk).update(text="Rozwój wolontariatu seniorów.")
    assert ACTION_9 not in _found(_search("mieszkań"))
    assert "Rozwój wolontariatu seniorów." in _found(_search("senior"))
    entry = SearchEntry.objects.get(kind="action", object_id=action.pk)
    assert " senior " in entry.words and "mieszkalnictwo" not in entry.words
