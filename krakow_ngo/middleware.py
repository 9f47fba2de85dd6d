"""The project's middleware: the language (Polish unless the visitor chose another with the
switch), and a database outage answered with 503 instead of 500."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from core.retry_later import database_unavailable

logger = logging.getLogger(__name__)


class ChosenLanguageMiddleware:
    """Activate the language from the language cookie, else settings.LANGUAGE_CODE.

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language: this is a
    Polish public body's portal, so a visitor sees Polish first, whatever their browser says,
    and English after pressing the switch (which sets the cookie).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached (PostgreSQL restarting, a connection dropped) answers
    503 with Retry-After and a Polish page, instead of a 500. The next request reconnects:
    CONN_HEALTH_CHECKS drops a dead persistent connection before it is used."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            logger.warning("database unreachable, answered 503: %s", exception)
            return database_unavailable()
        return None
