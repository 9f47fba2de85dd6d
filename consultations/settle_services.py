"""Writes for settling a big round: the coordinating team's answer templates, comments
assigned to someone who drafts their answers, and the approval of a draft as the disposition.
Each service is one transaction with its audit rows; permissions and the phase are checked
here too, whatever the page let through."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import ConflictError, Refused
from teams.models import User

from . import notices, permissions, services
from .audit import ConsultationsAudit
from .models import AnswerDraft, AnswerTemplate, Comment, Disposition, Round
from .phases import Feature


def _check_manager(actor: User) -> None:
    if not permissions.can_manage_answer_templates(actor):
        raise Refused(_("Only the coordinating team keeps answer templates."))


def _check_text(title: str, text: str, template: AnswerTemplate | None = None) -> None:
    """A title and a text, and a title no other template has (letter case aside): the settle
    page's select lists templates by title, so two alike could not be told apart."""
    if not title.strip() or not text.strip():
        raise Refused(_("Give the template a title and a text."))
    others = AnswerTemplate.objects.filter(title__iexact=title.strip())
    if template is not None:
        others = others.exclude(pk=template.pk)
    if others.exists():
        raise Refused(
            _("There is already a template titled “%(title)s”: choose another title.")
            % {"title": title.strip()}
        )


@transaction.atomic
def answer_template_create(*, actor: User, title: str, text: str) -> AnswerTemplate:
    _check_manager(actor)
    _check_text(title, text)
    template = AnswerTemplate.objects.create(title=title, text=text, created_by=actor)
    audit_record(actor=actor, action=ConsultationsAudit.ANSWER_TEMPLATE_CREATE, target=template)
    return template


@transaction.atomic
def answer_template_update(
    *, actor: User, template: AnswerTemplate, version: int, title: str, text: str
) -> AnswerTemplate:
    """Save the template if nobody changed it since ``version`` was read; otherwise nothing is
    saved and ConflictError carries the template as it is now. Answers written from it keep
    their text (they never point at the template)."""
    _check_manager(actor)
    _check_text(title, text, template)
    updated = AnswerTemplate.objects.filter(pk=template.pk, version=version).update(
        title=title, text=text, version=F("version") + 1
    )
    current = AnswerTemplate.objects.filter(pk=template.pk).first()
    if not updated or current is None:
        raise ConflictError(
            _("Someone else changed or deleted this template meanwhile. Nothing was saved."),
            current=current,
        )
    audit_record(
        actor=actor,
        action=ConsultationsAudit.ANSWER_TEMPLATE_UPDATE,
        target=current,
        data={"text_before": template.text},
    )
    return current


@transaction.atomic
def answer_template_delete(*, actor: User, template: AnswerTemplate) -> None:
    _check_manager(actor)
    audit_record(
        actor=actor,
        action=ConsultationsAudit.ANSWER_TEMPLATE_DELETE,
        target=template,
        data={"text": template.text},
    )
    AnswerTemplate.objects.filter(pk=template.pk).delete()


# --- Assign, draft, approve ----------------------------------------------------------------


