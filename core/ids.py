"""What an id in a URL or a query parameter may be: a whole number from 1 to the largest
primary key the database holds (``BigAutoField``, 64-bit signed on SQLite and PostgreSQL).

Anything else names no row, so it is refused before it reaches a query: a number past the
range does not find nothing in the database, it fails there (SQLite's driver cannot bind it).
"""

from __future__ import annotations

ID_MAX = 2**63 - 1


def parse_id(raw: str) -> int | None:
    """The id ``raw`` spells in ASCII digits, or None when it spells none."""
    if not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if 1 <= value <= ID_MAX else None


class IdConverter:
    """``<id:pk>`` in a route: like Django's ``<int:pk>``, but a value out of range does not
    match, so the URL is a 404 before any view runs. Registered in ``CoreConfig.ready``."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        parsed = parse_id(value)
        if parsed is None:
            raise ValueError(f"not an id: {value[:30]!r}")
        return parsed

    def to_url(self, value: int) -> str:
        return str(value)
