"""Comments carried forward: when a round consults a later version of the programme draft,
the comments of earlier rounds on its paragraphs are shown with what became of the paragraph
since the version they were made on — changed, unchanged or removed — and a link to that
change in the comparison of versions."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from drafts.models import DraftVersion

from .models import Comment, Round
from .phases import Phase

STATUS_LABELS = {
    "changed": pgettext_lazy("paragraph", "changed"),
    "same": pgettext_lazy("paragraph", "unchanged"),
    "removed": pgettext_lazy("paragraph", "removed"),
}


@dataclass(frozen=True)
class Earlier:
    """An earlier round's comment on a paragraph, and what became of the paragraph since."""

    comment: Comment
    status: str  # "changed", "same" or "removed"
    diff_url: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _texts(snapshot: dict) -> dict[str, str]:
    return {
        str(paragraph["uid"]): paragraph.get("text", "")
        for section in snapshot.get("sections", [])
        for paragraph in section.get("paragraphs", [])
    }


def earlier_comments(round_: Round) -> dict[str, list[Earlier]]:
    """uid → the counted comments of earlier visible rounds on that paragraph of an earlier
    version of the same draft, oldest first. Compared with the paragraph's wording kept on the
    comment (or, for a comment without one, with its version's text). A comment the moderators
    hid is among them, as it is in its own round's page and report: the page shows its
    placeholder (``Comment.report_text``), never its text."""
    version = round_.draft_version
    if version is None:
        return {}
    comments = list(
        Comment.objects.counted()
        .filter(
            round__draft_version__draft_id=version.draft_id,
            round__draft_version__number__lt=version.number,
            paragraph_uid__isnull=False,
        )
        .exclude(round__status=Phase.DRAFT)
        .select_related("round", "organisation", "author")
        .order_by("created_at", "pk")
    )
    if not comments:
        return {}
    now = _texts(version.snapshot)
    older = {
        old.pk: _texts(old.snapshot)
        for old in DraftVersion.objects.filter(
            pk__in={c.paragraph_version_id or c.round.draft_version_id for c in comments}
        )
    }
    compare = reverse("drafts:version-compare", args=[version.draft_id])
    found: dict[str, list[Earlier]] = {}
    for comment in comments:
        uid = str(comment.paragraph_uid)
        old_pk = comment.paragraph_version_id or comment.round.draft_version_id
        assert old_pk is not None  # the filter asks for a round with a version
        wording = comment.paragraph_wording or older.get(old_pk, {}).get(uid, "")
        if uid not in now:
            status = "removed"
        elif now[uid] == wording:
            status = "same"
        else:
            status = "changed"
        url = f"{compare}?old={old_pk}&new={version.pk}"
        if status == "same":
            url += "&changes=all"
        found.setdefault(uid, []).append(Earlier(comment, status, f"{url}#p-{uid}"))
    return found
