"""One refusal vocabulary for every service.

- ``Refused``: the change is not allowed now; ``str(error)`` is the message for the person.
- ``ConflictError``: someone else changed the object first; nothing was saved. ``current`` is
  the object as it is now (when the service has it), so a view can show it beside the
  person's own text.
- ``AlreadyDecided``: somebody else decided this request first (or it was withdrawn).
"""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """The change is not allowed now; nothing was saved."""


class ConflictError(Refused):
    """Someone else changed the object first; nothing was saved."""

    def __init__(self, message: str = "", *, current: Any = None) -> None:
        super().__init__(message or "conflict")
        self.current = current


class AlreadyDecided(ConflictError):
    """Somebody else decided this request first (or it was withdrawn); nothing was changed."""
