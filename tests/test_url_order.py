"""The project's URL patterns are tried in order (krakow_ngo/urls.py): the consultations'
come first among the apps', so that a round's page and its comment posts are found after few
patterns. That must change no address's meaning: no app put behind them has a pattern that
one of theirs also matches."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver, resolve


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern), pattern.lookup_str


def test_the_consultations_come_before_the_other_apps_and_shadow_none_of_their_addresses() -> None:
    root = get_resolver()
    apps = [p for p in root.url_patterns if isinstance(p, URLResolver)]
    names = [p.namespace or p.urlconf_name.__name__ for p in apps]  # type: ignore[union-attr]
    first_app = next(i for i, p in enumerate(apps) if p.namespace not in (None, "admin"))
    assert names[first_app] == "consultations", names
    # Every other app's address, with sample values, still reaches its own view.
    samples = {"<id:pk>": "7", "<int:pk>": "7", "<slug:slug>": "a-b", "<int:year>": "2027"}
    checked = 0
    for route, view in _patterns(root):
        if "consultations" in view.split(".")[0] or "^" in route or "(?" in route:
            continue
        path = route
        for converter, value in samples.items():
            path = path.replace(converter, value)
        if "<" in path:
            continue
        assert resolve("/" + path).route == route, (route, view)
        checked += 1
    assert checked > 50
