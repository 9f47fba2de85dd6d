"""Writes for consultation rounds. Each service is one transaction; moderation-relevant ones
write an audit row (core.audit) in the same transaction, with ``data["round"]`` set so
that the round's audit log page finds them.

Services check the phase themselves (through ``phase_opens``), so a request that slipped past
a view's check, or arrived a second after the deadline, is still refused: ``Refused`` carries
the message to show, and nothing is stored.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import ConflictError, Refused
from core.languages import of_record
from drafts import units
from teams.models import Organisation, Representation, User

from . import notices, numbering, permissions, rules
from .audit import ConsultationsAudit
from .models import (
    AuthorRole,
    Comment,
    CommentRevision,
    Disposition,
    Flag,
    Round,
    RoundEvent,
    Support,
)
from .phases import Feature, Phase, phase_of, phase_opens
from .signals import report_published, touch_comments


def _touch(*comments: Comment) -> None:
    """These comments changed: their threads' cached HTML and their rounds' cached pages are
    stale. For the conditional UPDATEs below, which send no signals; a comment or support
    saved with ``save()``/``create()`` is marked by consultations.signals."""
    touch_comments(Q(pk__in=[comment.pk for comment in comments]))


def _audit(
    actor: Any,
    action: ConsultationsAudit,
    target: Any,
    round_: Round,
    reason: str = "",
    **data: Any,
):
    audit_record(
        actor=actor, action=action, target=target, reason=reason, data={"round": round_.pk, **data}
    )


# --- Rounds ------------------------------------------------------------------------------


def _validate(round_: Round) -> None:
    """Kraków's rules for the announcement, the same the round form applies (Round.clean)."""
    try:
        round_.clean()
    except ValidationError as error:
        raise Refused(" ".join(error.messages)) from None


@transaction.atomic
def round_create(*, actor: User, **fields: Any) -> Round:
    """A draft round, checked by ``Round.clean()`` (consultations.rules): it consults a
    meeting's results, a published draft version, or both, and closes after it opens. Where
    it falls short of Kraków's rules the pages warn (rules.round_shortfalls)."""
    meeting = fields.get("meeting")
    version = fields.get("draft_version")
    programme = fields.pop("programme", None)
    if programme is None and meeting is not None:
        programme = meeting.team.programme
    if programme is None and version is not None:
        programme = version.draft.programme
    round_ = Round(programme=programme, created_by=actor, **fields)
    _validate(round_)
    round_.save()
    _audit(actor, ConsultationsAudit.ROUND_CREATE, round_, round_)
    return round_


@transaction.atomic
def round_update(*, actor: User, round_: Round, **fields: Any) -> Round:
    if round_.status != Phase.DRAFT:
        raise Refused(_("Only a draft round can be edited."))
    for name, value in fields.items():
        setattr(round_, name, value)
    _validate(round_)
    round_.save()
    _audit(actor, ConsultationsAudit.ROUND_UPDATE, round_, round_)
    return round_


def _transition(
    actor: User,
    round_: Round,
    expected: Phase,
    action: ConsultationsAudit,
    *,
    reason: str = "",
    audit: dict[str, Any] | None = None,
    **changes: Any,
) -> Round:
    """Move the round on, only from ``expected`` (checked again under a conditional UPDATE);
    ``reason`` and ``audit`` go into the audit entry."""
    if phase_of(round_) != expected:
        raise Refused(_("The round is not in the right phase for this step any more."))
    updated = Round.objects.filter(pk=round_.pk, version=round_.version).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        raise ConflictError(_("Someone else changed the round meanwhile. Reload and try again."))
    round_.refresh_from_db()
    _audit(actor, action, round_, round_, reason, **(audit or {}))
    notices.notify_round_transition(round_, action)
    return round_


class ShortOfRules(Refused):
    """The round falls short of Kraków's rules (``shortfalls``) and no reason was given."""

    def __init__(self, message: str, *, shortfalls: list[str]) -> None:
        super().__init__(message)
        self.shortfalls = shortfalls


