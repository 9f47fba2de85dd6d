"""How fast the outbox sweep sends, and a check that each row is sent exactly once.

    .venv/bin/python benchmarks/outbox_sweep.py [--recipients 10000]

On a throwaway SQLite database (or DATABASE_URL): --recipients users, one round, one
``round_announced`` row each, queued through ``outbox_enqueue`` (rows per second queued),
then swept (rows per second rendered in two languages, sent to Django's in-memory backend and
marked). Two sweeps follow at once: they must find nothing left. Every row's ``X-Outbox-Id``
must appear exactly once among the sent messages. Printed figures, not a test; noisy on a
shared 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=10_000)
    args = parser.parse_args()

    from benchmarks._server import bench_env

    tmp = Path(tempfile.mkdtemp(prefix="krakow-ngo-outbox-bench-"))
    os.environ.update(bench_env(tmp))
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from consultations.models import Round
    from notifications.models import Outbox
    from notifications.outbox import outbox_enqueue, outbox_sweep
    from teams.models import Programme, User

    call_command("migrate", verbosity=0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []

    users = User.objects.bulk_create(
        User(email=f"person{i}@example.org", language="en" if i % 3 == 0 else "pl")
        for i in range(args.recipients)
    )
    now = timezone.now()
    programme = Programme.objects.create(title="Program", period_start=2030, period_end=2030)
    round_ = Round.objects.create(
        programme=programme,
        title="Konsultacje",
        goal="Cel",
        subject="Przedmiot",
        responsible_office="MOWIS",
        contact="mowis@example.org",
        opens_at=now + dt.timedelta(days=30),
        closes_at=now + dt.timedelta(days=60),
        status="announced",
    )
    round_.get_absolute_url()  # warm up: the first reverse() imports every URLconf
    due = now + dt.timedelta(minutes=1)  # due later: the sweep below is the one that sends
    started = time.perf_counter()
    with transaction.atomic():  # as a service does: one transaction for the whole audience
        for user in users:
            outbox_enqueue(recipient=user, kind="round_announced", subject=round_, due_at=due)
    enqueue_seconds = time.perf_counter() - started

    started = time.perf_counter()
    result = outbox_sweep(now=due, limit=args.recipients + 10)
    sweep_seconds = time.perf_counter() - started
    again = outbox_sweep(now=due, limit=args.recipients + 10)
    third = outbox_sweep(limit=args.recipients + 10)

    counts = Counter(int(m.extra_headers["X-Outbox-Id"]) for m in mail.outbox)
    rows = set(Outbox.objects.values_list("pk", flat=True))
    once = all(counts[pk] == 1 for pk in rows) and set(counts) == rows
    unsent = Outbox.objects.filter(sent_at=None).count()
    print(f"recipients:            {args.recipients}")
    print(f"queued:                {len(rows)} rows, {len(rows) / enqueue_seconds:,.0f} rows/s")
    rate = len(result.sent) / sweep_seconds
    print(f"swept:                 {len(result.sent)} sent, {rate:,.0f} rows/s")
    print(f"sweeps after:          {len(again.sent) + len(third.sent)} sent (must be 0)")
    print(f"each sent exactly once: {once}; unsent rows: {unsent}")
    if not once or unsent:
        sys.exit(1)


if __name__ == "__main__":
    main()
