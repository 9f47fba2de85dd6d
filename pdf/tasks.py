"""The PDF tasks, for Celery's autodiscovery: defined beside the cache they work on."""

from .cache import render_pdf, warm_pdf

__all__ = ["render_pdf", "warm_pdf"]
