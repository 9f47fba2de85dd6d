"""Whole-page cache for anonymous visitors of pages that many people read and few change.

A round with thousands of comments is read mostly by people who are not logged in, and they
all see the same page. ``anonymous_page`` serves them a cached copy of the rendered HTML instead
of rendering it again, under three rules that keep it honest:

- **Only what is the same for every anonymous visitor is cached.** Logged-in users, htmx
  requests, requests with a pending flash message and requests with query parameters other than
  those the view names (``page=<digits>``) are rendered normally and never stored. The language
  and the path are part of the key.
- **The key comes from the database, not from the cache.** The caller passes a *state* that it
  has just read (for a round: its ``version``, bumped by every save, its
  ``comments_changed_at``, bumped by every comment service, and its phase at this second), so
  that a change made through one worker process is seen by every process at once, even with a
  per-process cache. ``PAGE_CACHE_SECONDS`` bounds what the key does not cover: a renamed
  meeting, team or organisation shows within five minutes. (A person's name, which must go at
  once when they withdraw consent, does: consultations.signals bumps their rounds.)
- **Each visitor gets their own CSRF token.** The cached HTML holds a placeholder where the
  token was; each response puts a fresh token for this visitor in its place, so the forms on
  the page (the language switch) work exactly as on a freshly rendered page. The same goes
  for the Content-Security-Policy nonce: each response has its own, in its header and in the
  page's ``nonce`` attributes.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

T = TypeVar("T")

PAGE_CACHE_SECONDS = 300
CSRF_PLACEHOLDER = "__krakow_ngo_csrf_token__"
NONCE_PLACEHOLDER = "__krakow_ngo_csp_nonce__"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
_PAGE_NUMBER = re.compile(r"[0-9]{1,6}")


def _cacheable_request(request: HttpRequest, params: Iterable[str]) -> bool:
    if request.method not in ("GET", "HEAD") or getattr(request, "htmx", False):
        return False
    allowed = set(params)
    for name, values in request.GET.lists():
        if name not in allowed or len(values) != 1 or not _PAGE_NUMBER.fullmatch(values[0]):
            return False
    if request.user.is_authenticated:
        return False
    # len() looks at pending messages without marking them as shown.
    return len(get_messages(request)) == 0


@functools.cache
def code_version() -> str:
    """Changes when templates or compiled translations change, so that a deployment never
    serves pages rendered by the previous one from a shared (Redis) cache."""
    engines: list[dict[str, Any]] = settings.TEMPLATES
    roots = [Path(d) for engine in engines for d in engine.get("DIRS", [])]
    roots += [Path(d) for d in settings.LOCALE_PATHS]
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".html", ".mo"):
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def state_key(kind: str, *state: Any) -> str:
    """The cache key of what ``state`` fully determines (read from the database or computed
    for the request by the caller, never from the cache): its kind and a hash of the state."""
    return f"{kind}:" + hashlib.sha256(repr(state).encode()).hexdigest()


def _nonce_attribute(nonce: str) -> str:
    return f'nonce="{nonce}"'  # as templates write it


def _key(request: HttpRequest, state: Iterable[Any]) -> str:
    return state_key(
        f"page:{code_version()}", tuple(state), get_language(), request.get_full_path()
    )


def anonymous_page(
    request: HttpRequest,
    state: Iterable[Any],
    render: Callable[[], HttpResponse],
    *,
    params: Iterable[str] = ("page",),
) -> HttpResponse:
    """``render()``'s response, or for an anonymous visitor a cached copy of it.

    ``state`` must change whenever what ``render()`` shows changes; ``params`` are the query
    parameters (positive integers only) that may vary a cached page.
    """
    if not _cacheable_request(request, params):
        return render()
    key = _key(request, state)
    cached = cache.get(key)
    if cached is not None:
        content_type, html = cached
        return HttpResponse(_thaw(request, html), content_type=content_type)
    response = render()
    if response.status_code == 200 and not response.streaming and not response.cookies:
        html = _freeze(request, response.content.decode(response.charset))
        cache.set(key, (response["Content-Type"], html), PAGE_CACHE_SECONDS)
    return response


def _freeze(request: HttpRequest, html: str) -> str:
    """``html`` as rendered for this request, with this request's CSRF token and CSP nonce
    replaced by placeholders, to be stored."""
    for token in set(_CSRF_INPUT.findall(html)):  # also where the page repeats it (htmx)
        html = html.replace(token, CSRF_PLACEHOLDER)
    nonce = getattr(request, "_csp_nonce", None)  # set once the page has shown it
    if nonce:
        html = html.replace(_nonce_attribute(nonce), _nonce_attribute(NONCE_PLACEHOLDER))
    return html


def _thaw(request: HttpRequest, html: str) -> str:
    """Stored ``html`` with this request's own CSRF token and CSP nonce put in."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, request_token(request))
    if NONCE_PLACEHOLDER in html:
        fresh_nonce = str(getattr(request, "csp_nonce", ""))  # django-csp's, for this response
        html = html.replace(_nonce_attribute(NONCE_PLACEHOLDER), _nonce_attribute(fresh_nonce))
    return html


