"""The documents' task, for Celery's autodiscovery: defined beside the publications."""

from .publications import render_publication

__all__ = ["render_publication"]
