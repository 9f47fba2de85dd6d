"""What changed in the programme draft because of a comment: the version and the paragraphs
whose wording cites it (``Comment.draft_paragraphs``, frozen in each version's snapshot as
``answers``), for its author's "My comments" page and the e-mail sent when it is settled.

A change is *published* once a version cites the comment (the first such version, compared
with the version the comment was made on, or else the one before); until then it is *pending*:
the working copy cites it and the next version will carry it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from drafts.models import DraftVersion, ProgrammeDraft

from .models import Comment, paragraph_labels


@dataclass
class Change:
    draft_id: int
    version_number: int  # the version that has (published) or will have (pending) the change
    published: bool
    uids: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    old_pk: int | None = None
    new_pk: int | None = None

    @property
    def paragraphs(self) -> str:
        return ", ".join(self.labels)

    @property
    def url(self) -> str | None:
        """The comparison at the first changed paragraph (None until published; a version
        with none before it is shown whole)."""
        if not self.published or self.new_pk is None:
            return None
        if self.old_pk is None:
            return reverse("drafts:version-detail", args=[self.new_pk])
        compare = reverse("drafts:version-compare", args=[self.draft_id])
        return f"{compare}?old={self.old_pk}&new={self.new_pk}#p-{self.uids[0]}"


def _cited(snapshot: dict) -> dict[int, list[str]]:
    """comment id → the uids of the paragraphs citing it in this snapshot."""
    found: dict[int, list[str]] = {}
    for section in snapshot.get("sections", []):
        for paragraph in section.get("paragraphs", []):
            for answer in paragraph.get("answers", []):
                found.setdefault(answer["id"], []).append(str(paragraph["uid"]))
    return found


def comment_changes(comments: Iterable[Comment]) -> dict[int, Change]:
    """comment id → its change, for the settled top-level ``comments`` that caused one (their
    ``round`` loaded). A few queries whatever the number of comments: the drafts of their
    programmes with their versions, and the working copy's citations."""
    settled = [c for c in comments if c.disposition and c.parent_id is None]
    if not settled:
        return {}
    drafts = {
        draft.programme_id: draft.pk
        for draft in ProgrammeDraft.objects.filter(
            programme_id__in={c.round.programme_id for c in settled}
        )
    }
    versions: dict[int, list[DraftVersion]] = {}
    for version in DraftVersion.objects.filter(draft_id__in=drafts.values()).order_by("number"):
        versions.setdefault(version.draft_id, []).append(version)
    cited = {v.pk: _cited(v.snapshot) for history in versions.values() for v in history}
    out: dict[int, Change] = {}
    pending: list[Comment] = []
    for comment in settled:
        draft_id = drafts.get(comment.round.programme_id)
        if draft_id is None:
            continue
        history = versions.get(draft_id, [])
        for index, version in enumerate(history):
            uids = cited[version.pk].get(comment.pk)
            if not uids:
                continue
            labels = paragraph_labels(version.snapshot)
            consulted = next(
                (v for v in history[:index] if v.pk == comment.paragraph_version_id), None
            )
            before = consulted or (history[index - 1] if index else None)
            out[comment.pk] = Change(
                draft_id=draft_id,
                version_number=version.number,
                published=True,
                uids=uids,
                labels=[labels[uid] for uid in uids],  # uids of this very snapshot
                old_pk=before.pk if before else None,
                new_pk=version.pk,
            )
            break
        else:
            pending.append(comment)
    if pending:
        through = Comment.draft_paragraphs.through
        rows = through.objects.filter(comment_id__in=[c.pk for c in pending]).values_list(
            "comment_id", "draftparagraph__uid", "draftparagraph__section__draft_id"
        )
        for comment_id, uid, draft_id in rows.order_by("draftparagraph__section__element"):
            history = versions.get(draft_id, [])
            latest = paragraph_labels(history[-1].snapshot) if history else {}
            change = out.setdefault(
                comment_id,
                Change(
                    draft_id=draft_id,
                    version_number=(history[-1].number if history else 0) + 1,
                    published=False,
                ),
            )
            change.uids.append(str(uid))
            change.labels.append(latest.get(str(uid)) or _("a new paragraph"))
    return out
