"""The settle page of a big round: printed figures, not a timed test.

Throughput of a coordinator's settle page of a closed round with 3,000 comments (each with a
reply and a support, spread over the consulted actions, a third of them one campaign letter),
against /healthz (one query, full middleware) in the same run and configuration. Goal: at
least 0.1× /healthz. The page is rendered afresh for each request (a logged-in coordinator is
never served a cached page); it is printed grouped by item (the default), filtered, and in the
order sent.

    .venv/bin/python benchmarks/settle_page.py [--seconds 5] [--comments 3000]

For PostgreSQL, source scripts/services.sh and call pg_start first (it sets DATABASE_URL).
gunicorn with 2 sync workers, DEBUG off. Figures are noisy on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from _server import PYTHON, ROOT, seeded_server, wrk

PREPARE = """
import datetime as dt, json
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone
from actions.models import Action
from demo.consultations import OPEN_TITLE
from consultations.models import AuthorRole, Comment, Round, Support
from teams.models import Organisation, User
round_ = Round.objects.get(title=OPEN_TITLE)
now = timezone.now()
Round.objects.filter(pk=round_.pk).update(
    opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=1)
)
author = User.objects.get(email="ngo@example.org")
organisation = Organisation.objects.filter(representations__user=author).first()
other = Organisation.objects.exclude(pk=organisation.pk).first()
actions = list(Action.objects.filter(meeting=round_.meeting)) or [None]
letter = "Wnosimy o zwiększenie środków na wkład własny organizacji w projektach unijnych."
comments = Comment.objects.bulk_create(
    (Comment(round=round_, author=author, author_role=AuthorRole.ORGANISATION,
             organisation=organisation, action=actions[i % len(actions)],
             text=letter if i % 3 == 0 else f"Uwaga obciążeniowa nr {i}")
     for i in range(COMMENTS)),
    batch_size=1000,
)
Comment.objects.bulk_create(
    (Comment(round=round_, parent=c, author=author, author_role=AuthorRole.ORGANISATION,
             organisation=organisation, text="Odpowiedź") for c in comments),
    batch_size=1000,
)
Support.objects.bulk_create((Support(comment=c, organisation=other) for c in comments),
                            batch_size=1000)
coordinator = User.objects.get(email="koordynator@example.org")
store = SessionStore()
store[SESSION_KEY] = str(coordinator.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = coordinator.get_session_auth_hash()
store.create()
print(json.dumps({"round": round_.pk, "session": store.session_key,
                  "comments": round_.comments.counted().count()}))
"""

GOAL = 0.1


def shell(env: dict[str, str], code: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--comments", type=int, default=3_000)
    args = parser.parse_args()
    with seeded_server() as (base, env):
        prepared = json.loads(
            shell(env, f"COMMENTS = {args.comments}\n" + PREPARE).splitlines()[-1]
        )
        page = f"/consultations/{prepared['round']}/settle/"
        cookie = {"Cookie": f"sessionid={prepared['session']}; django_language=pl"}
        baseline = wrk(base + "/healthz", args.seconds)
        variants = {
            "grouped by item": page,
            "filtered (open, words, page 3)": page + "?state=open&q=Uwaga&page=3",
            "in the order sent": page + "?order=sent",
        }
        figures = {
            name: wrk(base + url, args.seconds, headers=cookie) for name, url in variants.items()
        }
        database = env["DATABASE_URL"].split(":", 1)[0]
        print(
            f"Settle page with {prepared['comments']} comments "
            f"({database}, gunicorn 2 workers, logged-in coordinator)"
        )
        print(f"{'':34} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6}")
        print(
            f"{'/healthz (1 query)':34} {baseline['rps']:8.0f} "
            f"{baseline['p50']:7.1f} {baseline['p99']:7.1f}"
        )
        ok = True
        for name, result in figures.items():
            ratio = result["rps"] / baseline["rps"]
            ok = ok and result["non2xx"] == 0 and ratio >= GOAL
            print(
                f"{name:34} {result['rps']:8.0f} {result['p50']:7.1f} "
                f"{result['p99']:7.1f} {ratio:6.2f}"
            )
        print(f"goal: every ratio ≥ {GOAL} ({'met' if ok else 'NOT met'})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