@transaction.atomic
def round_announce(*, actor: User, round_: Round, override_reason: str | None = None) -> Round:
    """Announce the round. Where it falls short of Kraków's rules (rules.round_shortfalls,
    as announced now) a reason is needed: ``override_reason``, or the one already stored on
    the round; it is stored and audited (``round.rules_override``) with the shortfalls."""
    now = timezone.now()
    if over := rules.already_over(round_, now):
        raise Refused(over)  # not a rule a reason may depart from
    shortfalls = rules.round_shortfalls(round_, now=now)
    reason = (round_.rules_override_reason if override_reason is None else override_reason).strip()
    changes: dict[str, Any] = {"status": Phase.ANNOUNCED, "announced_at": now}
    if shortfalls:
        if not reason:
            raise ShortOfRules(
                _(
                    "The round falls short of Kraków's rules. Give the reason for departing "
                    "from them to announce it anyway; nothing was changed."
                ),
                shortfalls=shortfalls,
            )
        changes["rules_override_reason"] = reason
    round_ = _transition(actor, round_, Phase.DRAFT, ConsultationsAudit.ROUND_ANNOUNCE, **changes)
    if shortfalls:
        _audit(
            actor,
            ConsultationsAudit.ROUND_RULES_OVERRIDE,
            round_,
            round_,
            reason=reason,
            shortfalls=shortfalls,
        )
    return round_


@transaction.atomic
def round_open(*, actor: User, round_: Round) -> Round:
    """Open an announced round now, ahead of its planned opening."""
    return _transition(
        actor,
        round_,
        Phase.ANNOUNCED,
        ConsultationsAudit.ROUND_OPEN,
        status=Phase.OPEN,
        opens_at=timezone.now(),
    )


class CloseReasonRequired(Refused):
    """Closing a round before its deadline needs a reason (``round_close``)."""


@transaction.atomic
def round_close(*, actor: User, round_: Round, reason: str = "") -> Round:
    """Close an open round now, before its deadline (a round past it is closed already:
    ``phase_of``), only with a ``reason`` (else CloseReasonRequired): the announced deadline
    is kept (``announced_closes_at``) beside the real close, and both, with the reason, are
    audited, e-mailed and reported."""
    now = timezone.now()
    reason = reason.strip()
    if not reason:
        raise CloseReasonRequired(
            _(
                "The round closes before its announced deadline: give the reason, which the "
                "report prints; nothing was changed."
            )
        )
    return _transition(
        actor,
        round_,
        Phase.OPEN,
        ConsultationsAudit.ROUND_CLOSE,
        reason=reason,
        audit={"announced_closes_at": round_.closes_at.isoformat()},
        status=Phase.CLOSED,
        closes_at=now,
        announced_closes_at=round_.closes_at,
        early_close_reason=reason,
    )


def still_unsettled(round_: Round) -> str:
    """Why the round cannot be marked settled yet: a comment (not a reply, not withdrawn)
    without a disposition; "" when every one has one. Refused by ``round_mark_settled``, said
    first on its confirmation page."""
    unsettled = round_.comments.counted().filter(disposition="").count()
    if not unsettled:
        return ""
    return _("%(count)s comment(s) still have no disposition; settle every comment first.") % {
        "count": unsettled
    }


@transaction.atomic
def round_mark_settled(*, actor: User, round_: Round) -> Round:
    """Refused while any comment has no disposition (``still_unsettled``)."""
    if refusal := still_unsettled(round_):
        raise Refused(refusal)
    return _transition(
        actor,
        round_,
        Phase.CLOSED,
        ConsultationsAudit.ROUND_SETTLE,
        status=Phase.SETTLED,
        settled_at=timezone.now(),
    )


@transaction.atomic
def round_publish_report(*, actor: User, round_: Round) -> Round:
    """The report is public from now on. Its PDF is rendered in the Celery worker once this
    commits, so that its first reader downloads it instead of waiting for a large round's
    table to be laid out (robust: a broker that is down leaves a log line, not a failure)."""
    round_ = _transition(
        actor,
        round_,
        Phase.SETTLED,
        ConsultationsAudit.ROUND_PUBLISH_REPORT,
        status=Phase.REPORT_PUBLISHED,
        report_published_at=timezone.now(),
    )
    round_id, actor_id = round_.pk, actor.pk
    transaction.on_commit(
        lambda: report_published.send(sender=Round, round_id=round_id, actor_id=actor_id),
        robust=True,
    )
    return round_


# --- Comments ----------------------------------------------------------------------------


def _refuse_unless(round_: Round, feature: Feature) -> None:
    if not phase_opens(round_, feature):
        raise Refused(_("The round is not open for this now; nothing was saved."))


def _refuse_unless_takes_responses(comment: Comment) -> None:
    """A reply, support or flag only for a comment anyone may read: not a hidden or withdrawn
    one (``permissions.takes_responses``), whoever asks, whatever the page let through."""
    if not permissions.takes_responses(comment):
        raise Refused(permissions.closed_to_responses(comment))


