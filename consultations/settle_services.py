"""Writes for settling a big round: the coordinating team's answer templates. Each service is
one transaction with its audit row; the permission is checked here too, whatever the page let
through."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import ConflictError, Refused
from teams.models import User

from . import permissions
from .audit import ConsultationsAudit
from .models import AnswerTemplate


def _check_manager(actor: User) -> None:
    if not permissions.can_manage_answer_templates(actor):
        raise Refused(_("Only the coordinating team keeps answer templates."))


def _check_text(title: str, text: str) -> None:
    if not title.strip() or not text.strip():
        raise Refused(_("Give the template a title and a text."))


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
    _check_text(title, text)
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
