"""The database health check (krakow_ngo/postgresql/base.py): a persistent connection that
nothing happened to is reused without a round trip; one the server ended is found unusable
(and Django then replaces it). The restart under load that this guards is
tests/integration/test_faults.py's; this one looks at the check itself.

Its own PostgreSQL 15 cluster (Debian's binaries), whatever database the test run uses."""

from __future__ import annotations

import pytest

from .test_faults import PostgresCluster, postgres_cluster  # noqa: F401 (fixture)
from .test_prepared_statements import shell

pytestmark = [pytest.mark.integration]

CHECK = """
import os
import time
import psycopg
from django.db import connections
connection = connections["default"]

print("engine", type(connection).__module__)
connection.ensure_connection()
raw = connection.connection
asked = []
cursor = raw.cursor
raw.cursor = lambda *args, **kwargs: (asked.append(1), cursor(*args, **kwargs))[1]
print("healthy", connection.is_usable(), len(asked))
admin = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
admin.execute("SELECT pg_terminate_backend(%s)", [raw.info.backend_pid])
time.sleep(0.5)
print("ended", connection.is_usable(), len(asked))
# What a request does: the check before its first query replaces the dead connection.
connection.close_if_unusable_or_obsolete()
connection.health_check_done = False
connection.close_if_health_check_failed()
with connection.cursor() as c:
    c.execute("SELECT 41 + 1")
    print("answer", c.fetchone()[0])
"""


def test_a_healthy_connection_is_reused_without_asking_and_an_ended_one_is_replaced(
    postgres_cluster: PostgresCluster,  # noqa: F811 (fixture)
) -> None:
    out = shell(CHECK, postgres_cluster.url).splitlines()
    assert "engine krakow_ngo.postgresql.base" in out
    assert "healthy True 0" in out  # no SELECT 1
    assert "ended False 1" in out  # the socket showed it: the server was asked, and it is gone
    assert "answer 42" in out
