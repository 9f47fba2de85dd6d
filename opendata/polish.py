"""Polish words for the search: each word with its base forms (lemmas) from Morfeusz 2, the
morphological analyser of the Polish dictionary SGJP (PyPI ``morfeusz2``; the dictionary is
inside the package, nothing is downloaded), folded to lower case without diacritics.

"mieszkań" → mieszkan, mieszkanie, mieszkac; "wolontariacie" → wolontariacie, wolontariat.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass

import morfeusz2  # type: ignore[import-untyped]  # no type information published

WORD = re.compile(r"\w+")
# A query word also finds words that begin like it and its base forms do, when that shared
# beginning is this long: "mieszkań" (mieszkanie, mieszkać) → "mieszka…", which finds
# "mieszkalnictwa". Shorter beginnings ("osob…" of "osób") would find unrelated words.
SHARED_BEGINNING_MIN = 5
# A query word also finds words that begin like it does (typed in part: "wolont").
# Query words shorter than this ("i", "w", "na") are left out when the query has longer ones.
QUERY_WORD_MIN = 3

_local = threading.local()


def fold(text: str) -> str:
    """Lower case without diacritics: "Źródła" -> "zrodla" (ł has no decomposition)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ł", "l"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _analyser() -> morfeusz2.Morfeusz:
    # One per thread: the analyser keeps state between calls.
    if not hasattr(_local, "morfeusz"):
        _local.morfeusz = morfeusz2.Morfeusz(generate=False, expand_tags=False)
    return _local.morfeusz


@functools.lru_cache(maxsize=200_000)
def forms(word: str) -> frozenset[str]:
    """The folded word and its folded base forms (the dictionary's homonym marks dropped:
    "i:C" → "i"); a word the dictionary does not know is its own base form."""
    found = {fold(word)}
    for _start, _end, (_form, lemma, *_rest) in _analyser().analyse(word.lower()):
        found.add(fold(lemma.split(":", 1)[0]))
    found.discard("")
    return frozenset(found)


def index_words(text: str) -> str:
    """What SearchEntry.words holds for a text: every folded word and base form, once each,
    between spaces."""
    found: set[str] = set()
    for word in WORD.findall(text):
        found |= forms(word)
    return " " + " ".join(sorted(found)) + " "


@dataclass(frozen=True)
class Term:
    """One word of a query: a text matches it with a word whose base forms meet ``exact``
    (the strong match), or with a word or base form beginning with one of ``beginnings``."""

    exact: frozenset[str]
    beginnings: tuple[str, ...]

    def strength(self, word_forms: frozenset[str]) -> int:
        """2 for a shared base form, 1 for a shared beginning, 0 for none."""
        if word_forms & self.exact:
            return 2
        if any(form.startswith(self.beginnings) for form in word_forms):
            return 1
        return 0


def _shared_beginning(words: frozenset[str]) -> str:
    beginning = ""
    for letters in zip(*words, strict=False):
        if len(set(letters)) > 1:
            break
        beginning += letters[0]
    return beginning


def query_terms(query: str) -> list[Term]:
    words = WORD.findall(query)
    long_words = [word for word in words if len(word) >= QUERY_WORD_MIN]
    terms = []
    for word in long_words or words:
        exact = forms(word)
        beginnings = {fold(word)} if len(word) >= QUERY_WORD_MIN else set()
        shared = _shared_beginning(exact)
        if len(shared) >= SHARED_BEGINNING_MIN:
            beginnings.add(shared)
        folded = fold(word)
        if exact == {folded} and len(folded) > SHARED_BEGINNING_MIN:
            # Not in the dictionary, often a word typed without its Polish letters
            # ("rozwiazanie"): its beginning without a two-letter ending will do.
            beginnings.add(folded[: max(SHARED_BEGINNING_MIN, len(folded) - 2)])
        terms.append(Term(exact=exact, beginnings=tuple(sorted(beginnings))))
    return terms
