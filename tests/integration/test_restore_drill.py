"""The restore drill of docs/operations.md, run by `make test`: a PostgreSQL database holding a
published consultation report is dumped with pg_dump, restored with pg_restore into a fresh
database, and the report is served from the restored database with the same bytes (its CSV,
read from the database, and its frozen PDF, read from the storage restored beside it).

Its own PostgreSQL 15 cluster (Debian's binaries), whatever database the test run uses.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_faults import PGBIN, PostgresCluster, postgres_cluster  # noqa: F401 (fixture)

pytestmark = [pytest.mark.integration]

# Served through Django's test client from a process pointed at one database and one media
# directory: each published report's CSV and PDF, with their SHA-256.
SERVE_REPORTS = """
import hashlib
from django.test import Client
from consultations.models import Round
client = Client()
rounds = Round.objects.filter(status="published").order_by("pk")
assert rounds.exists(), "no published report"
for round_ in rounds:
    for suffix in ("report.csv", "report.pdf"):
        response = client.get(f"/consultations/{round_.pk}/{suffix}")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        print(round_.pk, suffix, response.status_code, len(body), hashlib.sha256(body).hexdigest())
"""


def manage(database_url: str, media: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": database_url,
            "DJANGO_MEDIA_ROOT": str(media),
            "DJANGO_ALLOWED_HOSTS": "testserver",
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def as_postgres(*command: str) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if shutil.which("runuser") else []
    result = subprocess.run([*prefix, *command], cwd="/", capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_dump_restored_into_a_fresh_database_serves_the_same_report(
    postgres_cluster: PostgresCluster,  # noqa: F811 (fixture)
    tmp_path: Path,
) -> None:
    media = tmp_path / "media"
    manage(postgres_cluster.url, media, "migrate", "--noinput")
    manage(postgres_cluster.url, media, "seed_demo")
    before = manage(postgres_cluster.url, media, "shell", "--no-imports", "-c", SERVE_REPORTS)
    lines = before.splitlines()
    assert len(lines) >= 2 and all(line.split()[2] == "200" for line in lines), before

    # The backup: the database with pg_dump (custom format), the storage as files.
    host = ["-h", "127.0.0.1", "-p", str(postgres_cluster.port), "-U", "postgres"]
    dump = postgres_cluster.dir / "app.dump"
    as_postgres(str(PGBIN / "pg_dump"), *host, "--format=custom", "--file", str(dump), "app")
    backup = tmp_path / "media-backup"
    shutil.copytree(media, backup)

    # The restore: a fresh database and the storage's copy; the original is gone.
    as_postgres(str(PGBIN / "createdb"), *host, "restored")
    as_postgres(
        str(PGBIN / "pg_restore"), *host, "--no-owner", "--exit-on-error", "-d", "restored",
        str(dump),
    )  # fmt: skip
    as_postgres(str(PGBIN / "dropdb"), *host, "app")
    restored_url = postgres_cluster.url.rsplit("/", 1)[0] + "/restored"
    after = manage(restored_url, backup, "shell", "--no-imports", "-c", SERVE_REPORTS)
    assert after == before  # each report's CSV and PDF: same status, length and SHA-256
