"""E-mail backend for development: every message goes to the console and to a file."""

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(BaseEmailBackend):
    """Write each message to stdout and to a file under settings.EMAIL_FILE_PATH.

    The files let a developer open a verification link after the console has scrolled away.
    """

    def __init__(self, fail_silently: bool = False, **kwargs: object) -> None:
        super().__init__(fail_silently=fail_silently)
        self._console = ConsoleBackend(fail_silently=fail_silently, **kwargs)
        self._file = FileBackend(fail_silently=fail_silently, **kwargs)

    def send_messages(self, email_messages):
        self._file.send_messages(email_messages)
        return self._console.send_messages(email_messages)
