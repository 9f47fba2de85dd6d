"""The register: comments received outside the portal (e-mail, ePUAP, post, in person, open
meetings, duty hours), recorded by the coordinating team and then settled, reported and
exported like the portal's own. Writes only; each service is one transaction with its audit
row (``comment.register``, ``comment.register_edit``, ``comment.register_withdraw``).

The comment's author is the external party — an organisation (existing, or created
unverified by name) or a person by name — and ``registered_by`` the coordinator. So
``permissions.decides_on_own``, which asks about the author, never stops the coordinator who
typed a letter in from settling it: they did not write it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import prose_datetime
from core.errors import ConflictError, Refused
from teams.models import Organisation, User
from teams.permissions import is_coordinator

from . import numbering
from .audit import ConsultationsAudit
from .models import AuthorRole, Channel, Comment, Round
from .phases import Feature
from .services import (
    _audit,
    _consulted_paragraph,
    _paragraph_unit,
    _refuse_unless,
    _touch,
    comment_paragraph,
    comment_revision_keep,
    comment_target,
)


def late_reason() -> str:
    """The justification suggested for settling a late comment as not considered."""
    return _("The comment was received after the consultation closed.")


def received_at_problem(round_: Round, received_at: dt.datetime) -> str | None:
    """Why a registered comment cannot have been received then, or None: not in the future,
    not before the round was announced. Asked by the register form and by the services.
    The form takes the time to the minute, so the announcement counts from its minute: a
    letter received in the minute the round was announced is in time."""
    if received_at > timezone.now():
        return _("The date received is in the future.")
    announced = round_.announced_at
    if announced is not None and received_at < announced.replace(second=0, microsecond=0):
        return _("The date received is before the round was announced (%(date)s).") % {
            "date": prose_datetime(announced)
        }
    return None


@dataclass(frozen=True)
class Submitter:
    """Who sent a registered comment: an existing organisation, a new one by name (created
    unverified), or a person by name (published only with ``name_public``)."""

    organisation: Organisation | None = None
    new_organisation: str = ""
    person: str = ""
    name_public: bool = False


@dataclass(frozen=True)
class Original:
    """The uploaded original, already checked by the form (register_forms.check_original)."""

    file: File
    extension: str
    name: str


def _apply(
    comment: Comment,
    *,
    submitter: Submitter,
    channel: str,
    received_at: dt.datetime,
    text: str,
    proposed_wording: str,
    submitter_justification: str,
    item: Any,
    paragraph_unit: str,
) -> None:
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise Refused(_("Choose how the comment was received."))
    problem = received_at_problem(comment.round, received_at)
    if problem:
        raise Refused(problem)
    organisation = submitter.organisation
    if organisation is None and submitter.new_organisation.strip():
        organisation = Organisation.objects.create(name=submitter.new_organisation.strip())
    if organisation is not None:
        comment.author_role, comment.organisation = AuthorRole.ORGANISATION, organisation
        comment.submitter_name, comment.submitter_name_public = "", False
    elif submitter.person.strip():
        comment.author_role, comment.organisation = AuthorRole.PERSON, None
        comment.submitter_name = submitter.person.strip()
        comment.submitter_name_public = submitter.name_public
    else:
        raise Refused(_("Give the submitter: an organisation or a person."))
    comment.channel, comment.received_at = channel, received_at
    comment.text, comment.proposed_wording = text, proposed_wording
    comment.submitter_justification = submitter_justification
    _on_item(comment, item, paragraph_unit)


def _on_item(comment: Comment, item: Any, paragraph_unit: str) -> None:
    """Point the comment at ``item`` and at the section or point ``paragraph_unit`` of it
    (as typed; "" for the whole item), by the portal's comment form's rule
    (services._paragraph_unit); Refused if the item is not consulted or has no such unit. A
    correction that keeps the paragraph keeps the wording it was registered with."""
    comment.swot_entry = comment.goal = comment.action = None
    uid = None
    if type(item).__name__ == "ParagraphRef":
        uid = _consulted_paragraph(comment.round, item.uid)
    elif item is not None:
        comment_target(comment, item)
    if uid is None or str(uid) != str(comment.paragraph_uid):
        comment_paragraph(comment, uid)
    comment.paragraph_unit = _paragraph_unit(comment, paragraph_unit)


def unit_problem(
    round_: Round, item: Any, paragraph_unit: str, comment: Comment | None = None
) -> str | None:
    """Why ``paragraph_unit`` cannot be recorded for ``item`` (one of the round's consulted
    items, or None for the round as a whole), or None: the rule ``_apply`` applies, asked by
    the register form so that the refusal is said at the field. ``comment``: the registered
    comment being corrected, whose kept paragraph wording counts if the paragraph stays."""
    probe = Comment(round=round_)
    if comment is not None:
        probe.paragraph_uid = comment.paragraph_uid
        probe.paragraph_version = comment.paragraph_version
        probe.paragraph_wording = comment.paragraph_wording
    try:
        _on_item(probe, item, paragraph_unit)
    except Refused as refusal:
        return str(refusal)
    return None


def _store(comment: Comment, original: Original | None) -> str:
    """Store the original under a name of our own (the sender's name is kept apart); returns
    the stored name, for removal if the transaction fails."""
    if original is None:
        return ""
    comment.attachment_name = original.name[:200]
    comment.attachment.save(f"{uuid.uuid4().hex}.{original.extension}", original.file, save=False)
    return comment.attachment.name or ""


def _removing_on_failure(stored: list[str]) -> Any:
    """A context that deletes the files stored for a write that did not commit: a refused
    registration leaves no orphan in storage."""

    class Cleanup:
        def __enter__(self) -> None:
            return None

        def __exit__(self, kind: Any, *_rest: Any) -> None:
            if kind is not None:
                for name in stored:
                    if name:
                        default_storage.delete(name)

    return Cleanup()


def comment_register(
    *,
    actor: User,
    round_: Round,
    channel: str,
    received_at: dt.datetime,
    submitter: Submitter,
    text: str,
    proposed_wording: str = "",
    submitter_justification: str = "",
    item: Any = None,
    paragraph_unit: str = "",
    original: Original | None = None,
) -> Comment:
    """Record a comment received outside the portal, with its registration number. Refused
    (nothing stored, no file left behind) outside the register's phases, for a date received
    in the future or before the announcement, without a submitter, or for a section or point
    (``paragraph_unit``, as typed: "ust. 2 pkt 3") the chosen paragraph does not have."""
    stored: list[str] = []
    with _removing_on_failure(stored), transaction.atomic():
        _refuse_unless(round_, Feature.REGISTER)
        comment = Comment(round=round_, registered_by=actor, author=None)
        _apply(
            comment,
            submitter=submitter,
            channel=channel,
            received_at=received_at,
            text=text,
            proposed_wording=proposed_wording,
            submitter_justification=submitter_justification,
            item=item,
            paragraph_unit=paragraph_unit,
        )
        stored.append(_store(comment, original))
        comment.registration_number = numbering.registration_number_next(round_)
        comment.save()
        _audit(
            actor,
            ConsultationsAudit.COMMENT_REGISTER,
            comment,
            round_,
            number=comment.registration_number,
            channel=channel,
            late=comment.is_late,
        )
    return comment


def correction_refusal(comment: Comment) -> str:
    """Why ``comment`` cannot be corrected as a registered comment (the correction page says
    so before anything is typed, the service refuses it), or ""."""
    if not comment.is_registered or comment.parent_id is not None:
        return _("Only a registered comment can be corrected here.")
    if comment.is_settled or comment.is_withdrawn:
        return _("A settled or withdrawn comment can no longer be corrected.")
    return ""


def comment_register_edit(
    *,
    actor: User,
    comment: Comment,
    version: int,
    channel: str,
    received_at: dt.datetime,
    submitter: Submitter,
    text: str,
    proposed_wording: str = "",
    submitter_justification: str = "",
    item: Any = None,
    paragraph_unit: str = "",
    original: Original | None = None,
) -> Comment:
    """Correct a registered comment (until it is settled); the earlier text is kept as a
    CommentRevision, a new original replaces the old one, and the change is audited. The
    registration number stays."""
    stored: list[str] = []
    with _removing_on_failure(stored), transaction.atomic():
        _refuse_unless(comment.round, Feature.REGISTER)
        if refusal := correction_refusal(comment):
            raise Refused(refusal)
        comment_revision_keep(comment, actor)
        previous = comment.attachment.name if original is not None else ""
        _apply(
            comment,
            submitter=submitter,
            channel=channel,
            received_at=received_at,
            text=text,
            proposed_wording=proposed_wording,
            submitter_justification=submitter_justification,
            item=item,
            paragraph_unit=paragraph_unit,
        )
        stored.append(_store(comment, original))
        fields = [
            "author_role",
            "organisation",
            "submitter_name",
            "submitter_name_public",
            "channel",
            "received_at",
            "text",
            "proposed_wording",
            "submitter_justification",
            "swot_entry",
            "goal",
            "action",
            "paragraph_uid",
            "paragraph_version",
            "paragraph_wording",
            "paragraph_unit",
            "attachment",
            "attachment_name",
        ]
        updated = Comment.objects.filter(pk=comment.pk, version=version).update(
            version=F("version") + 1,
            edited_at=timezone.now(),
            updated_at=timezone.now(),
            **{name: getattr(comment, name) for name in fields},
        )
        if not updated:
            # The comment object holds the typed values now; the caller gets the stored ones.
            raise ConflictError(
                _("The comment changed meanwhile; nothing was saved."),
                current=Comment.objects.select_related("organisation")
                .filter(pk=comment.pk)
                .first(),
            )
        comment.refresh_from_db()
        _audit(
            actor,
            ConsultationsAudit.COMMENT_REGISTER_EDIT,
            comment,
            comment.round,
            number=comment.registration_number,
            channel=channel,
        )
        _touch(comment)
    if previous:
        transaction.on_commit(lambda: default_storage.delete(previous))
    return comment


class WithdrawalKind(models.TextChoices):
    """Why a registered comment is withdrawn: the sender withdrew it in writing, or it should
    not have been registered (a duplicate, not a comment, the wrong round)."""

    SENDER = "sender", gettext_lazy("The sender withdrew it in writing")
    ERROR = "error", gettext_lazy("It was registered by mistake (a duplicate or another error)")


def withdrawal_received_problem(comment: Comment, received_at: dt.datetime | None) -> str | None:
    """Why the sender's withdrawal cannot be accepted as received then, or None. It must have
    reached the office before the round closed, as a portal author may withdraw only while
    the round is open; not in the future, not before the comment itself was received."""
    if received_at is None:
        return _("Give the date the sender's withdrawal was received.")
    if received_at > timezone.now():
        return _("The date received is in the future.")
    if comment.received_at is not None and received_at < comment.received_at:
        return _("The withdrawal cannot have been received before the comment (%(date)s).") % {
            "date": prose_datetime(comment.received_at)
        }
    if received_at >= comment.round.closes_at:
        return _(
            "A withdrawal received after the round closed (%(date)s) cannot be accepted: the "
            "comment stays and is settled."
        ) % {"date": prose_datetime(comment.round.closes_at)}
    return None


def comment_register_withdraw(
    *,
    actor: User,
    comment: Comment,
    version: int,
    kind: str,
    reason: str,
    withdrawal_received_at: dt.datetime | None = None,
) -> Comment:
    """Withdraw a registered comment for the coordinating team, with a reason: it is no longer
    counted, settled or reported (``Comment.objects.counted()``, as a portal author's
    withdrawal), keeps its registration number (never given again), and the audit entry
    holds the reason, which the register shows. Refused (nothing changed) after the report is
    published, for anyone outside the coordinating team, for a portal comment or a reply,
    without a reason, and for the sender's withdrawal received after the round closed.
    ``ConflictError`` (nothing changed) if someone else withdrew it first, or if it changed
    since ``version``, the version the person confirming was shown (a colleague corrected or
    settled it): then its ``current`` is the comment as stored now, to be shown before the
    withdrawal is confirmed again."""
    with transaction.atomic():
        _refuse_unless(comment.round, Feature.REGISTER_WITHDRAW)
        if not is_coordinator(actor):
            raise Refused(_("Only the coordinating team withdraws a registered comment."))
        if not comment.is_registered or comment.parent_id is not None:
            raise Refused(_("Only a registered comment can be withdrawn here."))
        if kind not in WithdrawalKind.values:
            raise Refused(_("Choose why the comment is withdrawn."))
        reason = reason.strip()
        if not reason:
            raise Refused(_("Give the reason for the withdrawal."))
        received = None
        if kind == WithdrawalKind.SENDER:
            problem = withdrawal_received_problem(comment, withdrawal_received_at)
            if problem:
                raise Refused(problem)
            received = withdrawal_received_at
        now = timezone.now()
        updated = Comment.objects.filter(pk=comment.pk, withdrawn_at=None, version=version).update(
            withdrawn_at=now, updated_at=now, version=F("version") + 1
        )
        if not updated:
            current = Comment.objects.select_related("organisation").filter(pk=comment.pk).first()
            if current is None or current.is_withdrawn:
                raise ConflictError(
                    _("Someone else withdrew this comment first; nothing was changed.")
                )
            raise ConflictError(
                _(
                    "The comment changed after this page was shown (it was corrected or "
                    "settled), so it was not withdrawn. Here it is as saved now; confirm again "
                    "if it should still be withdrawn:"
                ),
                current=current,
            )
        comment.refresh_from_db()
        _audit(
            actor,
            ConsultationsAudit.COMMENT_REGISTER_WITHDRAW,
            comment,
            comment.round,
            reason=reason,
            number=comment.registration_number,
            kind=kind,
            withdrawal_received_at=received.isoformat() if received else None,
        )
        _touch(comment)
    return comment
