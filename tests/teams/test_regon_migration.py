"""The migration that makes REGON unique stops, naming the organisations, when two already
share one (they could, while only NIP and KRS were checked), instead of a bare IntegrityError
in the middle of a deploy."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest

migration = importlib.import_module("teams.migrations.0006_organisation_unique_regon")


class _Rows(list):
    def exclude(self, **kwargs: object) -> _Rows:
        return _Rows(row for row in self if row[2] != "")

    def order_by(self, *fields: str) -> _Rows:
        return _Rows(sorted(self, key=lambda row: (row[2], row[0])))

    def values_list(self, *fields: str) -> _Rows:
        return self


def _apps(rows: list[tuple[int, str, str]]) -> SimpleNamespace:
    model = SimpleNamespace(objects=_Rows(rows))
    return SimpleNamespace(get_model=lambda app, name: model)


def test_organisations_sharing_a_regon_stop_the_migration_with_their_names() -> None:
    rows = [
        (1, "Fundacja A", "192598184"),
        (2, "Bez REGON", ""),
        (7, "Fundacja A bis", "192598184"),
    ]
    with pytest.raises(RuntimeError, match=r"REGON 192598184: #1 'Fundacja A' and #7"):
        migration.refuse_duplicate_regons(_apps(rows), None)


def test_distinct_regons_and_empty_ones_pass() -> None:
    rows = [(1, "A", "192598184"), (2, "B", ""), (3, "C", ""), (4, "D", "123456785")]
    migration.refuse_duplicate_regons(_apps(rows), None)
