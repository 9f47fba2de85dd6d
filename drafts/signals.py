"""What the programme draft tells the layers above it (documents freezes what is published)."""

from django.dispatch import Signal

#: A version was published (committed). Sent with ``version_id``.
version_published = Signal()

#: A version was adopted by the council (committed). Sent with ``version_id``.
version_adopted = Signal()
