"""Prepared statements on PostgreSQL (krakow_ngo/settings.py, docs/operations.md): a query
that a connection runs again and again is prepared by the server once, the setting that
turns them off for a connection pooler does turn them off, and a statement prepared before a
migration changed its column's type runs again (core/prepared.py).

Its own PostgreSQL 15 cluster (Debian's binaries), whatever database the test run uses."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT
from .test_faults import PostgresCluster, postgres_cluster  # noqa: F401 (fixture)

pytestmark = [pytest.mark.integration]

# The same query six times on one connection, then what that connection's session holds
# prepared (pg_prepared_statements shows the session's own).
RUN_AND_LIST = """
from django.db import connection
with connection.cursor() as cursor:
    for n in range(6):
        cursor.execute("SELECT 'prepared-probe' WHERE %s > 0", [n + 1])
    cursor.execute("SELECT statement FROM pg_prepared_statements")
    print([row[0] for row in cursor.fetchall()])
"""


def shell(code: str, database_url: str, **env: str) -> str:
    """What ``code`` prints, run by ``manage.py shell`` against ``database_url``."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_query_run_again_and_again_is_prepared_once_unless_turned_off(
    postgres_cluster: PostgresCluster,  # noqa: F811 (fixture)
) -> None:
    assert "prepared-probe" in shell(RUN_AND_LIST, postgres_cluster.url)
    assert "prepared-probe" not in shell(
        RUN_AND_LIST, postgres_cluster.url, DJANGO_DB_PREPARED_STATEMENTS="false"
    )


# A query prepared, then the column it reads changes type from another connection (a
# migration run while this process runs): read again outside a transaction, then inside one.
STALE = """
import os
import psycopg
from django.db import NotSupportedError, connection, transaction

migration = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
migration.execute("CREATE TABLE probe (a varchar(10))")
migration.execute("INSERT INTO probe VALUES ('x')")

def read():
    with connection.cursor() as cursor:
        cursor.execute("SELECT a FROM probe WHERE %s > 0", [1])
        return cursor.fetchall()

for _ in range(6):
    read()
migration.execute("ALTER TABLE probe ALTER a TYPE varchar(20)")
print("outside", read())
for _ in range(6):
    read()
migration.execute("ALTER TABLE probe ALTER a TYPE varchar(30)")
try:
    with transaction.atomic():
        read()
    print("inside read")
except NotSupportedError as error:
    print("inside refused:", error)
print("after", read())
"""


def test_a_query_prepared_before_a_migration_changed_its_column_runs_again(
    postgres_cluster: PostgresCluster,  # noqa: F811 (fixture)
) -> None:
    lines = shell(STALE, postgres_cluster.url).splitlines()
    # Outside a transaction the reader sees nothing of it (core.prepared.replan)...
    assert lines[0] == "outside [('x',)]"
    # ...inside one the error has aborted the transaction: it stands for that request, and
    # the rollback makes the connection forget, so the next read runs.
    assert lines[1] == "inside refused: cached plan must not change result type"
    assert lines[2] == "after [('x',)]"
