"""Comparing two versions of the programme draft, paragraph by paragraph.

Paragraphs are matched by their uid (linked goals and actions by their key), so a paragraph
that moved or was reworded is compared with itself. Within a paragraph the change is marked
word by word (difflib on word tokens). The HTML is built only from escaped tokens wrapped in
``<ins>``/``<del>``, each carrying visually hidden "added"/"removed" words so that the change
is not told by colour alone.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

TOKEN = re.compile(r"^\s+|\S+\s*")  # a word with the spaces after it


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def _ins(tokens: list[str]) -> str:
    return format_html(
        '<ins><span class="visually-hidden">{} </span>{}<span class="visually-hidden"> {}'
        "</span></ins>",
        _("[added:"),
        "".join(tokens),
        _("]"),
    )


def _del(tokens: list[str]) -> str:
    return format_html(
        '<del><span class="visually-hidden">{} </span>{}<span class="visually-hidden"> {}'
        "</span></del>",
        _("[removed:"),
        "".join(tokens),
        _("]"),
    )


def word_diff(old: str, new: str) -> dict[str, SafeString]:
    """``inline`` (deletions and insertions in one text), ``old`` (the old text with its
    deletions marked) and ``new`` (the new text with its insertions marked)."""
    a, b = _tokens(old), _tokens(new)
    inline: list[str] = []
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        removed, added = a[i1:i2], b[j1:j2]
        if op == "equal":
            same = str(conditional_escape("".join(removed)))
            inline.append(same)
            left.append(same)
            right.append(same)
            continue
        if removed:
            inline.append(_del(removed))
            left.append(_del(removed))
        if added:
            inline.append(_ins(added))
            right.append(_ins(added))
    # Every piece is either escaped text or format_html output of escaped text.
    return {
        "inline": mark_safe("".join(inline)),  # noqa: S308
        "old": mark_safe("".join(left)),  # noqa: S308
        "new": mark_safe("".join(right)),  # noqa: S308
    }


@dataclass
class DiffRow:
    key: str
    kind: str  # "paragraph", "goal" or "action"
    status: str  # "same", "changed", "added", "removed"
    old_label: str
    new_label: str
    inline: SafeString
    old: SafeString
    new: SafeString
    # Settled comments the newer wording answers and the older one did not cite.
    answers: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DiffSection:
    numeral: str
    title: str
    rows: list[DiffRow] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(1 for row in self.rows if row.status != "same")

    def changes_only(self) -> DiffSection:
        """The chapter with its changed, added and removed rows only."""
        return DiffSection(
            self.numeral, self.title, [row for row in self.rows if row.status != "same"]
        )


def changes_only(sections: list[DiffSection]) -> list[DiffSection]:
    """The chapters that changed, each with only its changed rows: a comparison that fits a
    screen (the whole text is about 5,000 px tall)."""
    return [section.changes_only() for section in sections if section.changed]


def _item_label(item: dict[str, Any], dated: set[str]) -> str:
    """ "Team: 3." — or, for a team whose items come from several meetings (``dated``), "Team,
    meeting of 6 July 2011: 3.", since each meeting numbers its items from 1. Snapshots
    published before the dates were kept have none and keep the short label."""
    team = item["team"]
    meeting_date = parse_date(item.get("meeting_date") or "")
    if team in dated and meeting_date is not None:
        team = _("%(team)s, meeting of %(date)s") % {
            "team": team,
            "date": date_format(meeting_date, "DATE_FORMAT"),
        }
    return f"{team}: {item['number']}."


def _items(section: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(key, kind, label, text) for every paragraph and linked item of a chapter."""
    items = []
    for paragraph in section["paragraphs"]:
        number = paragraph.get("number")
        items.append(
            (paragraph["uid"], "paragraph", f"§ {number}" if number else "", paragraph["text"])
        )
    for kind in ("goals", "actions"):
        meetings: dict[str, set[str]] = {}
        for item in section.get(kind, []):
            meetings.setdefault(item["team"], set()).add(item.get("meeting_date") or "")
        dated = {team for team, dates in meetings.items() if len(dates) > 1}
        for item in section.get(kind, []):
            items.append((item["key"], kind[:-1], _item_label(item, dated), item["text"]))
    return items


def _locations(snapshot: dict[str, Any]) -> dict[str, tuple[int, str, str]]:
    return {
        key: (section["element"], label, text)
        for section in snapshot["sections"]
        for key, _kind, label, text in _items(section)
    }


def _answers(snapshot: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {
        paragraph["uid"]: paragraph.get("answers", [])
        for section in snapshot["sections"]
        for paragraph in section["paragraphs"]
    }


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[DiffSection]:
    """The chapters of ``new`` (in order) with each paragraph compared with the paragraph of
    the same uid in ``old``; a paragraph of ``old`` that is gone appears as removed in the
    chapter it was in."""
    before = _locations(old)
    cited_before, cited_now = _answers(old), _answers(new)
    seen: set[str] = set()
    sections: dict[int, DiffSection] = {}
    for section in new["sections"]:
        diff_section = DiffSection(numeral=section["numeral"], title=section["title"])
        sections[section["element"]] = diff_section
        for key, kind, label, text in _items(section):
            seen.add(key)
            earlier = {answer["id"] for answer in cited_before.get(key, [])}
            if key in before:
                _element, old_label, old_text = before[key]
                parts = word_diff(old_text, text)
                status = "same" if old_text == text else "changed"
            else:
                old_label = ""
                parts = word_diff("", text)
                status = "added"
            diff_section.rows.append(
                DiffRow(
                    key,
                    kind,
                    status,
                    old_label,
                    label,
                    parts["inline"],
                    parts["old"],
                    parts["new"],
                    [a for a in cited_now.get(key, []) if a["id"] not in earlier],
                )
            )
    for section in old["sections"]:
        for key, kind, label, text in _items(section):
            if key in seen:
                continue
            parts = word_diff(text, "")
            target = sections.get(section["element"])
            if target is None:
                target = sections[section["element"]] = DiffSection(
                    numeral=section["numeral"], title=section["title"]
                )
            target.rows.append(
                DiffRow(
                    key, kind, "removed", label, "", parts["inline"], parts["old"], parts["new"]
                )
            )
    return [sections[element] for element in sorted(sections)]
