"""Shared by the benchmarks: a seeded throwaway database and gunicorn serving it, DEBUG off."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="krakow_ngo.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="benchmark-only-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DATABASE_URL=os.environ.get("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}"),
        DJANGO_LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


@contextmanager
def seeded_server(workers: int = 2, media: bool = False) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield (base URL, environment) of gunicorn serving a freshly seeded database;
    ``media``: stored files in a throwaway folder too (not var/media)."""
    tmp = Path(tempfile.mkdtemp(prefix="krakow-ngo-bench-"))
    env = bench_env(tmp)
    if media:
        env["DJANGO_MEDIA_ROOT"] = str(tmp / "media")
    manage(env, "migrate", "--noinput")
    # Static files first: with DEBUG off, seeding freezes the demo's published documents,
    # whose PDFs name their fonts by static address (the manifest).
    manage(env, "collectstatic", "--noinput")
    manage(env, "seed_demo")
    port = free_port()
    # Not the repository's gunicorn.conf.py (read from the working directory by default): its
    # access log would write a line per request into the figures.
    config = tmp / "gunicorn.conf.py"
    config.write_text("")
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "--config",
            str(config),
            "krakow_ngo.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        yield base, env
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)


def cpu_by_process(*fragments: str) -> dict[int, float] | None:
    """CPU seconds used so far by each process (by pid) whose command line contains every one
    of ``fragments`` (None where /proc cannot be read: not Linux): its own user and system
    time, and that of its children which have ended and which it has waited for (a
    PostgreSQL backend whose connection closed, an autovacuum worker: the postmaster's
    ``cutime`` and ``cstime``). With a server's parent process among them, every second its
    processes spent is counted once, whether they still run or not (``cpu_spent``)."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not all(fragment in command for fragment in fragments):
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        # utime, stime, cutime, cstime (proc(5): fields 14-17, here from the state on).
        seconds[int(entry.name)] = sum(int(value) for value in fields[11:15]) / ticks
    return seconds


def cpu_spent(before: dict[int, float] | None, after: dict[int, float] | None) -> float | None:
    """CPU seconds spent between two ``cpu_by_process`` readings of the same processes and
    their parent: the difference of the totals. A process that ended meanwhile has moved
    what it spent into its parent's figure, and one started meanwhile counts whole."""
    if before is None or after is None:
        return None
    return sum(after.values()) - sum(before.values())


def wrk(
    url: str, seconds: int = 5, connections: int = 16, headers: dict[str, str] | None = None
) -> dict[str, float]:
    """Requests/s and latency percentiles (ms) from wrk (Debian package `wrk`)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (make system-deps does)")
    extra = [arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")]
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *extra, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for pct in ("50", "90", "99"):
        match = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)", out, re.MULTILINE)
        value, unit = float(match.group(1)), match.group(2)
        figures[f"p{pct}"] = (
            value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
        )
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non2xx"] = float(errors.group(1)) if errors else 0.0
    return figures
