"""``{% publication_record kind object_id %}``: a publication's record on the page that shows
it (the version page is a drafts view; drafts does not import documents, its template asks).
``{% published_page kind object_id as frozen %}``: the frozen document part of that page
(documents/pages.py), or None while the object is not published; the meeting annex page is an
actions view, which asks the same way."""

from __future__ import annotations

from typing import Any

from django import template

from teams.permissions import is_coordinator

from ..forms import ErratumForm
from ..models import Publication
from ..pages import in_language
from ..publications import has_page, publication_freeze

register = template.Library()


@register.inclusion_tag("documents/partials/publication_record.html", takes_context=True)
def publication_record(context: dict[str, Any], kind: str, object_id: object) -> dict[str, Any]:
    publication = (
        Publication.objects.filter(kind=kind, object_id=str(object_id))
        .defer("html", "page")
        .prefetch_related("changes")
        .first()
    )
    request = context.get("request")
    user = getattr(request, "user", None)
    coordinator = user is not None and is_coordinator(user)
    return {
        "publication": publication,
        "kind": kind,
        "changes": list(publication.changes.all()) if publication else [],
        "erratum_form": ErratumForm(auto_id=f"id_{kind}_%s") if coordinator else None,
        "request": request,
    }


@register.simple_tag
def published_page(kind: str, object_id: object) -> dict[str, Any] | None:
    frozen = (
        Publication.objects.filter(kind=kind, object_id=str(object_id), page__isnull=False)
        .values_list("page", flat=True)
        .first()
    )
    if frozen is not None:  # one query for a page frozen already
        return in_language(Publication(page=frozen))
    publication = publication_freeze(kind=kind, object_id=str(object_id))
    if publication is None or not has_page(publication):
        return None
    return in_language(publication)
