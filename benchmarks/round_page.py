"""A consultation round under load: printed figures, not a timed test.

1. Throughput of the round page of a round with 10,000 comments, against /healthz (one query,
   full middleware) in the same run and configuration. Goal: at least half of /healthz. The
   figure that counts is an anonymous visitor's, who is served the cached page
   (core/page_cache.py); a logged-in expert's, put together from cached parts with their own
   controls (consultations/fragments.py, docs/architecture.md), is printed beside it with its
   own goal (issue 17): at least 0.1× /healthz. On PostgreSQL the tables are ANALYZEd after
   the bulk load, as autovacuum would soon do.
2. 50 clients posting 20 comments each at the same time. Goal: 1,000 rows, no errors, nothing
   lost, at least 0.15× /healthz's requests per second (issue 17), printed with how long each
   post took from sending to the whole answer read (percentiles: what a person waits for in the
   last hours before a deadline) and the CPU each post cost in gunicorn, in PostgreSQL and in
   this client (read from /proc on Linux). A round of 1,000 posts takes 3–5 seconds, and this
   machine's speed drifts by a quarter from one minute to the next, so the round is run
   ``--post-rounds`` times (5; 3 until 6 December 2026, when single rounds of the same code
   ranged from 0.11× to 0.17×), each by 50 new accounts against /healthz measured just before
   it, and the goal is judged on the median ratio; each round's figures are printed.

Meant for PostgreSQL (source scripts/services.sh and call pg_start first, which sets
DATABASE_URL); on SQLite the figures are printed too, for comparison.

    .venv/bin/python benchmarks/round_page.py [--seconds 5] [--comments 10000] [--post-rounds 5]

gunicorn with 2 sync workers, DEBUG off. Figures are noisy on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

from _server import PYTHON, ROOT, cpu_by_process, cpu_spent, seeded_server, wrk

CLIENTS = 50
POSTS_EACH = 20

PREPARE = """
import json
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from demo.consultations import OPEN_TITLE
from consultations.models import AuthorRole, Comment, Round
from teams.models import Organisation, User
round_ = Round.objects.get(title=OPEN_TITLE)
author = User.objects.get(email="ngo@example.org")
organisation = Organisation.objects.filter(representations__user=author).first()
Comment.objects.bulk_create(
    (Comment(round=round_, author=author, author_role=AuthorRole.ORGANISATION,
             organisation=organisation, text=f"Uwaga obciążeniowa nr {i}")
     for i in range(COMMENTS)),
    batch_size=1000,
)
from django.db import connection
if connection.vendor == "postgresql":
    # As autovacuum would soon after a bulk load: the planner's figures for 10,000 new rows.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
sessions = []
for i in range(CLIENTS * ROUNDS):
    user, _ = User.objects.get_or_create(
        email=f"bench{i}@example.org", defaults={"is_expert": True}
    )
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    sessions.append(store.session_key)
print(json.dumps({"round": round_.pk, "sessions": sessions,
                  "comments": round_.comments.count()}))
