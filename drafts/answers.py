"""What the programme draft needs to know about consultations, asked through one door.

Consultation rounds consult a published version of the draft, so consultations sits above
drafts and drafts imports nothing of it. Yet the draft cites the settled comments a paragraph's
wording answers, its list page links each round's published report, and recording the
programme's adoption names the rounds not settled yet. Consultations provides all three by
registering a ``Source`` when its app is ready (consultations/answers.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from .models import DraftParagraph, DraftVersion, Programme


@dataclass(frozen=True)
class Citable:
    """A settled comment a paragraph may cite."""

    pk: int
    round_id: int
    round_title: str
    text: str
    #: Its registration number (KZ/…), "" for one without.
    number: str = ""


@dataclass(frozen=True)
class Report:
    """A round's published report."""

    pk: int
    title: str


@dataclass(frozen=True)
class Unfinished:
    """A round of the programme announced but not settled yet, and the phase it is in."""

    pk: int
    title: str
    phase: str


class Source(Protocol):
    def citable(self, programme: Programme) -> list[Citable]: ...

    def cited(self, paragraph_ids: Iterable[int]) -> dict[int, list[Citable]]: ...

    def cite(self, paragraph: DraftParagraph, comment_ids: list[int]) -> None: ...

    def reports(self, programme: Programme) -> list[Report]: ...

    def unfinished(self, programme: Programme) -> list[Unfinished]: ...

    def accepted(self, programme: Programme) -> list[Citable]: ...


_sources: list[Source] = []


def register(source: Source) -> None:
    _sources[:] = [source]


def source() -> Source:
    if not _sources:
        raise LookupError("no source of comments: consultations.apps registers one when ready")
    return _sources[0]


def cited_in(snapshot: dict) -> set[int]:
    """The comments the paragraphs of a version's ``snapshot`` cite as answered."""
    return {
        answer["id"]
        for section in snapshot.get("sections", [])
        for paragraph in section.get("paragraphs", [])
        for answer in paragraph.get("answers", [])
    }


def not_written(version: DraftVersion) -> list[Citable]:
    """Comments of the programme's rounds accepted in whole or in part that no paragraph of
    ``version`` cites: their changes may be missing from the text. Recording the adoption
    names them first, as it names unfinished rounds, and its audit entry keeps them."""
    cited = cited_in(version.snapshot)
    return [c for c in source().accepted(version.draft.programme) if c.pk not in cited]
