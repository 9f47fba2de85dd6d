"""Applying a comment's proposed wording to the working copy of the programme draft.

A coordinator takes a comment's proposed wording (as it is, or edited) into the paragraph of
the working copy the comment was on, settles the comment as accepted or partly accepted and
cites it from the paragraph, in one transaction. The paragraph is never overwritten silently:
the page sends the paragraph's ``version`` it showed (a second coordinator's save in between
is a ``ConflictError``), and a paragraph whose text differs from the consulted one (someone
changed it since, perhaps by applying another comment) is changed only once the coordinator
has seen the three texts side by side and says they resolved them (``resolved``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import ConflictError, Refused
from drafts import answers, units
from drafts import services as draft_services
from drafts.diff import word_diff
from drafts.models import DraftParagraph
from teams.models import User

from . import services
from .audit import ConsultationsAudit
from .models import Comment, Disposition, Round

#: The dispositions a comment whose wording was applied can get.
APPLIED_DISPOSITIONS = (Disposition.ACCEPTED, Disposition.PARTLY_ACCEPTED)


def working_paragraph(comment: Comment) -> DraftParagraph | None:
    """The paragraph of the working copy the comment was on (matched by its stable uid), or
    None when it was removed since (or the comment is not on a paragraph)."""
    if comment.paragraph_uid is None:
        return None
    return (
        DraftParagraph.objects.select_related("section__draft")
        .filter(uid=comment.paragraph_uid)
        .first()
    )


def proposed_paragraph(comment: Comment) -> str:
    """The paragraph as the comment proposes it: its proposed wording, or, for a comment on a
    section or point, the consulted paragraph with that unit reading the proposed wording."""
    if comment.paragraph_unit:
        return units.replace_unit(
            comment.paragraph_wording, comment.paragraph_unit, comment.proposed_wording
        )
    return comment.proposed_wording


def is_applied(comment: Comment, paragraph: DraftParagraph) -> bool:
    cited = answers.source().cited([paragraph.pk]).get(paragraph.pk, [])
    return any(citable.pk == comment.pk for citable in cited)


@dataclass
class WordingView:
    """The three texts of a proposal, for the page: what was consulted, what the working copy
    says now, and what the coordinator is about to save (the proposal or their edit), with the
    word-level differences of the current text and of the proposal from the consulted one."""

    comment: Comment
    paragraph: DraftParagraph | None
    consulted: str
    current: str
    proposal: str
    applied: bool

    @property
    def changed_since(self) -> bool:
        """The working copy no longer reads as consulted (or the paragraph is gone)."""
        return self.paragraph is None or self.current != self.consulted

    @property
    def current_diff(self) -> SafeString:
        return word_diff(self.consulted, self.current)["inline"]

    @property
    def proposal_diff(self) -> SafeString:
        return word_diff(self.consulted, self.proposal)["inline"]

    @property
    def proposal_against_current(self) -> SafeString:
        return word_diff(self.current, self.proposal)["inline"]


def wording_view(comment: Comment, proposal: str | None = None) -> WordingView:
    paragraph = working_paragraph(comment)
    return WordingView(
        comment=comment,
        paragraph=paragraph,
        consulted=comment.paragraph_wording,
        current=paragraph.text if paragraph is not None else "",
        proposal=proposed_paragraph(comment) if proposal is None else proposal,
        applied=paragraph is not None and is_applied(comment, paragraph),
    )


@dataclass
class SettleTools:
    """What the settling page shows under one comment: whether its wording can be applied,
    was applied, or its paragraph is gone or changed since the consultation."""

    paragraph: DraftParagraph | None
    applied: bool
    changed_since: bool


def settle_tools(round_: Round, comment: Comment) -> SettleTools | None:
    """The tools for ``comment`` on the settling page, None when it proposes no wording for a
    paragraph. The round's working-copy paragraphs and citations are read once per page and
    kept on the round object the page renders with."""
    if comment.paragraph_uid is None or not comment.proposed_wording.strip():
        return None
    cache: dict[str, Any] | None = getattr(round_, "_wording_cache", None)
    if cache is None:
        uids = set(
            round_.comments.exclude(paragraph_uid=None).values_list("paragraph_uid", flat=True)
        )
        paragraphs = {p.uid: p for p in DraftParagraph.objects.filter(uid__in=uids)}
        cited = answers.source().cited(p.pk for p in paragraphs.values())
        cache = {
            "paragraphs": paragraphs,
            "cited": {pk: {c.pk for c in found} for pk, found in cited.items()},
        }
        round_._wording_cache = cache  # type: ignore[attr-defined]
    paragraph = cache["paragraphs"].get(comment.paragraph_uid)
    if paragraph is None:
        return SettleTools(paragraph=None, applied=False, changed_since=True)
    return SettleTools(
        paragraph=paragraph,
        applied=comment.pk in cache["cited"].get(paragraph.pk, set()),
        changed_since=paragraph.text != comment.paragraph_wording,
    )


@transaction.atomic
def comment_wording_apply(
    *,
    actor: User,
    comment: Comment,
    text: str,
    paragraph_version: int,
    comment_version: int,
    disposition: str,
    justification: str,
    resolved: bool = False,
) -> DraftParagraph:
    """Put ``text`` (the comment's proposed wording, or the coordinator's edit of it) into the
    working copy's paragraph the comment is on, settle the comment with ``disposition``
    (accepted or partly accepted) and ``justification``, and cite it from the paragraph.

    All or nothing. ``Refused`` (nothing stored): a comment not on a paragraph, another
    disposition, anything ``comments_settle`` refuses (the phase, a missing justification,
    one's own comment as ``OwnComment``, a comment changed meanwhile). ``ConflictError``: the
    paragraph was removed from the working copy since, the comment was already applied, the
    paragraph is no longer at ``paragraph_version`` (someone saved it after the page was
    shown), or it reads differently from the consulted wording and the coordinator did not say
    they ``resolved`` the texts."""
    if comment.paragraph_uid is None:
        raise Refused(_("This comment is not on a paragraph of the programme draft."))
    if disposition not in APPLIED_DISPOSITIONS:
        raise Refused(_("A comment whose wording is applied is accepted or partly accepted."))
    paragraph = (
        DraftParagraph.objects.select_for_update()
        .select_related("section__draft")
        .filter(uid=comment.paragraph_uid)
        .first()
    )
    if paragraph is None:
        raise ConflictError(
            _(
                "The paragraph this comment is on was removed from the working copy since; "
                "nothing was changed. Add the wording as a new paragraph if it is still needed."
            )
        )
    if is_applied(comment, paragraph):
        raise ConflictError(
            _("This comment's wording was already applied to the paragraph; nothing was changed.")
        )
    services.comments_settle(
        actor=actor,
        round_=comment.round,
        versions={comment.pk: comment_version},
        disposition=disposition,
        justification=justification,
    )
    if paragraph.version != paragraph_version:
        raise ConflictError(
            _(
                "Someone else changed this paragraph after you opened it; nothing was saved. "
                "Compare your text with the current one and apply it again."
            ),
            current=paragraph,
        )
    changed_since = paragraph.text != comment.paragraph_wording
    if changed_since and not resolved:
        raise ConflictError(
            _(
                "The paragraph changed since the consulted version; nothing was saved. Compare "
                "the texts and confirm the wording to apply."
            ),
            current=paragraph,
        )
    cited = [c.pk for c in answers.source().cited([paragraph.pk]).get(paragraph.pk, [])]
    draft_services.paragraph_edit(
        actor=actor,
        paragraph=paragraph,
        text=text,
        version=paragraph_version,
        cited=[*cited, comment.pk],
    )
    audit_record(
        actor=actor,
        action=ConsultationsAudit.COMMENT_WORDING_APPLY,
        target=comment,
        reason=justification,
        data={
            "round": comment.round_id,
            "draft": paragraph.section.draft_id,
            "uid": str(paragraph.uid),
            "disposition": disposition,
            "edited": text.strip() != proposed_paragraph(comment).strip(),
            "resolved": changed_since,
        },
    )
    return paragraph
