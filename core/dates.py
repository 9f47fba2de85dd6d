"""How dates read. Prose (sentences, headings, messages, e-mails) writes them in words, in
Europe/Warsaw: "30 listopada 2011", "30 listopada 2011, 12:00". Tables and lists of many
rows (the report's comment table, the moderation queue and log, registration details) keep
the numeric form, which lines up and sorts: "30.11.2011 12:00". Templates use the same
formats (``|date:"j E Y"``, ``|date:"j E Y, H:i"``, ``|date:"d.m.Y H:i"``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format

PROSE_DATE = "j E Y"
PROSE_DATETIME = "j E Y, H:i"


def prose_date(value: dt.date) -> str:
    """A day in words ("30 listopada 2011"); a moment is read in Europe/Warsaw first."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return date_format(value, PROSE_DATE)


def prose_datetime(value: dt.datetime) -> str:
    """A moment in words, in Europe/Warsaw ("30 listopada 2011, 12:00")."""
    return date_format(timezone.localtime(value), PROSE_DATETIME)