def _check_speaks_for(actor: User, organisation: Organisation | int) -> Organisation:
    """The organisation (or the one with this id), read with the check that the actor speaks
    for it: ``Representation.objects.active()`` (approved, the organisation verified)."""
    for representation in (
        Representation.objects.active()
        .filter(user=actor, organisation=organisation)
        .select_related("organisation")
        .order_by()[:1]
    ):
        return representation.organisation
    raise Refused(_("You do not speak for this organisation; nothing was saved."))


def _check_author(
    actor: User, author_role: str, organisation: Organisation | int | None
) -> Organisation | None:
    """The actor may comment on behalf of ``organisation`` (as its representative; it, or
    its id, comes back read with the check) or in the role they hold (expert, city
    official)."""
    if author_role == AuthorRole.ORGANISATION:
        if organisation is None:
            raise Refused(_("Choose the organisation you comment for."))
        return _check_speaks_for(actor, organisation)
    if not (
        (author_role == AuthorRole.EXPERT and actor.is_expert)
        or (author_role == AuthorRole.OFFICIAL and actor.is_official)
    ):
        raise Refused(_("You do not hold this role; nothing was saved."))
    if organisation is not None:
        raise Refused(_("A comment in a personal role is not on behalf of an organisation."))
    return None


class AlreadySaved(ConflictError):
    """The form that sent this comment was sent before and its comment saved (``current``);
    nothing new was saved."""


def refuse_if_sent(actor: User, token: uuid.UUID) -> None:
    """AlreadySaved if the actor's form with this token already saved a comment; another
    person's token is refused without showing whose comment it saved."""
    # The token is unique: at most one row, so no ordering to compile.
    saved = next(
        iter(Comment.objects.filter(submission_token=token).select_related("round").order_by()[:1]),
        None,
    )
    if saved is None:
        return
    if saved.author_id != actor.pk:
        raise Refused(_("This form cannot be sent; reload the page and write again."))
    raise AlreadySaved(
        _("This comment was already saved (the form was sent twice); it was not added again."),
        current=saved,
    )


REPEATED_FIELDS = (
    "round",
    "parent",
    "author",
    "author_role",
    "organisation",
    "swot_entry",
    "goal",
    "action",
    "paragraph_uid",
    "paragraph_unit",
    "text",
    "proposed_wording",
    "submitter_justification",
)


def refuse_if_repeated(comment: Comment) -> None:
    """AlreadySaved if its author already made this very comment: the same text, with the
    same wording and justification, on the same item of the same round, in the same role (not
    withdrawn). A form sent again from a page the browser's Back button brought back carries a
    new token (the page was loaded afresh), so the token alone did not catch it."""
    with connection.cursor() as cursor:
        cursor.execute(*repeated_query(comment))
        row = cursor.fetchone()
    if row is not None:
        raise AlreadySaved(
            _("You already sent this same comment; it was not added again."),
            current=Comment.objects.get(pk=row[0]),
        )


def repeated_query(comment: Comment) -> tuple[str, list[Any]]:
    """refuse_if_repeated's SELECT for ``comment`` and its parameters (``_repeated_sql``)."""
    fields = _repeated_fields()
    values = [getattr(comment, field.attname) for field in fields]
    sql = _repeated_sql(connection.vendor, tuple(value is None for value in values))
    params = [
        field.get_db_prep_value(value, connection)
        for field, value in zip(fields, values, strict=True)
        if value is not None
    ]
    return sql, params


@functools.cache
def _repeated_fields() -> tuple[models.Field[Any, Any], ...]:
    """REPEATED_FIELDS as the model's fields (once per process: every post asks)."""
    fields: list[models.Field[Any, Any]] = []
    for name in REPEATED_FIELDS:
        field = Comment._meta.get_field(name)
        assert isinstance(field, models.Field)
        fields.append(field)
    return tuple(fields)


@functools.cache
def _repeated_sql(vendor: str, empty: tuple[bool, ...]) -> str:
    """The SELECT of ``refuse_if_repeated`` for one pattern of empty (NULL) fields, written
    from the model's columns: every post asks it, and the ORM's building and compiling of its
    thirteen conditions cost a post more than the database's work (docs/architecture.md,
    "Posting"). ``vendor`` keys the cache by the quoting it was written with."""
    quote = connection.ops.quote_name
    meta = Comment._meta
    conditions = [f"{quote(meta.get_field('withdrawn_at').column)} IS NULL"] + [
        f"{quote(str(field.column))} {'IS NULL' if null else '= %s'}"
        for field, null in zip(_repeated_fields(), empty, strict=True)
    ]
    # Only the model's own table and column names are formatted in; the values are parameters.
    return (
        f"SELECT {quote(meta.pk.column)} FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {' AND '.join(conditions)} ORDER BY {quote(meta.pk.column)} LIMIT 1"
    )


