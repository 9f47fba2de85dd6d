"""Consultation rounds and their comments.

A round consults something published: a meeting's results (its SWOT entries, goals and
postulated actions). A comment points at one consulted item through one of several nullable
foreign keys (at most one set, enforced by a CheckConstraint), or at none: then it is on the
round as a whole. A paragraph of the programme draft can be added as one more nullable key.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from actions.models import Action, Goal
from core.languages import cached_per_language
from core.text import excerpt
from drafts.models import DraftParagraph, DraftVersion
from drafts.units import UNIT_LIMIT, unit_text
from swot.models import SwotEntry
from teams.models import Meeting, Organisation, Programme

from . import rules
from .phases import Phase, phase_of

COMMENT_TEXT_LIMIT = 2000
# A flag's reason and a moderator's reason for hiding or showing a comment.
REASON_LIMIT = 500


class RoundQuerySet(models.QuerySet["Round"]):
    def visible(self) -> RoundQuerySet:
        return self.exclude(status=Phase.DRAFT)


class Round(models.Model):
    """A consultation round (konsultacje) with Kraków's announcement fields."""

    # Not columns: the state of every round of the same draft, and the consulted meeting's
    # status and publication, filled in by selectors.round_stamp for the pages' cache keys.
    draft_rounds: tuple[Any, ...] = ()
    meeting_state: tuple[Any, ...] = ()

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rounds")
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting whose results are consulted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultation_rounds",
    )
    draft_version = models.ForeignKey(
        DraftVersion,
        verbose_name=_("version of the programme draft that is consulted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultation_rounds",
    )
    title = models.CharField(_("title"), max_length=300)
    goal = models.TextField(_("goal of the consultation"), max_length=COMMENT_TEXT_LIMIT)
    subject = models.TextField(_("subject of the consultation"), max_length=COMMENT_TEXT_LIMIT)
    scope_and_forms = models.TextField(
        _("scope and forms"), max_length=COMMENT_TEXT_LIMIT, blank=True
    )
    responsible_office = models.CharField(_("responsible office"), max_length=300)
    contact = models.CharField(_("contact"), max_length=300)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    # Why the round departs from Kraków's rules (consultations.rules.round_shortfalls): needed
    # to announce it despite them, audited, shown in the report.
    rules_override_reason = models.TextField(
        _("reason for departing from Kraków's rules"), blank=True
    )
    # A round closed before its deadline (services.round_close): the deadline it was announced
    # with, and why it closed sooner; audited, told in the closing e-mail, on the round page and
    # in the report, which otherwise would give only the shortened period.
    announced_closes_at = models.DateTimeField(_("announced deadline"), null=True, blank=True)
    early_close_reason = models.TextField(_("reason for closing early"), blank=True)
    # The coordinating team's synthesis of the comments, in the consultation report
    # (documents/consultation_report.py); edited on the settle page until the report is published.
    synthesis = models.TextField(_("synthesis of the comments"), blank=True)
    # The synthesis' own version token: a save names the version it started from, and a
    # conditional UPDATE refuses it if someone saved in between (ConflictError, nothing
    # overwritten). Not ``version``, which every change of the round bumps.
    synthesis_version = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Phase.choices, default=Phase.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    report_published_at = models.DateTimeField(_("report published at"), null=True, blank=True)
    # Bumped by every service that changes a comment of the round: the key of the cached
    # comment list that anonymous visitors see.
    comments_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation round")
        verbose_name_plural = _("consultation rounds")
        ordering = ["-opens_at", "-pk"]
        # Only what no setting decides is a database constraint: a round closes after it
        # opens. The minimum length and the time before the legal deadline are Kraków's
        # numbers in settings (consultations.rules); a constraint would freeze them into a
        # migration, and a shorter round is allowed with a recorded reason anyway.
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Every save of an existing round is a new ``version`` (so is every phase step, by its
        conditional UPDATE): services detect concurrent changes by it, and the round page's
        cache for anonymous visitors is keyed on it (selectors.round_stamp)."""
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("consultations:round-detail", kwargs={"pk": self.pk})

    def report_filename(self, ext: str) -> str:
        """The name under which the round's report downloads, whatever its format (PDF, ODT,
        DOCX, CSV, XLSX), so that an official's folder keeps them side by side."""
        return f"consultation-{self.pk}-report.{ext}"

    def clean(self) -> None:
        """Kraków's rules for the announcement (consultations.rules.validate_round): asked by
        the round form, the admin and the services alike."""
        rules.validate_round(self)

    @property
    def phase(self) -> Phase:
        return phase_of(self)

    @cached_per_language
    def paragraph_labels(self) -> dict[str, str]:
        """The consulted version's paragraphs: uid (as text) → label ("§ 3", the preamble's
        paragraph 2: ``paragraph_labels``). Empty when no version is consulted."""
        version = self.draft_version
        return paragraph_labels(version.snapshot) if version is not None else {}

    @cached_property
    def paragraph_numbers(self) -> dict[str, int | None]:
        """The consulted version's paragraphs: uid (as text) → § number (None for the
        preamble's unnumbered paragraphs). Empty when no version is consulted."""
        version = self.draft_version
        if version is None:
            return {}
        return {
            str(paragraph["uid"]): paragraph.get("number")
            for section in version.snapshot.get("sections", [])
            for paragraph in section.get("paragraphs", [])
        }

    @property
    def is_short(self) -> bool:
        return rules.is_short(self.opens_at, self.closes_at)

    @property
    def leaves_too_little_time(self) -> bool:
        """True when the round closes less than CONSULTATIONS_DAYS_BEFORE_LEGAL_DEADLINE days
        before 30 November of the year before the programme starts."""
        return rules.closes_too_late(self.days_before_legal_deadline)

    @property
    def days_before_legal_deadline(self) -> int:
        closes = timezone.localtime(self.closes_at).date()
        return (self.programme.legal_deadline - closes).days


