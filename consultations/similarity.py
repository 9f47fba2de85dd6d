"""Comments with the same or nearly the same text (a campaign letter many organisations send),
recognised cheaply within a round.

A text is normalised (case, spacing and punctuation ignored) and cut into shingles (runs of
three words). Two texts are *similar* when their shingle sets overlap by at least
``THRESHOLD`` (Jaccard). Comparing every pair of 3,000 comments would be 4.5 million
comparisons; instead each text gets a few MinHash values (the smallest shingle hash under
``PERMUTATIONS`` hash functions: two texts share one with a probability equal to their
overlap), texts sharing a value are candidates, and each candidate is compared with one text
of each group already in its bucket (at most ``BUCKET_GROUPS`` of them). The work is linear in
the number of comments and needs one query.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable

SHINGLE = 3
THRESHOLD = 0.7
# How many groups' texts a bucket keeps to compare newcomers with: a bucket of unrelated texts
# sharing one common phrase stays cheap (linear, at most this many comparisons per text).
BUCKET_GROUPS = 20
# (multiplier, addend) of each hash function over the 32-bit shingle hashes.
PERMUTATIONS = [
    (0x9E3779B1, 0x7F4A7C15),
    (0x85EBCA77, 0x165667B1),
    (0xC2B2AE3D, 0x27D4EB2F),
    (0x27D4EB2D, 0x61C88647),
    (0x165667B1, 0x9E3779B9),
    (0xD3A2646C, 0xFD7046C5),
]
_MASK = 0xFFFFFFFF
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The text without case, punctuation and extra white space."""
    kept = "".join(
        " " if unicodedata.category(char)[0] in "PSZC" else char for char in text.casefold()
    )
    return _SPACES.sub(" ", kept).strip()


def _shingles(text: str) -> frozenset[int]:
    words = normalise(text).split()
    if not words:
        return frozenset()
    runs = [words[i : i + SHINGLE] for i in range(max(1, len(words) - SHINGLE + 1))]
    return frozenset(zlib.crc32(" ".join(run).encode()) for run in runs)


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b)


def similar_groups(texts: Iterable[tuple[int, str]]) -> list[list[int]]:
    """Groups (of two or more ids, largest first, ids in the given order) of texts that are the
    same or nearly the same. Empty texts belong to no group."""
    shingles = {pk: s for pk, text in texts if (s := _shingles(text))}
    parent = {pk: pk for pk in shingles}

    def root(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for multiplier, addend in PERMUTATIONS:
        # Each bucket keeps one text of each group found in it so far (at most BUCKET_GROUPS):
        # a text is compared with each of those, not only with the bucket's first text.
        buckets: dict[int, list[int]] = {}
        for pk, s in shingles.items():
            bucket = min((h * multiplier + addend) & _MASK for h in s)
            members = buckets.setdefault(bucket, [])
            joined = False
            for other in members:
                if root(other) == root(pk):
                    joined = True  # its group is kept here already
                elif _jaccard(shingles[other], s) >= THRESHOLD:
                    parent[root(pk)] = root(other)
                    joined = True
            if not joined and len(members) < BUCKET_GROUPS:
                members.append(pk)
    groups: dict[int, list[int]] = {}
    for pk in shingles:
        groups.setdefault(root(pk), []).append(pk)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g[0]))
