"""Find the portal's public pages the way a visitor does: by following links from home."""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Callable
from html.parser import HTMLParser

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client

SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/i18n/")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def crawl(
    client: Client, start: str = "/", visit: Callable[[str, HttpResponse], None] | None = None
) -> dict[str, str]:
    """Every internal page reachable from `start`, mapped to its visible text (folded);
    `visit`, when given, also sees each page's URL and response."""
    seen: dict[str, str] = {}
    visited: set[str] = set()
    queue = deque([start])
    while queue:
        url = queue.popleft()
        if url in visited:
            continue
        visited.add(url)
        response = client.get(url)
        if response.status_code == 302 and response["Location"].startswith("/"):
            # An address that leads to a page (a comment's, to its round page): that page is
            # crawled; a page that sends its reader to the login page is not reachable.
            target = response["Location"].split("#", 1)[0]
            assert not target.startswith(resolve_url(settings.LOGIN_URL)), f"{url} asks to log in"
            queue.append(target)
            continue
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        if not response.get("Content-Type", "").startswith("text/html"):
            continue  # a download (CSV, XLSX, ICS…): reachable, but not a page to read
        if visit is not None:
            visit(url, response)
        parser = _Page()
        parser.feed(response.content.decode())
        seen[url] = re.sub(r"\s+", " ", html.unescape(" ".join(parser.text)))
        for href in parser.links:
            href = href.split("#", 1)[0]
            if href.endswith(".pdf"):  # documents, not pages (tests/pdf/ reads them)
                continue
            if href.startswith("/") and not href.startswith(SKIP_PREFIXES) and href not in visited:
                queue.append(href)
    return seen


def without_nonces(page: str) -> str:
    """The page without its CSP nonces (``nonce="…"`` in HTML, ``nonce: "…"`` in a script's
    settings): they are random, so they may spell whatever a test looks for ("cdn")."""
    return re.sub(r'nonce(?:=|: )"[^"]*"', "", page)
