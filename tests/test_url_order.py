"""The project's URL patterns are tried in order (krakow_ngo/urls.py): the consultations'
come first among the apps', so that a round's page and its comment posts are found after few
patterns. That must change no address's meaning: no app put behind them has a pattern that
one of theirs also matches."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver, resolve

# A value each path converter the project uses accepts (a converter not listed fails the test:
# give it a sample).
SAMPLES = {"": "x", "str": "x", "id": "7", "int": "7", "slug": "a-b", "path": "a/b"}
_CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern), pattern


def _sample_path(route: str) -> str:
    def sample(match: re.Match[str]) -> str:
        converter = match.group(1) or ""
        assert converter in SAMPLES, f"no sample for <{converter}:…> in {route}"
        return SAMPLES[converter]

    return "/" + _CONVERTER.sub(sample, route)


def test_the_consultations_come_before_the_other_apps_and_shadow_none_of_their_addresses() -> None:
    root = get_resolver()
    apps = [p for p in root.url_patterns if isinstance(p, URLResolver)]
    first_app = next(p for p in apps if p.namespace not in (None, "admin"))
    assert first_app.namespace == "consultations"
    # Every address of every other app, with sample values, still reaches its own pattern
    # and view.
    checked = 0
    for route, pattern in _patterns(root):
        view = pattern.lookup_str
        if route.split("/")[0] in ("admin", "accounts") or "^" in route:
            continue  # Django's admin and allauth, and the API's format suffixes: regexes
        if "drf_format_suffix" in route:
            continue
        if view.startswith("consultations."):
            continue
        match = resolve(_sample_path(route))
        assert (match.route, match.func) == (route, pattern.callback), (route, view)
        checked += 1
    assert checked > 100
