"""The search index: the Polish words of each searchable text, reduced to their base forms."""

from __future__ import annotations

from django.db import models


class SearchEntry(models.Model):
    """One searchable text (an action, a goal, a SWOT entry, a comment, or one paragraph of a
    published programme version: ``part`` is its uid) as the words it holds, written out as
    ``" word lemma word lemma … "`` (folded, each once) so that one ``LIKE`` finds a word or a
    word's beginning the same way on SQLite and PostgreSQL. ``source`` is the text as it was
    indexed: a row whose text differs is indexed again before the next search
    (``opendata.search.index_sync``), however the text was changed."""

    kind = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    part = models.CharField(max_length=64, blank=True, default="")
    source = models.TextField()
    words = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "part"], name="opendata_search_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.part}".strip()