def request_token(request: HttpRequest) -> str:
    """One masked CSRF token for everything a response shows: its cached parts and every
    template rendered with the request (``csrf_token``, krakow_ngo.context_processors.csrf).
    ``get_token`` masks the secret afresh each time, with 32 calls to the system's random
    source; Django's own context processor calls it once per template rendered. Kept with
    the secret it masks, so that a secret rotated meanwhile (a login) gets a token of its
    own."""
    kept = getattr(request, "_krakow_ngo_csrf_token", None)
    if kept is None or kept[0] != request.META.get("CSRF_COOKIE"):
        token = str(get_token(request))  # sets CSRF_COOKIE when the request had no secret
        kept = (request.META.get("CSRF_COOKIE"), token)
        setattr(request, "_krakow_ngo_csrf_token", kept)  # noqa: B010 - not a declared field
    return kept[1]


def shared_html(request: HttpRequest, state: Iterable[Any], render: Callable[[], str]) -> str:
    """``render()``'s HTML, or a cached copy of it: a part of a page that is the same for
    every viewer whose ``state`` is the same (for logged-in viewers, whose whole page is
    never cached). ``state`` must name everything the part shows, read from the database or
    computed for this viewer, as for ``anonymous_page``; the CSRF token and the CSP nonce
    are each request's own."""
    key = state_key(f"part:{code_version()}", tuple(state), get_language())
    cached = cache.get(key)
    if cached is not None:
        return _thaw(request, cached)
    html = render()
    cache.set(key, _freeze(request, html), PAGE_CACHE_SECONDS)
    return html


# This process's copies of values kept by ``kept``: key → (expiry, token, value).
_KEPT: dict[str, tuple[float, str, Any]] = {}
KEPT_MAX = 256  # keys; past it the copies are dropped and read again from the cache


def kept(key: str, compute: Callable[[], T], timeout: int = PAGE_CACHE_SECONDS) -> T:
    """``compute()``'s value under ``key`` (a ``state_key``), shared by the processes through
    the cache, as ``cache.get_or_set``, and also kept in this process's memory: for what a hot
    path reads on every request (the items a round consults, for each comment posted in the
    last hours of a round), which ``cache.get`` would unpickle afresh each time.

    Each computed value is stored with a random token and its expiry, and the token also
    alone under a key of its own, which is what a request reads (a short string to unpickle).
    The copy here is used only while the cache still names its token, and not past its
    expiry: a value cleared, deleted, expired or computed afresh by another process (a new
    token) is read again, so none is kept longer than the cache keeps it. Both keys are this
    helper's own (``kept:``), so no entry of another shape is ever read as one. Every caller in
    this process gets the same object: callers must not change it."""
    value_key, token_key = f"kept:{key}", f"kept-token:{key}"
    now = time.time()
    token = cache.get(token_key)
    copy = _KEPT.get(key)
    if token is not None and copy is not None and copy[1] == token and copy[0] > now:
        return cast(T, copy[2])
    stored = cache.get(value_key) if token is not None else None
    if not (
        isinstance(stored, tuple) and len(stored) == 3 and stored[1] == token and stored[0] > now
    ):
        stored = (now + timeout, secrets.token_hex(8), compute())
        cache.set_many({value_key: stored, token_key: stored[1]}, timeout)
    if len(_KEPT) >= KEPT_MAX:
        _KEPT.clear()
    _KEPT[key] = stored
    return cast(T, stored[2])