"""

COUNT = """
from consultations.models import Comment
print(Comment.objects.filter(author__email__startswith="bench").count())
"""


def shell(env: dict[str, str], code: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def post_comments(
    base: str, round_pk: int, session: str, errors: list[str], took: list[float]
) -> None:
    """One client's posts, one after another; each one's seconds, from connecting to the
    whole answer read, appended to ``took``. HTTP/1.1 written on a plain socket, one
    connection per post (gunicorn's sync workers close each): the clients share this machine's
    two cores with the server, and urllib cost 0.4-0.5 ms of CPU per post, twice this, where
    wrk, which measures /healthz, costs a few hundredths. Each answer is checked: status 200,
    the length it announces, and the answer to a comment (the comment form's section)."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    csrf = secrets.token_hex(16)  # a 32-character secret: Django accepts it as cookie and header
    head = (
        f"POST /consultations/{round_pk}/comments/ HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        f"Cookie: sessionid={session}; csrftoken={csrf}\r\n"
        f"X-CSRFToken: {csrf}\r\n"
        "HX-Request: true\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        "Connection: close\r\n"
    )
    for n in range(POSTS_EACH):
        body = urllib.parse.urlencode(
            {
                "comment-text": f"Uwaga {session[:6]} {n}",
                "comment-item": "",
                "comment-token": str(uuid.uuid4()),  # the form's submission token
            }
        ).encode()
        started = time.monotonic()
        try:
            with socket.create_connection((host, int(port)), timeout=60) as sock:
                sock.sendall(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
                chunks = []
                while chunk := sock.recv(65536):
                    chunks.append(chunk)
            problem = _answer_problem(b"".join(chunks))
            if problem:
                errors.append(problem)
        except Exception as error:  # noqa: BLE001 - counted as an error, never a lost thread
            errors.append(f"{type(error).__name__}: {error}")
        took.append(time.monotonic() - started)


def _answer_problem(answer: bytes) -> str:
    """What is wrong with the HTTP answer to a post, read whole, or ""."""
    header, _sep, content = answer.partition(b"\r\n\r\n")
    status = header[9:12].decode(errors="replace")
    if status != "200":
        return f"HTTP {status}"
    lengths = [
        value
        for name, _colon, value in (line.partition(b":") for line in header.split(b"\r\n")[1:])
        if name.strip().lower() == b"content-length"
    ]
    if len(lengths) != 1:
        return "no Content-Length"  # Django's CommonMiddleware sets it on every answer
    if int(lengths[0]) != len(content):
        return "answer cut short"
    if b'id="comment-form-section"' not in content:
        return "not the answer to a comment"
    return ""


def _cpu(base: str) -> dict[str, dict[int, float] | None]:
    """CPU seconds so far of each process of gunicorn (its workers share the bind address in
    their command line), of PostgreSQL on this machine, and of this client."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "gunicorn": cpu_by_process("gunicorn", base.removeprefix("http://")),
        # The postmaster too ("postgres -D …"; its children are "postgres: …"): it takes over
        # what a backend or worker that ended during a round had spent (cpu_by_process).
        "PostgreSQL": cpu_by_process("postgres"),
        "client": {0: usage.ru_utime + usage.ru_stime},
    }


def post_round(
    base: str, env: dict[str, str], round_pk: int, sessions: list[str], seconds: int
) -> tuple[float, bool]:
    """One round: /healthz measured now, then the 50 clients' 1,000 posts. Its ratio, and
    whether every post was stored and answered."""
    baseline = wrk(base + "/healthz", seconds)
    before_count = int(shell(env, COUNT).splitlines()[-1])
    errors: list[str] = []
    latencies: list[float] = []
    threads = [
        threading.Thread(target=post_comments, args=(base, round_pk, s, errors, latencies))
        for s in sessions
    ]
    before = _cpu(base)
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.monotonic() - started
    after = _cpu(base)
    stored = int(shell(env, COUNT).splitlines()[-1]) - before_count
    expected = len(sessions) * POSTS_EACH
    print(
        f"{len(sessions)} clients × {POSTS_EACH} comments: {stored}/{expected} stored, "
        f"{len(errors)} errors, {took:.1f} s ({expected / took:.0f} comments/s) against "
        f"/healthz {baseline['rps']:.0f} req/s"
    )
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")  # cuts[k - 1]: p<k>
    print(
        "  each post, sent to answered: "
        + ", ".join(f"p{pct} {cuts[pct - 1] * 1000:.0f} ms" for pct in (50, 90, 99))
    )
    spent = {name: cpu_spent(before[name], after[name]) for name in after}
    split = [
        f"{name} {seconds / expected * 1000:.1f} ms"
        for name, seconds in spent.items()
        if seconds is not None
    ]
    print("  CPU per post: " + ", ".join(split))
    for error in sorted(set(errors))[:5]:
        print("  error:", error)
    ok = stored == expected and not errors and baseline["non2xx"] == 0
    return expected / took / baseline["rps"], ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--post-rounds", type=int, default=5)
    args = parser.parse_args()
    with seeded_server() as (base, env):
        prepared = json.loads(
            shell(
                env,
                f"COMMENTS = {args.comments}\nCLIENTS = {CLIENTS}\nROUNDS = {args.post_rounds}\n"
                + PREPARE,
            ).splitlines()[-1]
        )
        page = f"/consultations/{prepared['round']}/"
        baseline = wrk(base + "/healthz", args.seconds)
        figures = wrk(base + page, args.seconds)
        logged_in = wrk(
            base + page, args.seconds, headers={"Cookie": f"sessionid={prepared['sessions'][0]}"}
        )
        ratio = figures["rps"] / baseline["rps"]
        database = env["DATABASE_URL"].split(":", 1)[0]
        print(f"Round page with {prepared['comments']} comments ({database}, gunicorn 2 workers)")
        print(f"{'':32} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7}")
        print(
            f"{'/healthz (1 query)':32} {baseline['rps']:8.0f} "
            f"{baseline['p50']:7.1f} {baseline['p99']:7.1f}"
        )
        print(f"{page:32} {figures['rps']:8.0f} {figures['p50']:7.1f} {figures['p99']:7.1f}")
        print(
            f"{'  same, logged-in expert':32} {logged_in['rps']:8.0f} "
            f"{logged_in['p50']:7.1f} {logged_in['p99']:7.1f}"
        )
        print(f"ratio {ratio:.2f} (goal ≥ 0.50: {'met' if ratio >= 0.5 else 'NOT met'})")
        expert = logged_in["rps"] / baseline["rps"]
        print(
            f"logged-in ratio {expert:.3f} (goal ≥ 0.10: {'met' if expert >= 0.1 else 'NOT met'})"
        )

        ok = figures["non2xx"] == 0 and logged_in["non2xx"] == 0
        ratios = []
        for number in range(args.post_rounds):
            sessions = prepared["sessions"][number * CLIENTS : (number + 1) * CLIENTS]
            round_ratio, round_ok = post_round(base, env, prepared["round"], sessions, args.seconds)
            print(f"  round {number + 1}: posting ratio {round_ratio:.3f}")
            ratios.append(round_ratio)
            ok = ok and round_ok
        posting = statistics.median(ratios)
        verdict = "met" if posting >= 0.15 else "NOT met"
        print(
            f"posting ratio {posting:.3f} of /healthz, median of {len(ratios)} rounds "
            f"({', '.join(f'{r:.3f}' for r in ratios)}; goal ≥ 0.15: {verdict})"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
