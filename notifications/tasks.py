"""The outbox task, for Celery's autodiscovery: defined beside the sweep it runs."""

from .outbox import outbox_sweep_task

__all__ = ["outbox_sweep_task"]
