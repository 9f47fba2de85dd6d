"""``{% publication_record kind object_id %}``: a publication's record on the page that shows
it (the version page is a drafts view; drafts does not import documents, its template asks)."""

from __future__ import annotations

from typing import Any

from django import template

from teams.permissions import is_coordinator

from ..forms import ErratumForm
from ..models import Publication

register = template.Library()


@register.inclusion_tag("documents/partials/publication_record.html", takes_context=True)
def publication_record(context: dict[str, Any], kind: str, object_id: object) -> dict[str, Any]:
    publication = (
        Publication.objects.filter(kind=kind, object_id=str(object_id))
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
