"""What teams tells the layers above it (documents freezes a meeting's published annex)."""

from django.dispatch import Signal

#: A meeting's results were published (committed). Sent with ``meeting_id`` and ``actor_id``.
meeting_results_published = Signal()