@transaction.atomic
def comments_assign(
    *, actor: User, round_: Round, versions: dict[int, int], assignee: User
) -> list[AnswerDraft]:
    """Assign the chosen unsettled comments (one, or a group) to ``assignee``, who drafts
    their answers. Refused, with nothing stored, when the actor is not of the coordinating
    team, the assignee may not draft answers for the round (``permissions.may_draft_answers``)
    or wrote one of the comments. A comment assigned before moves to the new assignee and
    keeps its draft."""
    services._refuse_unless(round_, Feature.SETTLE)
    if not permissions.can_settle(actor, round_):
        raise Refused(_("Only the coordinating team assigns comments."))
    if not permissions.may_draft_answers(assignee, round_):
        raise Refused(
            _(
                "%(name)s cannot draft answers for this round: only active members of the "
                "coordinating team and city officials can. Nothing was assigned."
            )
            % {"name": assignee.get_full_name() or assignee.email}
        )
    if not versions:
        raise Refused(_("Choose at least one comment to assign."))
    comments = list(Comment.objects.counted().filter(round=round_, pk__in=versions, disposition=""))
    if len(comments) != len(versions):
        raise Refused(_("Some of the chosen comments are settled or gone. Nothing was assigned."))
    own = [c for c in comments if permissions.decides_on_own(assignee, c)]
    if own:
        raise Refused(
            _("%(name)s wrote %(numbers)s: assign it to someone else. Nothing was assigned.")
            % {
                "name": assignee.get_full_name() or assignee.email,
                "numbers": ", ".join(f"#{c.pk}" for c in own),
            }
        )
    drafts = []
    now = timezone.now()
    for comment in comments:
        draft, created = AnswerDraft.objects.get_or_create(
            comment=comment,
            defaults={"assignee": assignee, "assigned_by": actor, "assigned_at": now},
        )
        if not created:
            AnswerDraft.objects.filter(pk=draft.pk).update(
                assignee=assignee,
                assigned_by=actor,
                assigned_at=now,
                version=F("version") + 1,
            )
            draft.refresh_from_db()
        services._audit(
            actor, ConsultationsAudit.COMMENT_ASSIGN, comment, round_, assignee=assignee.pk
        )
        drafts.append(draft)
    services._touch(*comments)  # shown with them on the settle page
    notices.notify_comments_assigned(round_, comments, assignee, now)
    return drafts


@transaction.atomic
def answer_draft_save(
    *, actor: User, draft: AnswerDraft, version: int, disposition: str, justification: str
) -> AnswerDraft:
    """Save the draft answer if nobody changed it since ``version``; otherwise nothing is
    saved and ConflictError carries the draft as it is now."""
    comment = draft.comment
    if not permissions.can_draft_answer(actor, comment, draft.assignee_id):
        raise Refused(
            _(
                "Only the person the comment is assigned to, or the coordinating team, drafts "
                "its answer."
            )
        )
    if comment.is_settled:
        raise Refused(_("The comment is settled already. Nothing was saved."))
    if disposition not in Disposition.values or not justification.strip():
        raise Refused(_("Choose a disposition and give a justification."))
    updated = AnswerDraft.objects.filter(pk=draft.pk, version=version).update(
        disposition=disposition,
        justification=justification,
        drafted_by=actor,
        drafted_at=timezone.now(),
        version=F("version") + 1,
    )
    current = AnswerDraft.objects.get(pk=draft.pk)
    if not updated:
        raise ConflictError(
            _("Someone else changed this draft meanwhile. Nothing was saved."), current=current
        )
    services._touch(comment)  # shown with it on the settle page
    services._audit(
        actor,
        ConsultationsAudit.COMMENT_DRAFT,
        comment,
        comment.round,
        reason=justification,
        disposition=disposition,
    )
    return current


@transaction.atomic
def answer_draft_approve(*, actor: User, draft: AnswerDraft, version: int) -> Comment:
    """The coordinating team approves the draft (as it was at ``version``) as the comment's
    disposition and justification, through services.comments_settle (so nobody approves a
    draft on their own comment, and a comment settled meanwhile is a conflict). A draft
    changed since ``version`` is a ConflictError carrying the current draft; nothing is
    saved."""
    comment = draft.comment
    current = AnswerDraft.objects.select_for_update().get(pk=draft.pk)
    if current.version != version:
        raise ConflictError(
            _(
                "The draft was changed meanwhile: the text you approved is not the draft any "
                "more. Nothing was saved; read the current draft and approve it again."
            ),
            current=current,
        )
    if not current.is_drafted:
        raise Refused(_("There is no draft to approve yet."))
    (settled,) = services.comments_settle(
        actor=actor,
        round_=comment.round,
        versions={comment.pk: comment.version},
        disposition=current.disposition,
        justification=current.justification,
    )
    services._audit(
        actor,
        ConsultationsAudit.COMMENT_DRAFT_APPROVE,
        comment,
        comment.round,
        drafted_by=current.drafted_by_id,
    )
    return settled
