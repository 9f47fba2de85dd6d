"""What the programme draft tells the layers above it (documents warms the version's PDF)."""

from django.dispatch import Signal

#: A version was published or marked adopted (committed). Sent with ``version_id``.
version_published = Signal()
