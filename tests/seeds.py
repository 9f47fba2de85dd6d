"""Read the seed documents (docs/seeds/, copied unchanged from the source) independently of
the application's own copy of their text, so that the tests compare against the source."""

from __future__ import annotations

import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "docs" / "seeds"
SLIDES = SEEDS / "000_3a774f7bf5c0de78.txt"
ANNEX_3 = SEEDS / "003_75e6d5caecc89257.txt"


def annex_3_actions() -> list[str]:
    """The 18 postulated actions: numbered items, layout line breaks joined by single spaces."""
    text = ANNEX_3.read_text(encoding="utf-8")
    body = text.split("Postulowane działania:", 1)[1]
    items: list[str] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        match = re.match(r"^(\d+)\.\s+(.*)$", line)
        if match and int(match.group(1)) == len(items) + 1:
            items.append(match.group(2))
        else:
            items[-1] += " " + line
    return items


def slide_text() -> str:
    """The slides as one line of text: layout breaks and runs of spaces folded, symbols dropped."""
    text = SLIDES.read_text(encoding="utf-8")
    text = re.sub("[\ue000-\uf8ff]", " ", text)  # symbol-font bullets of the slides
    return re.sub(r"\s+", " ", text).replace("* ", "")


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
