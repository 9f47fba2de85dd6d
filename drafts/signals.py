"""What the programme draft tells the layers above it (documents freezes what is published)."""

from django.dispatch import Signal

#: A version is being published, inside its transaction (not robust: a receiver that fails
#: fails the publication). Sent with ``version``. Documents keeps the annexes it prints.
version_publishing = Signal()

#: A version was published (committed). Sent with ``version_id``.
version_published = Signal()

#: A version was adopted by the council (committed). Sent with ``version_id``.
version_adopted = Signal()