class Disposition(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    PARTLY_ACCEPTED = "partly", _("partly accepted")
    NOT_ACCEPTED = "not_accepted", _("not accepted")
    NOT_CONSIDERED = "not_considered", _("not considered")


class AuthorRole(models.TextChoices):
    ORGANISATION = "organisation", _("organisation")
    EXPERT = "expert", _("expert")
    OFFICIAL = "official", _("city official")
    # A person whose comment the coordinating team registered (received outside the portal).
    PERSON = "person", _("private person")


def role_label(role: str) -> str:
    """An author role as a label of its own, translated: "Ekspert", "Urzędnik miejski"."""
    return capfirst(str(AuthorRole(role).label))


class Channel(models.TextChoices):
    """How a comment reached the coordinating team: the portal's form, or one of the channels
    of a registered comment (consultations.register_services)."""

    ONLINE = "online", _("portal")
    EMAIL = "email", _("e-mail")
    EPUAP = "epuap", _("ePUAP")
    POST = "post", _("post")
    IN_PERSON = "in_person", _("in person")
    OPEN_MEETING = "open_meeting", _("open meeting")
    DUTY_HOUR = "duty_hour", _("duty hour")
    OTHER = "other", _("other")


def paragraph_label(number: int | None, preamble: int | None = None) -> str:
    """ "§ N" of a paragraph of the programme draft; the preamble's paragraphs have no number,
    so one of several is named by its place in the preamble (``preamble``: 1, 2 …)."""
    if number is not None:
        return f"§ {number}"
    if preamble is None:
        return str(_("Preamble of the programme draft"))
    return str(_("Preamble of the programme draft, paragraph %(place)s") % {"place": preamble})


def paragraph_labels(snapshot: dict[str, Any]) -> dict[str, str]:
    """uid (as text) → how every page, report and export names the paragraph of a version's
    (or the working copy's) snapshot: "§ N", or the preamble, with each of its paragraphs'
    place when it has more than one (they were indistinguishable before)."""
    paragraphs = [p for s in snapshot.get("sections", []) for p in s.get("paragraphs", [])]
    unnumbered = [p for p in paragraphs if p.get("number") is None]
    places = {str(p["uid"]): place for place, p in enumerate(unnumbered, start=1)}
    several = len(unnumbered) > 1
    return {
        str(p["uid"]): paragraph_label(
            p.get("number"), places.get(str(p["uid"])) if several else None
        )
        for p in paragraphs
    }


def item_label(
    *,
    swot_text: str | None = None,
    goal_number: int | None = None,
    goal_title: str = "",
    action_number: int | None = None,
    action_text: str = "",
    paragraph_uid: Any = None,
    paragraph_labels: dict[str, str] | None = None,
    paragraph_unit: str = "",
) -> str:
    """What a comment is on, as every page, report and export names it (``Comment.item_label``
    and the report's statistics, which read the same values as rows): at most one is given;
    a paragraph's label comes from the round's ``paragraph_labels``, followed by the
    section or point when the comment is on one ("§ 6 ust. 2 pkt 3"); a goal or an action
    is named by its number and the start of its title or text ("Działanie 9: Utworzenie …")."""
    if swot_text is not None:
        return str(_("SWOT: %(text)s") % {"text": excerpt(swot_text, 80)})
    if goal_number is not None:
        label = str(_("Goal %(number)s") % {"number": goal_number})
        return f"{label}: {excerpt(goal_title, 80)}" if goal_title else label
    if action_number is not None:
        label = str(_("Action %(number)s") % {"number": action_number})
        return f"{label}: {excerpt(action_text, 80)}" if action_text else label
    if paragraph_uid is not None:
        paragraph = (paragraph_labels or {}).get(str(paragraph_uid)) or paragraph_label(None)
        return f"{paragraph} {paragraph_unit}" if paragraph_unit else paragraph
    return str(_("The round as a whole"))


def shown_filter(prefix: str = "") -> Q:
    """Neither hidden nor withdrawn: a comment anyone may read (with ``prefix="parent__"``,
    its parent)."""
    return Q(**{f"{prefix}hidden_at": None, f"{prefix}withdrawn_at": None})


def _seen_by_everyone(*, moderator: bool) -> Q:
    """What every moderator, or every other person, sees (their own comments aside)."""
    return Q(withdrawn_at=None) if moderator else shown_filter()


# A comment or reply the moderators hid and its author did not withdraw: it keeps its place on
# the round page for everyone, as a placeholder for those who may not read it
# (``permissions.sees_placeholder``).
_HIDDEN_IN_PLACE = Q(hidden_at__isnull=False, withdrawn_at=None)


def _seen_by(*, user_id: int | None, moderator: bool) -> Q:
    seen = _seen_by_everyone(moderator=moderator)
    if user_id is not None:
        seen |= Q(author_id=user_id)
    return seen


class CommentQuerySet(models.QuerySet["Comment"]):
    def shown(self) -> CommentQuerySet:
        """Comments anyone may read: neither hidden nor withdrawn."""
        return self.filter(shown_filter())

    def visible_to(self, *, user_id: int | None, moderator: bool) -> CommentQuerySet:
        """Comments a person may read (``consultations.permissions.can_see_comment`` as a
        filter): the shown ones, hidden ones too for a moderator, and always their own."""
        return self.filter(_seen_by(user_id=user_id, moderator=moderator))

    def listed_to(self, *, user_id: int | None, moderator: bool) -> CommentQuerySet:
        """The round page's comments and replies for a person (``permissions.can_list_comment``
        as a filter): those they may read (``visible_to``), and every comment and reply the
        moderators hid, which the others find in its place as a placeholder."""
        return self.filter(_seen_by(user_id=user_id, moderator=moderator) | _HIDDEN_IN_PLACE)

    def outside_withdrawn_threads(self) -> CommentQuerySet:
        """Comments, and replies under a comment not withdrawn: a reply under a withdrawn one
        is on no page but that comment's author's (``permissions.can_list_comment``), so
        neither the moderation queue nor the public data lists it."""
        return self.filter(Q(parent=None) | Q(parent__withdrawn_at=None))

    def seen_only_by_author(self, *, user_id: int, moderator: bool) -> CommentQuerySet:
        """The person's own comments that others like them (moderators or not) do not see:
        with none, they see exactly what the others see."""
        return self.filter(author_id=user_id).exclude(_seen_by_everyone(moderator=moderator))

    def counted(self) -> CommentQuerySet:
        """Comments that count: top level (not replies) and not withdrawn. Settling, the
        report, its statistics, reminders and the PDFs all count these."""
        return self.filter(parent=None, withdrawn_at=None)

    def counted_organisations(self) -> QuerySet[Comment, Any]:
        """The organisations that have a counted comment among these (as a subquery)."""
        return self.counted().filter(organisation__isnull=False).values("organisation_id")


class Comment(models.Model):
    """A comment (uwaga) in a round, or a reply to one (``parent``, one level)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    swot_entry = models.ForeignKey(
        SwotEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A paragraph of the round's consulted draft version, by its stable uid in the snapshot.
    paragraph_uid = models.UUIDField(
        _("paragraph of the programme draft"), null=True, blank=True, db_index=True
    )
    # The paragraphs of the programme draft whose current wording answers this (settled)
    # comment; a published version freezes them with the text. The table is the one the
    # relation had when it was declared on DraftParagraph.
    draft_paragraphs = models.ManyToManyField(
        DraftParagraph,
        blank=True,
        related_name="answers",
        verbose_name=_("answered in paragraphs of the programme draft"),
        db_table="consultations_draftparagraph_answers",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_comments",
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_role = models.CharField(_("on behalf of"), max_length=16, choices=AuthorRole.choices)
    text = models.TextField(_("comment"), max_length=COMMENT_TEXT_LIMIT)
    proposed_wording = models.TextField(
        _("proposed wording"), max_length=COMMENT_TEXT_LIMIT, blank=True
    )
    edited_at = models.DateTimeField(_("last edited at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_automatically = models.BooleanField(default=False)
    disposition = models.CharField(
        _("disposition"), max_length=16, choices=Disposition.choices, blank=True
    )
    justification = models.TextField(_("justification"), blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    settled_at = models.DateTimeField(null=True, blank=True)
    flag_count = models.PositiveIntegerField(default=0)
    # The token of the form that sent the comment (issued with the form): a form sent twice,
    # one after the other or at the same moment, finds the comment it already saved. Unique in
    # the database, so that two concurrent inserts cannot both succeed on either database.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # --- The register (issue 14): every comment, whatever the channel --------------------
    # "KZ/<year>/<0042>", given to every top-level comment when it is saved
    # (consultations.numbering); never reused, also after a withdrawal.
    registration_number = models.CharField(
        _("registration number"), max_length=20, null=True, blank=True, unique=True, editable=False
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.ONLINE
    )
    # When a registered comment reached the office (Europe/Warsaw); None for the portal's
    # comments, whose moment is created_at.
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    # Who registered a comment received outside the portal; its author is the external party
    # (an organisation or a person), never the coordinator, so that decides_on_own asks about
    # the real author.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitter_name = models.CharField(_("submitter's name"), max_length=300, blank=True)
    submitter_name_public = models.BooleanField(
        _("the submitter agrees to publish their name"), default=False
    )
    submitter_justification = models.TextField(
        _("justification of the comment"), max_length=COMMENT_TEXT_LIMIT, blank=True
    )
    # The paragraph's version and wording when the comment was made, quoted by the report
    # even after the draft moves on.
    paragraph_version = models.ForeignKey(
        DraftVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paragraph_wording = models.TextField(_("wording of the paragraph"), blank=True)
    # A section or point of that paragraph ("ust. 2 pkt 3", drafts.units), numbered as the
    # paragraph's text numbers it; empty for the paragraph as a whole.
    paragraph_unit = models.CharField(
        _("section or point"), max_length=UNIT_LIMIT, blank=True, default=""
    )
    # The original (a scan, a photo, the e-mail as PDF): stored under MEDIA_ROOT, which is
    # never routed; served only by register_views.attachment to the coordinating team.
    attachment = models.FileField(
        _("original"), upload_to="registered-comments/%Y/", blank=True, max_length=200
    )
    attachment_name = models.CharField(max_length=200, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Bumped whenever anything a top-level comment's thread shows changes: the comment, its
    # replies, its supports, or a name shown with them (consultations.signals.touch_comments).
    # Part of the key of the thread's cached HTML (consultations.fragments).
    thread_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(goal__isnull=True, action__isnull=True, paragraph_uid__isnull=True)
                    | Q(swot_entry__isnull=True, action__isnull=True, paragraph_uid__isnull=True)
                    | Q(swot_entry__isnull=True, goal__isnull=True, paragraph_uid__isnull=True)
                    | Q(swot_entry__isnull=True, goal__isnull=True, action__isnull=True)
                ),
                name="comment_at_most_one_item",
            ),
            models.CheckConstraint(
                condition=~Q(author_role="organisation") | Q(organisation__isnull=False),
                name="comment_organisation_role_has_organisation",
            ),
        ]
        # The round page's order: with the primary key last, a page of a 10,000-comment
        # round is read from the index instead of sorting every comment.
        indexes = [
            models.Index(fields=["round", "parent", "created_at", "id"], name="comment_round_order")
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {excerpt(self.text, 60)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """``thread_version`` is only ever bumped in the database (signals.touch_comments),
        never written back from a copy in memory, which may be older: saving an existing
        comment writes every other field."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "thread_version"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The comment's own address: it leads to the round page that lists it
        (views.comment_detail), which in a big round is seldom page 1."""
        return reverse("consultations:comment-detail", kwargs={"pk": self.pk})

    @property
    def item(self) -> SwotEntry | Goal | Action | None:
        return self.swot_entry or self.goal or self.action

    @property
    def item_key(self) -> str:
        if self.swot_entry_id:
            return f"swot:{self.swot_entry_id}"
        if self.goal_id:
            return f"goal:{self.goal_id}"
        if self.action_id:
            return f"action:{self.action_id}"
        if self.paragraph_uid:
            return f"paragraph:{self.paragraph_uid}"
        return ""

    @cached_per_language
    def item_label(self) -> str:
        return item_label(
            swot_text=self.swot_entry.text if self.swot_entry else None,
            goal_number=self.goal.number if self.goal else None,
            goal_title=self.goal.title if self.goal else "",
            action_number=self.action.number if self.action else None,
            action_text=self.action.text if self.action else "",
            paragraph_uid=self.paragraph_uid,
            paragraph_labels=self.round.paragraph_labels if self.paragraph_uid else None,
            paragraph_unit=self.paragraph_unit,
        )

    @cached_per_language
    def item_label_of_record(self) -> str:
        """What the comment is on as the documents of record name it (the report, its files,
        the comment table): ``item_label``, and for a paragraph the version of the draft it was
        consulted in, "§ 5 ust. 2 (version 1)" (DOMAIN.md: the editorial unit, and which
        version). The version's number is read from ``paragraph_version_number`` when the query
        annotated it (selectors.report_comments), else from the version."""
        if not self.paragraph_uid or self.paragraph_version_id is None:
            return self.item_label
        number = getattr(self, "paragraph_version_number", None)
        if number is None:
            assert self.paragraph_version is not None
            number = self.paragraph_version.number
        return str(
            _("%(paragraph)s (version %(number)s)")
            % {"paragraph": self.item_label, "number": number}
        )

    @property
    def unit_wording(self) -> str:
        """The consulted wording of what the comment is on: its section or point when it is on
        one, else the whole paragraph (``paragraph_wording``)."""
        if self.paragraph_unit:
            found = unit_text(self.paragraph_wording, self.paragraph_unit)
            if found is not None:
                return found
        return self.paragraph_wording

    @property
    def author_label(self) -> str:
        """The organisation or role; the person's name only if they agreed to show it."""
        if self.organisation_id:
            assert self.organisation is not None
            label = self.organisation.name
        elif self.author_role == AuthorRole.PERSON:
            # A registered comment of a person: their name only with their consent.
            if self.submitter_name_public and self.submitter_name:
                return self.submitter_name
            return role_label(AuthorRole.PERSON)
        else:
            label = role_label(self.author_role)
        author = self.author
        if author is not None and author.show_name_publicly and author.get_full_name():
            label = f"{label} ({author.get_full_name()})"
        return label

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def report_text(self) -> str:
        """The text as every report shows it (the report page, CSV, XLSX and PDF): a hidden
        comment or reply is replaced by the moderators' reason. The round page's placeholder
        of a hidden comment or reply says the same."""
        if self.is_hidden:
            return str(_("[Hidden by the moderators: %(reason)s]") % {"reason": self.hidden_reason})
        return self.text

    @property
    def report_proposed_wording(self) -> str:
        return "" if self.is_hidden else self.proposed_wording

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_settled(self) -> bool:
        return bool(self.disposition)

    @property
    def is_registered(self) -> bool:
        """Received outside the portal and registered by the coordinating team."""
        return self.channel != Channel.ONLINE

    @property
    def received(self) -> dt.datetime:
        """When the comment reached the office: the portal's comments when they were sent."""
        return self.received_at or self.created_at

    @property
    def is_late(self) -> bool:
        """Received after the round closed (only a registered comment can be)."""
        return self.received_at is not None and received_late(self.received_at, self.round)


def received_late(received: dt.datetime, round_: Round) -> bool:
    """A comment received then reached the round late: at its close or after."""
    return received >= round_.closes_at


class CommentRevision(models.Model):
    """A comment's text as it was before an edit: nothing is ever lost."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    proposed_wording = models.TextField(blank=True)
    submitter_justification = models.TextField(blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment revision")
        verbose_name_plural = _("comment revisions")
        ordering = ["comment", "created_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.comment_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Support(models.Model):
    """An organisation supports another organisation's comment (one support per organisation)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="supports")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "organisation"], name="support_unique_comment_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → #{self.comment_id}"


class Flag(models.Model):
    """A user tells the moderators a comment may break the rules (one flag per user)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=REASON_LIMIT, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A moderator looked at the flag (hid the comment or dismissed its flags): it leaves the
    # moderation queue but stays on record.
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="flag_unique_comment_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} ⚑ #{self.comment_id}"


# =============================================================================================
# The register: registration numbers, one sequence per year (consultations.numbering).
# =============================================================================================


class RegistrationCounter(models.Model):
    """The last registration number given in a year. Its row is updated inside the
    transaction that saves the comment (the row lock serialises two registrations), so
    numbers are distinct on both databases and never given twice."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("registration counter")
        verbose_name_plural = _("registration counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


# =============================================================================================
# A round's events: the forms of consultation besides comments on the portal (Kraków's rules,
# consultations.rules): open meetings, expert duty hours, written comments, other.
# =============================================================================================


class RoundEvent(models.Model):
    """An open meeting, a duty hour or another form of consultation of a round, with its
    dates, place and (recorded afterwards) attendance."""

    Kind = rules.Form

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(
        _("form of consultation"),
        max_length=16,
        choices=[choice for choice in rules.Form.choices if choice[0] != rules.Form.ONLINE],
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place or address"), max_length=300)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event of a consultation round")
        verbose_name_plural = _("events of a consultation round")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="round_event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"

    def clean(self) -> None:
        """consultations.rules.validate_event: asked by the event form and the services."""
        rules.validate_event(
            kind=self.kind,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            attendance=self.attendance,
            round_opens_at=self.round.opens_at,
            round_closes_at=self.round.closes_at,
        )


# =============================================================================================
# The report's records: where the announcement was published, and the annexes
# (consultations.report_services, documents.consultation_report).
# =============================================================================================

# A link recorded by the coordinating team opens in the reader's browser: web pages only.
WEB_LINK = URLValidator(
    schemes=["http", "https"],
    message=_("Give a link that starts with http:// or https://."),
    # Not "invalid": a form field's own message for that code would replace this one.
    code="web_link",
)


class AnnouncementPlace(models.Model):
    """One place where a round's announcement was published, with its link and date."""

    class Kind(models.TextChoices):
        BIP = "bip", _("Public Information Bulletin (BIP)")
        CITY_WEBSITE = "city_website", _("the city's website")
        PORTAL = "portal", _("this portal")
        NEWSPAPER = "newspaper", _("newspaper")
        NOTICE_BOARD = "notice_board", _("notice board")
        OTHER = "other", _("other")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="announcement_places")
    kind = models.CharField(_("where"), max_length=16, choices=Kind.choices)
    details = models.CharField(_("details"), max_length=300, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True, validators=[WEB_LINK])
    published_on = models.DateField(_("date published"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("place where the announcement was published")
        verbose_name_plural = _("places where the announcement was published")
        ordering = ["published_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.published_on:%Y-%m-%d}"

    def clean(self) -> None:
        if self.published_on is not None and self.published_on > timezone.localdate():
            raise ValidationError({"published_on": _("The date published is in the future.")})


def minutes_label(event: RoundEvent) -> str:
    """How the report and the records page name the minutes of an open meeting."""
    return str(
        _("Minutes of the open meeting of %(date)s, %(place)s")
        % {"date": date_format(timezone.localtime(event.starts_at), "j E Y"), "place": event.place}
    )


class RoundAnnex(models.Model):
    """An annex of the consultation report: the opinion of the Kraków Public Benefit Council
    (KRDPP), or the minutes of one of the round's open meetings. A PDF stored under
    MEDIA_ROOT (never routed) with a name of our own; served by
    ``report_views.annex_file`` to the coordinating team, and to everyone once the report is
    published."""

    class Kind(models.TextChoices):
        KRDPP_OPINION = "krdpp_opinion", _("Opinion of the Kraków Public Benefit Council (KRDPP)")
        MINUTES = "minutes", _("Minutes of an open meeting")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="annexes")
    kind = models.CharField(_("annex"), max_length=16, choices=Kind.choices)
    event = models.ForeignKey(
        RoundEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="minutes"
    )
    file = models.FileField(_("file"), upload_to="round-annexes/%Y/", max_length=200)
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("annex of a consultation report")
        verbose_name_plural = _("annexes of a consultation report")
        ordering = ["kind", "event__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(kind="krdpp_opinion"),
                name="round_annex_one_opinion",
            ),
            models.UniqueConstraint(
                fields=["event"], condition=Q(kind="minutes"), name="round_annex_one_minutes"
            ),
            models.CheckConstraint(
                condition=Q(kind="minutes", event__isnull=False)
                | Q(kind="krdpp_opinion", event__isnull=True),
                name="round_annex_minutes_of_an_event",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How the report and the records page name it."""
        if self.event is not None:
            return minutes_label(self.event)
        return str(self.get_kind_display())


# =============================================================================================
# Settling a big round (docs/consultations.md, "Settling a big round").
# =============================================================================================


class AnswerTemplate(models.Model):
    """A reusable justification the coordinating team keeps (e.g. "Uwaga wykracza poza zakres
    programu"). Applying one copies its text into the justification being written: a comment
    keeps the text, never a link to the template, so editing or deleting a template changes
    no answer and the report cannot tell a template was used."""

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("justification"), max_length=COMMENT_TEXT_LIMIT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class AnswerDraft(models.Model):
    """A comment assigned to a member of the coordinating team or a city official, and the
    answer they drafted. The coordinating team approves the draft as the comment's disposition
    (consultations.settle_services); until then the comment is unsettled. ``version`` is bumped
    by every save of the draft, so approving a draft changed meanwhile is a conflict."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="answer_draft")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="answer_drafts",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    disposition = models.CharField(
        _("disposition"), max_length=16, choices=Disposition.choices, blank=True
    )
    justification = models.TextField(_("justification"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    drafted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("answer draft")
        verbose_name_plural = _("answer drafts")

    def __str__(self) -> str:
        return f"#{self.comment_id} → {self.assignee_id}"

    @property
    def is_drafted(self) -> bool:
        return bool(self.disposition and self.justification)
