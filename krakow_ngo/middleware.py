"""The project's middleware: the language (Polish unless the visitor chose another with the
switch), refusal of requests whose text is not valid text, a database outage answered
with 503 instead of 500, and a form sent after the session ended answered with its text
instead of the log-in page."""

import logging
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.error_pages import error_page
from core.kept_text import KeptText, typed_texts
from core.retry_later import database_unavailable, is_database_outage

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


def _strict_pairs(raw: bytes) -> list[tuple[str, str]]:
    """The fields of a query string or URL-encoded body, decoded as UTF-8 without repair;
    raises UnicodeDecodeError. (Django repairs: raw bytes that are not UTF-8 are read as
    Latin-1, broken percent-escapes become U+FFFD, and "raw\\xff\\xfe" is stored as
    "rawÿþ".)"""
    return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict")


def request_text_is_valid(request: HttpRequest) -> bool:
    """Whether the query string and a form body are UTF-8 text, and the query string and the
    cookies hold no NUL character, which PostgreSQL can neither store nor compare (SQLite
    would store it). Query parameters are read without a form in many places (search,
    filters, pages), and a quoted cookie may spell a NUL as an octal escape (the session key is
    looked up in the database). A NUL in a form field is left to the form, which refuses it
    next to the field, keeping what was typed (Django's CharField does;
    ``consultations.forms.Text`` says so in its own words)."""
    try:
        query = _strict_pairs(get_bytes_from_wsgi(request.META, "QUERY_STRING", ""))
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            _strict_pairs(request.body)
        elif request.method == "POST" and request.content_type == "multipart/form-data":
            # Django's multipart parser has already put U+FFFD where the bytes were not
            # UTF-8; the raw body may hold files, so the repaired text is what is checked.
            posted = [(k, v) for k, values in request.POST.lists() for v in values]
            if any("\ufffd" in k or "\ufffd" in v for k, v in posted):
                return False
    except UnicodeDecodeError:
        return False
    return not any("\x00" in k or "\x00" in v for k, v in [*query, *request.COOKIES.items()])


class RequestTextMiddleware:
    """A query string or form body that is not valid UTF-8, or a query string or cookie that
    holds a NUL character, is answered 400 with a message before any view runs (and before
    the session is read), so nothing is stored as mojibake and no database is asked to
    compare a NUL."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request_text_is_valid(request):
            logger.info("Refused %s %s: its text is not valid", request.method, request.path)
            return error_page(
                400,
                message=_(
                    "What was sent is not valid text: it holds a NUL character or bytes that "
                    "are not UTF-8. Nothing was saved. Type or paste the text again, or try "
                    "another browser."
                ),
            )
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached (PostgreSQL restarting, a connection dropped) answers
    503 with Retry-After and a Polish page, instead of a 500. The next request reconnects:
    CONN_HEALTH_CHECKS drops a dead persistent connection before it is used."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_outage(exception):
            logger.warning("database unreachable, answered 503: %s", exception)
            return database_unavailable(kept=typed_texts(request))
        return None


class SessionEndedMiddleware:
    """A form with text in it, sent by someone not logged in (their session ended, or they
    logged out in another window), is not answered with the log-in page: that page would take
    the place of the form and what was typed (with htmx, inside the page), and lead back after
    logging in to the form's address, which answers only POST. It is answered with why nothing
    was saved, a log-in link back to the page the form was on, and the texts as typed
    (core.kept_text). With htmx it replaces the page's main content (200: htmx swaps only
    those). A form with nothing typed (a "join" button) keeps the plain redirect, and so does a
    log-in form that sends on to the portal's own (the admin's). Placed after
    AuthenticationMiddleware: it reads ``request.user``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method == "POST"
            and response.status_code == 302
            and not request.user.is_authenticated
            and _is_login_required_redirect(response["Location"], request.path)
            and (kept := typed_texts(request))
        ):
            return _session_ended(request, kept)
        return response


def _is_login_required_redirect(location: str, path: str) -> bool:
    """Whether ``location`` is where login_required sends a visitor of ``path``: the log-in
    page, to come back to this very address."""
    parts = urlsplit(location)
    back = dict(parse_qsl(parts.query)).get("next", "")
    return parts.path == resolve_url(settings.LOGIN_URL) and urlsplit(back).path == path


def _session_ended(request: HttpRequest, kept: list[KeptText]) -> HttpResponse:
    referer = request.headers.get("Referer", "")
    back = urlsplit(referer)
    same_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    next_url = (back.path + (f"?{back.query}" if back.query else "")) if same_site else "/"
    # A path of this host may still read as another host's address ("//evil.example/x").
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    context = {
        "login_url": f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}",
        "kept": kept,
    }
    if getattr(request, "htmx", False):
        response = render(request, "partials/session_ended_htmx.html", context)
        response["HX-Retarget"] = "#main"
        response["HX-Reswap"] = "innerHTML"
    else:
        response = render(request, "session_ended.html", context, status=403)
    add_never_cache_headers(response)
    return response
