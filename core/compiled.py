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
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.sql import Query

# Two sets of values no id ever takes.
_FIRST, _SECOND = -7_300_001, -7_400_001


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: list[Any]
    places: dict[int, int]  # parameter place -> argument index
    query: Query  # as built with the first markers: for its converters on each connection
    columns: list[Any]  # the compiler's selected expressions, in order
    init_list: list[str]  # the model's attnames the columns fill (instances only)


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet[Any]]) -> None:
        """``build(*ids)``: the queryset for the given ids (with ``values_list`` for
        ``rows``, of the model itself for ``instance``)."""
        self.build = build
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, alias: str, arity: int) -> _Compiled:
        first = [_FIRST - i for i in range(arity)]
        second = [_SECOND - i for i in range(arity)]
        query = self.build(*first).query
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        other_sql, other_params = self.build(*second).query.get_compiler(using=alias).as_sql()
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
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        # An instance is made from exactly the model's own columns, in the model's order (not
        # values_list(), not only(), no select_related() columns beside them).
        own = [field.attname for field in query.model._meta.concrete_fields]  # type: ignore[union-attr]
        names = [getattr(getattr(column, "target", None), "attname", None) for column in columns]
        init_list = own if names == own and not query.values_select else []
        return _Compiled(sql, list(params), places, query, columns, init_list)

    def _for(self, using: str, arity: int) -> _Compiled:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using, arity)
        return compiled

    @staticmethod
    def _values(compiled: _Compiled, ids: tuple[int, ...]) -> list[Any]:
        values = list(compiled.params)
        for place, index in compiled.places.items():
            values[place] = int(ids[index])
        return values

    def _run(self, ids: tuple[int, ...], using: str) -> tuple[_Compiled, list[tuple[Any, ...]]]:
        compiled = self._for(using, len(ids))
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, self._values(compiled, ids))
            return compiled, cursor.fetchall()

    def rows(self, *ids: int, using: str = "default") -> list[tuple[Any, ...]]:
        """The queryset's rows for ``ids``, as the database returns them (no field
        conversion: ids, text and booleans come back as they are stored)."""
        return self._run(ids, using)[1]

    def instance(self, *ids: int, using: str = "default") -> Model | None:
        """The queryset's first object for ``ids`` (None when there is none), as the ORM would
        load it: each column through the database's and the field's converters (a datetime
        from SQLite, a boolean), then ``Model.from_db``."""
        compiled, rows = self._run(ids, using)
        _check_instance(compiled)
        return self._instance(compiled, rows[0], using) if rows else None

    def instance_and_rows(
        self, rows_of: CompiledQuery, *ids: int, order: tuple[int, ...], using: str = "default"
    ) -> tuple[Model | None, list[tuple[Any, ...]]]:
        """``instance(*ids)`` and ``rows_of.rows(*ids)`` in one statement, one round trip to
        the database: ``rows_of``'s rows joined to the instance's row (``LEFT JOIN … ON 1 = 1``,
        so that the instance comes also when there are none), ordered by ``order``, positions
        in ``rows_of``'s columns (the order of a joined subquery is not kept). (None, []) when
        there is no instance."""
        one, two = self._for(using, len(ids)), rows_of._for(using, len(ids))
        _check_instance(one)
        width = len(one.columns)
        positions = ", ".join(str(width + position) for position in order)
        # Both SELECTs are compiled from querysets; only their text and positions are joined.
        sql = (
            f"SELECT * FROM ({one.sql}) one LEFT JOIN ({two.sql}) two ON 1 = 1"  # noqa: S608
            f" ORDER BY {positions}"
        )
        with connections[using].cursor() as cursor:
            cursor.execute(sql, self._values(one, ids) + self._values(two, ids))
            rows = cursor.fetchall()
        if not rows:
            return None, []
        # Where ``rows_of`` has no row, the join pads the instance's one with NULLs.
        joined = [row[width:] for row in rows if any(value is not None for value in row[width:])]
        return self._instance(one, rows[0][:width], using), joined

    def _instance(self, compiled: _Compiled, row: tuple[Any, ...], using: str) -> Model:
        # A compiler of this connection's (cheap to make; nothing is compiled again) applies the
        # converters exactly as a queryset does.
        compiler = compiled.query.get_compiler(using=using)
        converters = compiler.get_converters(compiled.columns)
        (converted,) = compiler.apply_converters([row], converters)
        return compiled.query.model.from_db(using, compiled.init_list, converted)  # type: ignore[union-attr]


def _check_instance(compiled: _Compiled) -> None:
    if not compiled.init_list:
        raise ValueError("An instance is made from the model's own columns and no others.")
