"""A record's own text in the page's language (WCAG 2.1 SC 3.1.2, Language of Parts).

Content typed in Polish (a team's name, a deployment's description of its seat) may be given
in English too. An English page shows the English text if there is one; otherwise the Polish
text, marked ``lang="pl"`` so that a screen reader reads it in Polish. A Polish page needs no
mark: its ``<html lang>`` says it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language


@dataclass(frozen=True)
class Text:
    """The text to show, and the ``lang`` that marks it (empty: the page's own language)."""

    text: str
    lang: str


def polish_lang() -> str:
    """The ``lang`` that marks Polish text on a page in another language; empty on the Polish
    page."""
    return "" if get_language() == "pl" else "pl"


def in_page_language(polish: str, english: str) -> Text:
    """``english`` on a page in another language than Polish if it was given, else ``polish``
    with its mark."""
    if english and polish_lang():
        return Text(english, "")
    return Text(polish, polish_lang())


def record_language() -> str:
    """The language of the portal's documents of record (see ``of_record``)."""
    return settings.LANGUAGE_CODE


def of_record() -> translation.override:
    """Activate the language of the portal's documents of record (``with of_record():``): the
    consultation report, the comment table, the programme and its annexes, the implementation
    report, their files and the legal citations in them. They are in Polish (the portal's
    LANGUAGE_CODE) whatever language the page is read in: they are what the city publishes and
    adopts, not translations (docs/architecture.md, "Language")."""
    return translation.override(record_language())


class LanguageSelect(forms.Select):
    """A choice of languages (settings.LANGUAGES): each option marked with its own ``lang``, so
    that "Polski" is read in Polish on an English page and "English" in English on a Polish
    one (WCAG 2.1 SC 3.1.2), as the header's language switch marks them."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in dict(settings.LANGUAGES):
            option["attrs"]["lang"] = str(value)
        return option