@contextmanager
def _once_per_form(actor: User, token: uuid.UUID | None) -> Iterator[None]:
    """A transaction for the comment sent by the form with submission ``token``: if the
    insert fails (the column is unique) or the comment is refused, and the form's comment was
    saved before or meanwhile, AlreadySaved instead (a form sent again after the round closed
    is told its comment was saved, not that nothing was). The token is looked up only then:
    the common post asks nothing more of the database."""
    try:
        with transaction.atomic():
            yield
    except (Refused, IntegrityError):
        if token is not None:
            refuse_if_sent(actor, token)
        raise


def comment_post(
    *,
    actor: User,
    round_: Round,
    text: str,
    proposed_wording: str = "",
    submitter_justification: str = "",
    author_role: str,
    organisation: Organisation | int | None = None,
    item: Any = None,
    paragraph_uid: Any = None,
    paragraph_unit: str = "",
    parent: Comment | None = None,
    token: uuid.UUID | None = None,
) -> Comment:
    """A new comment (or a reply when ``parent`` is given; refused when the moderators hid
    the parent or it was withdrawn). The caller has checked that ``item`` belongs to the
    round; the phase and whom the comment speaks for are checked here (``_check_author``),
    and a paragraph (a ``selectors.ParagraphRef`` or its uid as ``paragraph_uid``) must be
    one of the round's consulted draft version, and a ``paragraph_unit`` ("ust. 2 pkt 3", as
    typed) one of that paragraph's sections or points.

    ``token`` is the form's submission token: a second call with it saves nothing and raises
    ``AlreadySaved`` with the comment the first one saved, also when both run at once
    (``_once_per_form``)."""
    with _once_per_form(actor, token):
        _refuse_unless(round_, Feature.REPLY if parent else Feature.COMMENT)
        if parent is not None and parent.parent_id is not None:
            raise Refused(_("Replies go one level deep: reply to the comment itself."))
        if parent is not None:
            _refuse_unless_takes_responses(parent)
        organisation = _check_author(actor, author_role, organisation)
        if type(item).__name__ == "ParagraphRef":
            paragraph_uid, item = item.uid, None
        if paragraph_uid is not None:
            if item is not None or parent is not None:
                raise Refused(_("A comment is on one item only."))
            paragraph_uid = _consulted_paragraph(round_, paragraph_uid)
        comment = Comment(
            round=round_,
            parent=parent,
            author=actor,
            author_role=author_role,
            organisation=organisation,
            text=text,
            proposed_wording=proposed_wording if parent is None else "",
            submitter_justification=submitter_justification if parent is None else "",
        )
        if parent is None and item is not None:
            comment_target(comment, item)
        comment_paragraph(comment, paragraph_uid)
        comment.paragraph_unit = _paragraph_unit(comment, paragraph_unit)
        comment.submission_token = token
        if parent is None:
            # Numbered unless repeated, in one statement; a repeat is then said (AlreadySaved).
            number = numbering.registration_number_unless(round_, repeated_query(comment))
            if number is None:
                refuse_if_repeated(comment)
                number = numbering.registration_number_next(round_)  # withdrawn meanwhile
            comment.registration_number = number
        else:
            refuse_if_repeated(comment)
        comment.save()  # its post_save marks the round changed (consultations.signals)
        notices.notify_comment_posted(comment)
    return comment


def comment_target(comment: Comment, item: Any) -> None:
    """Point an unsaved comment at a consulted SWOT entry, goal or action."""
    field = {"SwotEntry": "swot_entry", "Goal": "goal", "Action": "action"}[type(item).__name__]
    setattr(comment, field, item)


def comment_paragraph(comment: Comment, uid: uuid.UUID | None) -> None:
    """Point an unsaved comment at a paragraph of its round's consulted version (or at none),
    keeping the version and the paragraph's wording as they are now: the report quotes them
    even after the draft moves on."""
    comment.paragraph_uid = uid
    version = comment.round.draft_version if uid is not None else None
    comment.paragraph_version = version
    comment.paragraph_wording = ""
    if version is not None:
        for section in version.snapshot.get("sections", []):
            for paragraph in section.get("paragraphs", []):
                if str(paragraph["uid"]) == str(uid):
                    comment.paragraph_wording = paragraph.get("text", "")


