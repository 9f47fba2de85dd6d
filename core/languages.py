"""A record's own text in the page's language (WCAG 2.1 SC 3.1.2, Language of Parts).

Content typed in Polish (a team's name, a deployment's description of its seat) may be given
in English too. An English page shows the English text if there is one; otherwise the Polish
text, marked ``lang="pl"`` so that a screen reader reads it in Polish. A Polish page needs no
mark: its ``<html lang>`` says it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language

T = TypeVar("T")


class cached_per_language(Generic[T]):  # noqa: N801 - named like the cached_property it replaces
    """Like Django's ``cached_property``, but one value per active language: for a computed
    label that is translated ("The round as a whole", "Preamble of the programme draft"). A
    ``cached_property`` kept the first language's text, so a document rendered in Polish and
    then in English from the same rows (documents.pages) printed the Polish label twice."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.__doc__ = func.__doc__
        self.slot = f"_{func.__name__}_by_language"

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_per_language[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        values: dict[str | None, T] = instance.__dict__.setdefault(self.slot, {})
        language = get_language()
        if language not in values:
            values[language] = self.func(instance)
        return values[language]


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
