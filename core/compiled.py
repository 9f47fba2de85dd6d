"""ORM querysets whose SQL is compiled once per process and then run with each request's values.

On the hottest requests (a logged-in reader of a round page, a comment posted in the last hours
of a round) Django's query compiler costs several times what PostgreSQL takes to run the query
(benchmarks/round_page.py). ``CompiledQuery`` keeps the rule where it is written, in an ORM
queryset, and keeps only the SQL text it compiles to: the queryset is built twice, with two
different sets of marker values, and the SQL must come out the same with the markers in the same
parameter places. Anything else (a value turned into different SQL, a marker that does not reach
a parameter, a parameter that is not a marker but differs between the builds, such as "now")
is refused when the query is first used, so a queryset that cannot be reused this way fails
loudly in the tests instead of going stale.

Only integer arguments (ids) are supported: they are the only ones the hot paths need.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Two sets of values no id ever takes.
_FIRST, _SECOND = -7_300_001, -7_400_001


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet[Any]]) -> None:
        """``build(*ids)``: the queryset (with ``values_list``) for the given ids."""
        self.build = build
        self._compiled: dict[str, tuple[str, list[Any], dict[int, int]]] = {}

    def _compile(self, alias: str, arity: int) -> tuple[str, list[Any], dict[int, int]]:
        first = [_FIRST - i for i in range(arity)]
        second = [_SECOND - i for i in range(arity)]
        sql, params = self._sql(alias, first)
        other_sql, other_params = self._sql(alias, second)
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError("The queryset's SQL depends on its arguments' values.")
        places: dict[int, int] = {}
        for place, (one, other) in enumerate(zip(params, other_params, strict=True)):
            if one in first and other == second[first.index(one)]:
                places[place] = first.index(one)
            elif one != other:
                raise ValueError(f"Parameter {place} changes between builds: {one!r}.")
        if set(places.values()) != set(range(arity)):
            raise ValueError("An argument does not reach the query's parameters.")
        return sql, list(params), places

    def _sql(self, alias: str, ids: list[int]) -> tuple[str, tuple[Any, ...]]:
        query = self.build(*ids).query
        return query.get_compiler(using=alias).as_sql()

    def rows(self, *ids: int, using: str = "default") -> list[tuple[Any, ...]]:
        """The queryset's rows for ``ids``, as the database returns them (no field
        conversion: ids, text and booleans come back as they are stored)."""
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using, len(ids))
        sql, params, places = compiled
        values = list(params)
        for place, index in places.items():
            values[place] = int(ids[index])
        with connections[using].cursor() as cursor:
            cursor.execute(sql, values)
            return cursor.fetchall()