def _paragraph_unit(comment: Comment, typed: str) -> str:
    """The section or point ``typed`` as it is named, if the comment's consulted paragraph has
    it (drafts.units); "" for none typed; else Refused."""
    name = units.normalise_unit(typed)
    if name == "":
        return ""
    if comment.paragraph_uid is None:
        raise Refused(_("A section or point can be named only for a paragraph of the draft."))
    if name is not None and not units.units(comment.paragraph_wording):
        raise Refused(
            _(
                "This paragraph has no numbered sections or points: leave the section or "
                "point empty, and say in your comment which part you mean."
            )
        )
    if name is None or units.unit_text(comment.paragraph_wording, name) is None:
        raise Refused(
            _("This paragraph has no %(unit)s: name a section or point as the text numbers it.")
            % {"unit": typed.strip()[:40]}
        )
    return name


def _consulted_paragraph(round_: Round, uid: Any) -> uuid.UUID:
    """The uid, if it is a paragraph of the round's consulted draft version; else Refused."""
    try:
        value = uid if isinstance(uid, uuid.UUID) else uuid.UUID(str(uid))
    except ValueError:
        value = None
    if value is None or str(value) not in round_.paragraph_numbers:
        raise Refused(_("This item is not consulted in this round."))
    return value


@transaction.atomic
def comment_edit(
    *,
    actor: User,
    comment: Comment,
    text: str,
    proposed_wording: str,
    version: int,
    submitter_justification: str | None = None,
) -> Comment:
    """The author's edit; the old text is kept as a CommentRevision."""
    _refuse_unless(comment.round, Feature.EDIT_OWN)
    if comment.author_id != actor.pk or comment.is_withdrawn:
        raise Refused(_("Only the author may edit this comment."))
    comment_revision_keep(comment, actor)
    if submitter_justification is None:
        submitter_justification = comment.submitter_justification
    updated = Comment.objects.filter(pk=comment.pk, version=version).update(
        text=text,
        proposed_wording=proposed_wording,
        submitter_justification=submitter_justification,
        version=F("version") + 1,
        edited_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not updated:
        raise ConflictError(_("The comment changed meanwhile; nothing was saved."))
    comment.refresh_from_db()
    _touch(comment)
    return comment


def comment_revision_keep(comment: Comment, actor: User) -> CommentRevision:
    """The comment's text as it is before an edit: nothing is ever lost."""
    return CommentRevision.objects.create(
        comment=comment,
        text=comment.text,
        proposed_wording=comment.proposed_wording,
        submitter_justification=comment.submitter_justification,
        edited_by=actor,
    )


@transaction.atomic
def comment_withdraw(*, actor: User, comment: Comment) -> Comment:
    _refuse_unless(comment.round, Feature.EDIT_OWN)
    if comment.author_id != actor.pk:
        raise Refused(_("Only the author may withdraw this comment."))
    Comment.objects.filter(pk=comment.pk, withdrawn_at=None).update(
        withdrawn_at=timezone.now(), version=F("version") + 1
    )
    comment.refresh_from_db()
    _audit(actor, ConsultationsAudit.COMMENT_WITHDRAW, comment, comment.round)
    _touch(comment)
    return comment


@transaction.atomic
def comment_support(*, actor: User, comment: Comment, organisation: Organisation) -> Support:
    """One support per organisation, never for its own comment nor for a hidden or withdrawn
    one."""
    _refuse_unless(comment.round, Feature.SUPPORT)
    _refuse_unless_takes_responses(comment)
    _check_speaks_for(actor, organisation)
    if organisation.pk == comment.organisation_id:
        raise Refused(_("An organisation cannot support its own comment."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                support = Support.objects.create(
                    comment=comment, organisation=organisation, user=actor
                )
        except IntegrityError:
            raise Refused(_("This organisation already supports the comment.")) from None
        notices.notify_comment_supported(support)
    return support  # its post_save marked the round changed (consultations.signals)


@transaction.atomic
def comment_support_withdraw(*, actor: User, comment: Comment, organisation: Organisation) -> None:
    """An organisation takes back its support of a comment, by one who speaks for it, while
    the round takes supports (also when the comment was hidden or withdrawn meanwhile: taking
    a support back harms no one). The report counts only the supports left at the close; the
    audit log keeps who gave the support, when, and who withdrew it."""
    _refuse_unless(comment.round, Feature.SUPPORT)
    _check_speaks_for(actor, organisation)
    support = (
        Support.objects.select_for_update()
        .filter(comment=comment, organisation=organisation)
        .first()
    )
    if support is None:
        raise Refused(_("This organisation does not support the comment (any more)."))
    _audit(
        actor,
        ConsultationsAudit.COMMENT_SUPPORT_WITHDRAW,
        comment,
        comment.round,
        organisation=organisation.pk,
        organisation_name=organisation.name,
        supported_by=support.user_id,
        supported_at=support.created_at.isoformat(),
    )
    support.delete()  # its post_delete marks the thread changed (consultations.signals)


def _auto_hide_threshold() -> int:
    return int(getattr(settings, "CONSULTATIONS_AUTO_HIDE_FLAGS", 0) or 0)


def _flagging_voices(comment: Comment) -> int:
    """How many voices the comment's flags are, towards automatic hiding: the flaggers who
    speak for one organisation (``Representation.objects.active()``) are one voice, and a
    person speaking for several organisations joins them into one; a flagger without an
    organisation (an expert or official, each given the role by the coordinating team) is a
    voice of their own. Flags of deleted accounts do not count."""
    flaggers = list(comment.flags.exclude(user=None).values_list("user_id", flat=True))
    organisations: dict[int, set[int]] = {pk: set() for pk in flaggers}
    for user_id, organisation_id in (
        Representation.objects.active()
        .filter(user_id__in=flaggers)
        .values_list("user_id", "organisation_id")
    ):
        organisations[user_id].add(organisation_id)
    personal = 0
    groups: list[set[int]] = []  # organisations tied together by their flaggers
    for theirs in organisations.values():
        if not theirs:
            personal += 1
            continue
        joined = set(theirs)
        apart = []
        for group in groups:
            if group & joined:
                joined |= group
            else:
                apart.append(group)
        groups = [*apart, joined]
    return personal + len(groups)


@transaction.atomic
def comment_flag(*, actor: User, comment: Comment, reason: str = "") -> Comment:
    """A flag for the moderators, from someone who takes part in the round (the rule of who
    may comment, ``Viewer.is_commenter``), on a comment neither hidden nor withdrawn; with
    CONSULTATIONS_AUTO_HIDE_FLAGS = N > 0 the comment is hidden until a moderator looks at it
    once its flags are N voices (``_flagging_voices``: one per organisation)."""
    _refuse_unless(comment.round, Feature.FLAG)
    _refuse_unless_takes_responses(comment)
    if not permissions.viewer_for(actor, comment.round, fresh=True).is_commenter:
        raise Refused(
            _(
                "Only people who may take part in the round can flag its comments; "
                "nothing was saved."
            )
        )
    if comment.author_id == actor.pk:
        raise Refused(_("You cannot flag your own comment."))
    try:
        with transaction.atomic():
            Flag.objects.create(comment=comment, user=actor, reason=reason)
    except IntegrityError:
        raise Refused(_("You have already flagged this comment.")) from None
    Comment.objects.filter(pk=comment.pk).update(flag_count=F("flag_count") + 1)
    comment.refresh_from_db()
    _audit(
        actor,
        ConsultationsAudit.COMMENT_FLAG,
        comment,
        comment.round,
        reason=reason,
        flags=comment.flag_count,
    )
    threshold = _auto_hide_threshold()
    if (
        threshold
        and not comment.is_hidden
        and not permissions.hiding_reserved(comment)  # the city's record: a moderator decides
        and _flagging_voices(comment) >= threshold
    ):
        # Stored, and shown in place of the comment and in the report: in the language of
        # record, as a moderator's reason is typed, not in the language of whoever flagged last.
        with of_record():
            reason_text = str(
                _("Hidden automatically after %(count)s flags, until a moderator reviews it.")
                % {"count": comment.flag_count}
            )
        Comment.objects.filter(pk=comment.pk).update(
            hidden_at=timezone.now(),
            hidden_reason=reason_text,
            hidden_automatically=True,
            version=F("version") + 1,
        )
        comment.refresh_from_db()
        _audit(
            None,
            ConsultationsAudit.COMMENT_AUTO_HIDE,
            comment,
            comment.round,
            reason=comment.hidden_reason,
        )
        notices.notify_comment_hidden(comment)
    _touch(comment)
    return comment


class OwnComment(Refused):
    """The actor wrote (one of) the comments they tried to decide on (``comments``); nothing
    was changed. The caller records the denial (``own_decision_denied``) once this
    transaction has been rolled back."""

    def __init__(self, message: str, *, comments: list[Comment]) -> None:
        super().__init__(message)
        self.comments = comments


def _refuse_own(actor: User, comments: list[Comment], *, settling: bool = False) -> None:
    own = [c for c in comments if permissions.decides_on_own(actor, c)]
    if not own:
        return
    if not settling:
        message = _(
            "This is your own comment: another moderator or coordinator must decide on it. "
            "Nothing was changed."
        )
    else:
        message = _(
            "You wrote %(numbers)s: another coordinator must settle your own comments. "
            "Nothing was saved."
        ) % {"numbers": ", ".join(f"#{c.pk}" for c in own)}
    raise OwnComment(message, comments=own)


@transaction.atomic
def own_decision_denied(*, actor: User, comments: list[Comment], attempted: str) -> None:
    """Record in the round's audit log that ``actor`` was refused deciding on their own
    comments (``attempted``: hide, unhide or settle)."""
    for comment in comments:
        _audit(
            actor,
            ConsultationsAudit.COMMENT_OWN_DECISION_DENIED,
            comment,
            comment.round,
            attempted=attempted,
        )


@transaction.atomic
def comment_hide(*, actor: User, comment: Comment, reason: str) -> Comment:
    """Hidden from everyone but its author and the moderators; the author sees the reason
    on their "my comments" page. The comment stays on record and is still settled."""
    _refuse_unless(comment.round, Feature.MODERATE)
    _refuse_own(actor, [comment])
    _refuse_reserved(actor, comment)
    if not reason.strip():
        raise Refused(_("Give the reason for hiding the comment."))
    Comment.objects.filter(pk=comment.pk).update(
        hidden_at=timezone.now(),
        hidden_reason=reason,
        hidden_automatically=False,
        version=F("version") + 1,
    )
    comment.refresh_from_db()
    _review_flags(actor, comment)
    _audit(actor, ConsultationsAudit.COMMENT_HIDE, comment, comment.round, reason=reason)
    notices.notify_comment_hidden(comment)
    _touch(comment)
    return comment


def _refuse_reserved(
    actor: User, comment: Comment, allowed: Callable[[bool, Comment], bool] = permissions.may_hide
) -> None:
    """``permissions.may_hide`` (or ``allowed``), whatever the page let through."""
    if not allowed(permissions.is_coordinator(actor), comment):
        raise Refused(
            _(
                "Only the coordinating team may hide or show again a comment the city "
                "registered or one already settled: the report gives it as received and decided."
            )
        )


@transaction.atomic
def comment_unhide(*, actor: User, comment: Comment, reason: str) -> Comment:
    _refuse_unless(comment.round, Feature.MODERATE)
    _refuse_own(actor, [comment])
    _refuse_reserved(actor, comment)
    if not reason.strip():
        raise Refused(_("Give the reason for showing the comment again."))
    Comment.objects.filter(pk=comment.pk).update(
        hidden_at=None, hidden_reason="", hidden_automatically=False, version=F("version") + 1
    )
    comment.refresh_from_db()
    _audit(actor, ConsultationsAudit.COMMENT_UNHIDE, comment, comment.round, reason=reason)
    notices.notify_comment_shown(comment, reason)
    _touch(comment)
    return comment


@transaction.atomic
def comments_settle(
    *,
    actor: User,
    round_: Round,
    versions: dict[int, int],
    disposition: str,
    justification: str,
) -> list[Comment]:
    """Give one or more comments (identical ones, settled together) a disposition and a
    justification. ``versions`` maps each comment id to the version the coordinator saw; if
    any comment changed meanwhile (another coordinator settled it), nothing is saved and
    ConflictError names it. If any of them is the coordinator's own, nothing is saved
    (OwnComment names those): one decision on identical comments is not split silently."""
    _refuse_unless(round_, Feature.SETTLE)
    if disposition not in Disposition.values:
        raise Refused(_("Choose a disposition."))
    if not justification.strip():
        raise Refused(_("Give a justification: every disposition needs one."))
    if not versions:
        raise Refused(_("Choose at least one comment to settle."))
    _refuse_own(actor, list(round_.comments.filter(pk__in=versions).order_by("pk")), settling=True)
    now = timezone.now()
    settled = []
    for pk, version in sorted(versions.items()):
        updated = (
            Comment.objects.counted()
            .filter(pk=pk, round=round_, version=version)
            .update(
                disposition=disposition,
                justification=justification,
                settled_by=actor,
                settled_at=now,
                version=F("version") + 1,
            )
        )
        if not updated:
            raise ConflictError(
                _(
                    "Comment #%(pk)s was changed by someone else meanwhile (perhaps another "
                    "coordinator settled it). Nothing was saved: review it and try again."
                )
                % {"pk": pk}
            )
        comment = Comment.objects.get(pk=pk)
        _audit(
            actor,
            ConsultationsAudit.COMMENT_SETTLE,
            comment,
            round_,
            reason=justification,
            disposition=disposition,
            together=len(versions),
        )
        settled.append(comment)
    _touch(*settled)
    notices.notify_comments_settled(settled)
    return settled


# --- The moderation queue ------------------------------------------------------------------


def _review_flags(actor: User, comment: Comment) -> int:
    """A moderator decided on the comment: its open flags leave the moderation queue (kept
    as records, marked reviewed). How many there were."""
    return Flag.objects.filter(comment=comment, reviewed_at=None).update(
        reviewed_at=timezone.now(), reviewed_by=actor
    )


@transaction.atomic
def comment_flags_dismiss(*, actor: User, comment: Comment, reason: str = "") -> Comment:
    """The flags were unfounded: the comment stays, its flags are marked reviewed. A comment
    hidden automatically by its flags (``comment_flag``) is shown again, and its author told."""
    _refuse_unless(comment.round, Feature.MODERATE)
    _refuse_own(actor, [comment])
    _refuse_reserved(actor, comment, permissions.may_dismiss_flags)
    dismissed = _review_flags(actor, comment)
    if not dismissed:
        raise Refused(_("These flags were already reviewed; nothing was changed."))
    _audit(
        actor,
        ConsultationsAudit.COMMENT_FLAGS_DISMISS,
        comment,
        comment.round,
        reason=reason,
        flags=dismissed,
    )
    if comment.is_hidden and comment.hidden_automatically:
        shown = reason.strip() or str(_("A moderator reviewed the flags and dismissed them."))
        Comment.objects.filter(pk=comment.pk).update(
            hidden_at=None, hidden_reason="", hidden_automatically=False, version=F("version") + 1
        )
        comment.refresh_from_db()
        _audit(actor, ConsultationsAudit.COMMENT_UNHIDE, comment, comment.round, reason=shown)
        notices.notify_comment_shown(comment, shown)
    _touch(comment)
    return comment


# --- A round's events (Kraków's rules) -------------------------------------------------------


def _events_changed(round_: Round) -> None:
    """The round's events changed: a new version, so its cached pages are stale."""
    Round.objects.filter(pk=round_.pk).update(version=F("version") + 1)


def _check_event(event: RoundEvent) -> None:
    try:
        event.clean()
    except ValidationError as error:
        raise Refused(" ".join(error.messages)) from None


@transaction.atomic
def round_event_save(*, actor: User, event: RoundEvent) -> RoundEvent:
    """Add or change an event of a round that is not closed (``can_manage_events``)."""
    if not permissions.can_manage_events(actor, event.round):
        raise Refused(_("The events of a closed round cannot be changed; nothing was saved."))
    adding = event._state.adding
    if adding:
        event.created_by = actor
    _check_event(event)
    event.save()
    action = ConsultationsAudit.ROUND_EVENT_ADD if adding else ConsultationsAudit.ROUND_EVENT_UPDATE
    _audit(actor, action, event, event.round, kind=event.kind, attendance=event.attendance)
    _events_changed(event.round)
    return event


@transaction.atomic
def round_event_attendance(*, actor: User, event: RoundEvent, attendance: int | None) -> RoundEvent:
    """Record how many came, once the event has ended, until the report is published."""
    if not permissions.can_record_attendance(actor, event.round):
        raise Refused(_("Attendance can no longer be recorded; nothing was saved."))
    event.attendance = attendance
    _check_event(event)
    event.save(update_fields=["attendance"])
    _audit(actor, ConsultationsAudit.ROUND_EVENT_UPDATE, event, event.round, attendance=attendance)
    _events_changed(event.round)
    return event


@transaction.atomic
def round_event_delete(*, actor: User, event: RoundEvent) -> None:
    if not permissions.can_manage_events(actor, event.round):
        raise Refused(_("The events of a closed round cannot be changed; nothing was saved."))
    _audit(actor, ConsultationsAudit.ROUND_EVENT_DELETE, event, event.round, kind=event.kind)
    event.delete()
    _events_changed(event.round)
