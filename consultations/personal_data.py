"""What consultations holds about a person, for the RODO (GDPR) export of teams.personal_data
(registered in ``ConsultationsConfig.ready``): the comments and replies they wrote, with what
became of them and their earlier versions, the comments they flagged and the ones they
supported for an organisation."""

from __future__ import annotations

from typing import Any

from teams.models import User
from teams.personal_data import iso

from .models import Comment, CommentRevision, Flag, Support


def consultation_data(user: User) -> dict[str, Any]:
    comments = (
        Comment.objects.filter(author=user)
        .select_related("organisation", "round", "swot_entry", "goal", "action")
        .order_by("pk")
    )
    return {
        "consultation_comments": [
            {
                "id": comment.pk,
                "round_id": comment.round_id,
                "reply_to": comment.parent_id,
                "registration_number": comment.registration_number,
                "on_behalf_of": comment.author_role,
                "organisation": comment.organisation.name if comment.organisation else None,
                "item": comment.item_label,
                "paragraph_unit": comment.paragraph_unit,
                "text": comment.text,
                "proposed_wording": comment.proposed_wording,
                "justification_given": comment.submitter_justification,
                "channel": comment.channel,
                "created_at": iso(comment.created_at),
                "edited_at": iso(comment.edited_at),
                "withdrawn_at": iso(comment.withdrawn_at),
                "hidden_at": iso(comment.hidden_at),
                "hidden_reason": comment.hidden_reason,
                "disposition": comment.disposition,
                "answer": comment.justification,
                "settled_at": iso(comment.settled_at),
            }
            for comment in comments
        ],
        "consultation_comment_earlier_versions": [
            {
                "comment_id": revision.comment_id,
                "text": revision.text,
                "proposed_wording": revision.proposed_wording,
                "justification_given": revision.submitter_justification,
                "replaced_at": iso(revision.created_at),
            }
            for revision in CommentRevision.objects.filter(comment__author=user).order_by("pk")
        ],
        "consultation_flags": [
            {
                "comment_id": flag.comment_id,
                "reason": flag.reason,
                "created_at": iso(flag.created_at),
                "reviewed_at": iso(flag.reviewed_at),
            }
            for flag in Flag.objects.filter(user=user).order_by("pk")
        ],
        "consultation_supports": [
            {
                "comment_id": support.comment_id,
                "organisation": support.organisation.name,
                "created_at": iso(support.created_at),
            }
            for support in Support.objects.filter(user=user)
            .select_related("organisation")
            .order_by("pk")
        ],
    }
