"""Registration numbers of comments: ``KZ/<year>/<0042>``, one sequence per year.

The year is the year the round opens (Europe/Warsaw), not the day a letter arrived, so that
every comment of one round carries the same year, also a late one registered in January. One
sequence per year rather than per round: the number alone names the comment in the office's
correspondence (it carries no round), as the offices' own registers are kept.

A number is taken inside the transaction that saves the comment: one ``UPDATE … RETURNING``
increments the year's counter row, whose lock holds until the commit, so two registrations at
once get distinct numbers on PostgreSQL (the second waits for the first) and on SQLite (whose
IMMEDIATE transactions are serialised). A rolled-back save gives its number back with the
rollback; a saved comment keeps its number for good, withdrawn or not.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import RegistrationCounter, Round

PREFIX = "KZ"


def format_number(year: int, sequence: int) -> str:
    return f"{PREFIX}/{year}/{sequence:04d}"


def round_year(round_: Round) -> int:
    return timezone.localtime(round_.opens_at).year


def registration_number_next(round_: Round) -> str:
    """The next number of the round's year. Call inside the transaction saving the comment."""
    number = _take(round_year(round_), None)
    assert number is not None
    return number


def registration_number_unless(round_: Round, query: tuple[str, list[Any]]) -> str | None:
    """``registration_number_next``, unless ``query`` (a SELECT and its parameters, such as
    ``services.repeated_query``) finds a row: then no number is taken, and None. The check and
    the counter's increment are one statement: one round trip to the database for every new
    comment, not two."""
    return _take(round_year(round_), query)


def _take(year: int, unless: tuple[str, list[Any]] | None) -> str | None:
    last = _increment(year, unless)
    if last is None:
        # The year has no counter yet, or ``unless`` found a row: told apart here (rarely).
        if unless is not None and _finds(unless):
            return None
        try:
            with transaction.atomic():
                RegistrationCounter.objects.create(year=year, last=1)
                last = 1
        except IntegrityError:  # created meanwhile by a concurrent registration
            last = _increment(year)
    assert last is not None
    return format_number(year, last)


def _increment(year: int, unless: tuple[str, list[Any]] | None = None) -> int | None:
    """The year's counter, incremented, or None when the year has none yet (or ``unless``
    finds a row)."""
    with connection.cursor() as cursor:
        cursor.execute(*increment_query(year, unless))
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def increment_query(year: int, unless: tuple[str, list[Any]] | None) -> tuple[str, list[Any]]:
    """``_increment``'s statement and its parameters: one ``UPDATE … RETURNING``
    (PostgreSQL, and SQLite since 3.35), where the ORM needs an UPDATE and a SELECT."""
    quote = connection.ops.quote_name
    meta = RegistrationCounter._meta
    table, last = quote(meta.db_table), quote(meta.get_field("last").column)
    key = quote(meta.get_field("year").column)
    # Only our own table and column names (and ``unless``'s SQL, written the same way) are
    # formatted in; the year and ``unless``'s values are parameters.
    condition, params = f"{key} = %s", [year]
    if unless is not None:
        condition += f" AND NOT EXISTS ({unless[0]})"
        params += unless[1]
    sql = f"UPDATE {table} SET {last} = {last} + 1 WHERE {condition} RETURNING {last}"  # noqa: S608
    return sql, params


def _finds(query: tuple[str, list[Any]]) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(*query)
        return cursor.fetchone() is not None
