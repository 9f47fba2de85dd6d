"""Django's PostgreSQL backend, whose health check asks the server only when the connection
shows that something happened to it.

With ``CONN_HEALTH_CHECKS`` Django checks a persistent connection before the first query of
each request, so that one that died (PostgreSQL restarted, the connection ended by an
administrator) is replaced instead of failing the request. Django's check is a ``SELECT 1``:
one round trip on every request, about a tenth of a comment post's time under load
(docs/architecture.md, "Posting"). A connection the server ended has something to read on its
socket: the server's last message ("terminating connection …") or the end of the stream. So
this check first looks at the socket without waiting; only if something is there does it run
Django's ``SELECT 1`` (a message the portal did not expect is read and the connection kept if
it still answers). A socket with nothing to read is a connection the server has not ended,
as far as this machine can know: a connection cut silently on the way (no message, no end of
stream) would make ``SELECT 1`` wait for the network's timeout too.

Settings: ``DATABASES["default"]["ENGINE"] = "krakow_ngo.postgresql"`` (krakow_ngo/settings.py
sets it for every PostgreSQL ``DATABASE_URL``).
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        if not _has_something_to_read(self.connection.fileno()):
            return True
        return super().is_usable()


def _has_something_to_read(fd: int) -> bool:
    """Whether the socket has a message, an error or its end waiting, without waiting."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))
