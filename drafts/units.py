"""Polish legal units inside a paragraph (§) of the programme draft: sections (ustępy, lines
beginning "1.", "2a.") and points (punkty, lines beginning "1)", "2a)"), the latter inside the
section above them or directly in the paragraph.

The numbers are the ones the text carries, never counted: as in legal drafting, a unit inserted
between two others is numbered "2a", so "ust. 3" names the same unit in every version. A unit is
named "ust. 2", "ust. 2 pkt 3" or "pkt 3"; its span is the text after its number up to the next
unit (a section's span includes its points)."""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER = r"\d{1,3}[a-z]?"
SECTION = re.compile(rf"^[ \t]*({NUMBER})\.[ \t]+", re.MULTILINE)
POINT = re.compile(rf"^[ \t]*({NUMBER})\)[ \t]+", re.MULTILINE)
TYPED = re.compile(
    rf"^\s*(?:ust\.?\s*(?P<ust>{NUMBER}))?\s*,?\s*(?:pkt\.?\s*(?P<pkt>{NUMBER}))?\s*$",
    re.IGNORECASE,
)
#: The longest unit name a comment keeps ("ust. 123a pkt 123a").
UNIT_LIMIT = 40


@dataclass(frozen=True)
class Unit:
    section: str | None
    point: str | None
    start: int  # where its text begins (after the number)
    end: int  # where it ends (before the line break that ends it)

    @property
    def label(self) -> str:
        return label(self.section, self.point)


def label(section: str | None, point: str | None) -> str:
    parts = []
    if section:
        parts.append(f"ust. {section}")
    if point:
        parts.append(f"pkt {point}")
    return " ".join(parts)


def units(text: str) -> list[Unit]:
    """The sections and points of ``text``, in order."""
    marks = sorted(
        [(m.start(), m.end(), "ust", m.group(1)) for m in SECTION.finditer(text)]
        + [(m.start(), m.end(), "pkt", m.group(1)) for m in POINT.finditer(text)]
    )
    found: list[Unit] = []
    section: str | None = None
    for index, (_line, start, kind, number) in enumerate(marks):
        # A point ends at the next unit; a section at the next section (its points inside).
        following = [m[0] for m in marks[index + 1 :] if kind == "pkt" or m[2] == "ust"]
        end = len(text[: following[0] if following else len(text)].rstrip())
        if kind == "ust":
            section = number
            found.append(Unit(number, None, start, end))
        else:
            found.append(Unit(section, number, start, end))
    return found


def normalise_unit(typed: str) -> str | None:
    """A typed unit ("ust 2, pkt 3", "UST.2 PKT.3") as it is named ("ust. 2 pkt 3"); "" for
    nothing typed, None for something that is not a unit."""
    match = TYPED.match(typed or "")
    if match is None:
        return None
    section, point = match["ust"], match["pkt"]
    return label(section and section.lower(), point and point.lower())


def _find(text: str, name: str) -> Unit | None:
    return next((unit for unit in units(text) if unit.label == name), None)


def unit_text(text: str, name: str) -> str | None:
    """The text of the unit called ``name`` (after its number), None if ``text`` has none."""
    unit = _find(text, name)
    return None if unit is None else text[unit.start : unit.end]


def replace_unit(text: str, name: str, new: str) -> str:
    """``text`` with the unit called ``name`` reading ``new`` (its number kept); ``text``
    unchanged if it has no such unit."""
    unit = _find(text, name)
    if unit is None:
        return text
    return text[: unit.start] + new.strip() + text[unit.end :]
