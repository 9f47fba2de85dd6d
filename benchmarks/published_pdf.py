"""A published PDF downloaded like a static file, against a static file served by WhiteNoise
in the same run (the goal of issue 17: at least 0.5×).

    .venv/bin/python benchmarks/published_pdf.py [--seconds 5]

gunicorn with 2 sync workers, DEBUG off, on a seeded SQLite database (or DATABASE_URL), files
in local storage (a throwaway MEDIA_ROOT). Version 1 of the programme is published and its PDF
made once; then wrk asks, anonymously: /static/css/portal.css (the baseline, WhiteNoise through
the same gunicorn and the whole middleware list), the published PDF (answered right after
WhiteNoise by documents/downloads.py: the made publication looked up once per process, the
stored bytes with a strong ETag and an immutable Cache-Control), and the same with
If-None-Match (304); and /healthz (one query through the whole middleware: the floor of any
Django view). Also the SQL queries of a process's first download of it and of the next.
Noisy on a shared 2-core machine: compare the ratios, not the absolute numbers.

What it was before documents/downloads.py (0.16-0.49x; each request went through the whole
middleware to the view): on SQLite a new connection per request (CONN_MAX_AGE 0, with its
PRAGMAs) for the one lookup, about 1 ms; the URL resolver, about 0.3 ms; the session,
language, CSRF, authentication, messages, allauth and htmx middleware, about 0.2 ms; opening
the file and building the response, about 0.15 ms. A static file costs 0.12 ms in all.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from _server import PYTHON, ROOT, seeded_server, wrk

PUBLISH = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from documents.publications import publication_freeze, publication_render
from drafts.models import DraftVersion
version = DraftVersion.objects.order_by("pk").first()
publication = publication_freeze(kind="version", object_id=version.pk)
publication_render(publication_id=publication.pk)
publication.refresh_from_db()
url = reverse("drafts:version-pdf", args=[version.pk])
client = Client(HTTP_HOST="127.0.0.1")
queries = []
for _ in range(2):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    queries.append(len(captured))
print(json.dumps({
    "url": url, "etag": response["ETag"], "bytes": publication.byte_size,
    "queries": "/".join(map(str, queries)),
}))
"""

STATIC = "/static/css/portal.css"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    with seeded_server(media=True) as (base, env):
        out = subprocess.run(
            [PYTHON, "manage.py", "shell", "--no-imports", "-c", PUBLISH],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        published = json.loads(out.strip().splitlines()[-1])
        static_bytes = len((ROOT / "static/css/portal.css").read_bytes())
        baseline = wrk(base + STATIC, args.seconds)
        rows = [
            (f"{STATIC} (baseline: WhiteNoise)", baseline, static_bytes, "-"),
            ("/healthz (any Django view's floor)", wrk(base + "/healthz", args.seconds), 0, "1"),
            (
                f"published PDF {published['url']}",
                wrk(base + published["url"], args.seconds),
                published["bytes"],
                str(published["queries"]),
            ),
            (
                "the same, If-None-Match (304)",
                wrk(
                    base + published["url"],
                    args.seconds,
                    headers={"If-None-Match": published["etag"]},
                ),
                0,
                str(published["queries"]),
            ),
        ]
        print(
            f"{'download':50} {'bytes':>7} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} "
            f"{'p99 ms':>7} {'SQL':>5}"
        )
        failed = False
        for name, figures, size, queries in rows:
            failed |= figures["non2xx"] > 0
            print(
                f"{name:50} {size:7d} {figures['rps']:8.0f} "
                f"{figures['rps'] / baseline['rps']:6.2f} {figures['p50']:7.1f} "
                f"{figures['p99']:7.1f} {queries:>5}"
            )
        ratio = rows[2][1]["rps"] / baseline["rps"]
        print(f"\npublished PDF / static file: {ratio:.2f}× (goal ≥ 0.5×)")
        print("SQL: a process's first download of the PDF / the next ones")
        if failed:
            print("some responses were not 2xx/3xx", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
