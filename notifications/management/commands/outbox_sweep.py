"""Send the due outbox rows once, without a broker (e.g. from cron in a small deployment)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from notifications.outbox import outbox_sweep


class Command(BaseCommand):
    help = "Send the e-mails that are due (the same sweep Celery beat runs every minute)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = outbox_sweep()
        self.stdout.write(
            f"sent {len(result.sent)}, retried {len(result.retried)}, "
            f"failed {len(result.failed)}, cancelled {len(result.cancelled)}"
        )
