"""User text that leaves its box: bidirectional controls and links.

Bidi controls (the embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069, the
marks U+200E, U+200F and U+061C) are invisible, and an unclosed override such as U+202E
reverses everything after it on the line: a name "\u202eabc" turned the rest of a heading
around. So:

- names and titles lose them on input (``strip_bidi``; forms use ``NameField``);
- long text (comments, SWOT entries, actions) keeps them, because right-to-left writers may
  need them, and pages isolate it (``dir="auto"`` on its container, ``<bdi>`` around a name
  inside a sentence), so it cannot reach the text around it;
- outputs that cannot isolate (CSV and XLSX cells, calendar files, e-mail subjects, PDF
  metadata) drop them (``strip_bidi``).

Long text typed in a textarea uses ``MultilineField``: its line ends are made LF before the
limit is checked (a browser counts a line break as one character but posts CR LF), and a text
with nothing visible in it is empty, hence required.
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines

from core import site

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def collapse_spaces(value: str) -> str:
    """``value`` with each run of white space made one space, and none around it."""
    return re.sub(r"\s+", " ", value or "").strip()


def excerpt(value: str, limit: int) -> str:
    """The start of ``value`` in at most ``limit`` characters, on one line, cut after a whole
    word with "…" when it is longer: "Działanie 3: Stworzenie systemu diagnozy …", not
    "… diagnozy problemów społ…". A first word longer than half the limit is cut within."""
    text = collapse_spaces(value)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def strip_bidi(value: str) -> str:
    """``value`` without bidirectional control characters."""
    return BIDI_CONTROLS.sub("", value)


# Besides white space and format characters (Cf: zero-width space and joiners, word joiner,
# BOM, soft hyphen, bidi controls), these show nothing either: the default-ignorable letters
# and marks (combining grapheme joiner, Hangul fillers, Khmer and Mongolian vowel signs and
# selectors, variation selectors) and the blank braille pattern.
_BLANK_OTHERS = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)
_BLANK_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cf"})


def is_blank(value: str) -> bool:
    """Whether ``value`` shows nothing: only white space and invisible characters."""
    return all(
        char.isspace() or char in _BLANK_OTHERS or unicodedata.category(char) in _BLANK_CATEGORIES
        for char in value
    )


class MultilineField(forms.CharField):
    """Long text typed in a textarea (comments, entries, reasons, minutes), as every CharField
    without surrounding spaces, and:

    - with LF line ends (CR LF and a lone CR become LF) before ``max_length`` is checked, so
      the limit counts what the textarea's ``maxlength`` counted, and LF is what is stored;
    - empty (hence refused when required) when nothing in it is visible: a text of no-break
      spaces and zero-width characters is no text. Such characters inside a real text stay
      (Polish puts a no-break space after a one-letter word)."""

    widget = forms.Textarea

    def to_python(self, value: object) -> str | None:
        if isinstance(value, str):
            value = normalize_newlines(value)
        text = super().to_python(value)
        if self.strip and isinstance(text, str) and is_blank(text):
            return self.empty_value
        return text


class NameField(forms.CharField):
    """A name or title as people type it: without bidi controls (and, as every CharField,
    without surrounding spaces). A name with nothing visible in it (only controls, no-break or
    zero-width spaces: ``is_blank``) is empty, hence required; such characters inside a real
    name stay."""

    def to_python(self, value: object) -> str | None:
        text = super().to_python(value)
        if not isinstance(text, str):
            return text  # the field's empty value
        text = strip_bidi(text)
        if self.strip:
            text = text.strip()
            if is_blank(text):
                return self.empty_value
        return text or self.empty_value


class MultilineNameField(NameField, MultilineField):
    """A title typed in a textarea (a round's subject): no bidi controls, and a line break
    counted once and stored as LF."""


# A URL ends before white space, quotes and angle brackets; trailing punctuation belongs to
# the sentence ("see https://…/rounds/3/.").
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


def link_portal_urls(text: str) -> SafeString:
    """Plain text as HTML in which only the portal's own URLs (``SITE_URL``'s scheme and host)
    are links: a link in an e-mail from the portal should lead to the portal, and an address
    somebody wrote into a comment or a title stays text that the reader may copy."""
    root = site.absolute("/").lower()
    parts: list[str] = []
    end = 0
    for match in _URL.finditer(text):
        url = match.group().rstrip(_TRAILING)
        parts.append(escape(text[end : match.start()]))
        if (url + "/").lower().startswith(root):
            parts.append(f'<a href="{escape(url)}">{escape(url)}</a>')
        else:
            parts.append(escape(url))
        end = match.start() + len(url)
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above
