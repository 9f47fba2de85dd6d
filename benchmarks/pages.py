"""Throughput and latency of the public pages, against /healthz (one query, full middleware)
measured in the same run and configuration; and SQL queries per page.

    .venv/bin/python benchmarks/pages.py [--seconds 5]

gunicorn with 2 sync workers, DEBUG off, on a seeded SQLite database (or DATABASE_URL).
Figures are noisy on a shared 2-core machine: compare the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from _server import PYTHON, ROOT, seeded_server, wrk

PAGES = [
    "/",
    "/teams/",
    "/meetings/{meeting}/",
    "/meetings/{meeting}/postulated-actions/",
    "/actions/",
    "/programme/context/",
]

COUNT_QUERIES = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from teams.models import Meeting
meeting = Meeting.objects.get(date="2011-07-06").pk
client = Client(HTTP_HOST="127.0.0.1")
result = {}
for page in PAGES:
    url = page.format(meeting=meeting)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    result[url] = len(queries)
print(json.dumps({"meeting": meeting, "queries": result}))
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    with seeded_server() as (base, env):
        code = f"PAGES = {PAGES!r}\n" + COUNT_QUERIES
        out = subprocess.run(
            [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        counted = json.loads(out.strip().splitlines()[-1])
        baseline = wrk(base + "/healthz", args.seconds)
        print(
            f"{'page':45} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} {'p90 ms':>7} "
            f"{'p99 ms':>7} {'SQL':>4}"
        )
        print(
            f"{'/healthz (baseline: 1 query)':45} {baseline['rps']:8.0f} {1:6.2f} "
            f"{baseline['p50']:7.1f} {baseline['p90']:7.1f} {baseline['p99']:7.1f} {1:4d}"
        )
        failed = False
        for page in PAGES:
            url = page.format(meeting=counted["meeting"])
            figures = wrk(base + url, args.seconds)
            failed |= figures["non2xx"] > 0
            print(
                f"{url:45} {figures['rps']:8.0f} {figures['rps'] / baseline['rps']:6.2f} "
                f"{figures['p50']:7.1f} {figures['p90']:7.1f} {figures['p99']:7.1f} "
                f"{counted['queries'][url]:4d}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
