"""core.http.etag_matches: If-None-Match as RFC 9110 has it for GET and HEAD, for every file
the portal serves with an ETag (published documents, cached PDF renderings)."""

from __future__ import annotations

import pytest

from core.http import etag_matches

TAG = '"3f2a"'


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        ('"3f2a"', True),
        ('W/"3f2a"', True),  # weakened by a proxy that compressed the body
        ("*", True),
        ('"other", "3f2a"', True),
        ('"other"', False),
        ("", False),
        ("3f2a", False),  # not a tag: unquoted
    ],
)
def test_if_none_match_compares_weakly_with_any_tag_of_its_list(header: str, matches: bool) -> None:
    assert etag_matches(TAG, header) is matches
