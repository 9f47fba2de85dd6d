"""People, organisations, the programme being written, its branch teams and their meetings."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

from core.compiled import CompiledQuery
from core.languages import Text, in_page_language

from . import cycle

TEXT_LIMIT = 2000


# --- People -------------------------------------------------------------------------------


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get(self, *args: Any, **kwargs: Any) -> User:
        """``get(pk=…)`` of the User model itself runs SQL compiled once per process
        (``_USER_BY_PK``): Django loads the logged-in person this way on every request
        (``ModelBackend.get_user``), and the ORM's compiling cost more than the query
        (docs/architecture.md, "Posting"). It reads the person's roles in the same statement
        (``User.loaded_roles``). The same queryset, the same object; any other
        ``get``, the historical models of migrations and the related managers Django derives
        from this class (``group.user_set.get(pk=…)`` must filter by the group) go the usual
        way."""
        if (
            args
            or kwargs.keys() != {"pk"}
            or self.model is not User
            or type(self) is not UserManager
        ):
            return super().get(*args, **kwargs)
        try:
            pk = int(kwargs["pk"])
        except (TypeError, ValueError):
            return super().get(*args, **kwargs)
        # With the person's roles in the same statement (teams.permissions.person_roles): the
        # logged-in person's round page and comment post ask them next.
        user, roles = _USER_BY_PK.instance_and_rows(ROLES, pk, order=ROLES_ORDER, using=self.db)
        if user is None:
            raise User.DoesNotExist("User matching query does not exist.")
        assert isinstance(user, User)
        user.loaded_roles = roles
        return user

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Logs in with an e-mail address; there is no username.

    Global roles are flags, because one person may hold several (an official who is also an
    expert). Per-team roles live in Membership.
    """

    username = None  # type: ignore[assignment]  # e-mail is the login
    email = models.EmailField(_("e-mail address"), unique=True)
    is_coordinator = models.BooleanField(
        _("coordinating team"),
        default=False,
        help_text=_("Member of the coordinating team (Zespół Koordynujący)."),
    )
    is_official = models.BooleanField(_("city official"), default=False)
    is_expert = models.BooleanField(_("expert"), default=False)
    show_name_publicly = models.BooleanField(
        _("show my name next to my contributions"),
        default=False,
        help_text=_("Without this consent only your organisation or role is shown."),
    )
    language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default="pl"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []  # noqa: RUF012 - Django reads it as a class attribute

    objects = UserManager()  # type: ignore[misc,assignment]

    # The person's roles as read with them (``UserManager.get``: for a request, when Django
    # loads its person), for ``teams.permissions.person_roles``; None: not read. Only this
    # object has them, as of that moment: a copy or a pickle of it (a cache) has none, and
    # ``refresh_from_db`` forgets them, so each reads them again; a service that checks
    # what the page let through reads them afresh (``person_roles(fresh=True)``).
    loaded_roles: list[tuple[Any, ...]] | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop("loaded_roles", None)
        return state

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        self.loaded_roles = None
        super().refresh_from_db(*args, **kwargs)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def name_and_email(self) -> str:
        """For the coordinating team deciding on a request: the name the person gave (not
        only when shown publicly) and the address, e.g. "Anna Nowak (anna@example.org)"."""
        name = self.get_full_name()
        return f"{name} ({self.email})" if name else self.email

    @property
    def global_roles(self) -> list[str]:
        roles = []
        if self.is_coordinator:
            roles.append(str(_("coordinating team")))
        if self.is_official:
            roles.append(str(_("city official")))
        if self.is_expert:
            roles.append(str(_("expert")))
        return roles


# --- Organisations --------------------------------------------------------------------------


def _real_digits(value: str) -> bool:
    """ASCII digits, not all zeros: the check digits of NIP and REGON (python-stdnum) also
    pass other scripts' digits and a number of zeros, which name no organisation."""
    return value.isascii() and value.isdigit() and value.strip("0") != ""


def validate_nip(value: str) -> None:
    if not (_real_digits(value) and stdnum_nip.is_valid(value)):
        raise ValidationError(
            _("%(value)s is not a valid NIP: it must be 10 digits with a correct check digit."),
            code="invalid_nip",
            params={"value": value},
        )


def validate_regon(value: str) -> None:
    if not (_real_digits(value) and stdnum_regon.is_valid(value)):
        raise ValidationError(
            _(
                "%(value)s is not a valid REGON: it must be 9 or 14 digits with a correct "
                "check digit."
            ),
            code="invalid_regon",
            params={"value": value},
        )


validate_krs = RegexValidator(
    r"^[0-9]{10}$",  # ASCII digits (\d also matches other scripts')
    _("A KRS number has exactly 10 digits, with leading zeros (e.g. 0000359730)."),
    code="invalid_krs",
)


def normalise_number(value: str) -> str:
    """Strip the spaces and dashes people type into NIP, REGON and KRS numbers, and read
    full-width digits (a Japanese or Chinese keyboard's, pasted from a PDF) as the digits
    they are (NFKC), so that the same number is stored, and found again, one way."""
    return re.sub(r"[\s\-\u2010-\u2015\u2212]", "", unicodedata.normalize("NFKC", value or ""))


# ``UserManager.get(pk=…)``: the default manager's queryset, so any rule it gains holds here too.
_USER_BY_PK = CompiledQuery(
    lambda pk: User._default_manager.get_queryset().filter(pk=pk).order_by()
)


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("association (stowarzyszenie)")
    ORDINARY_ASSOCIATION = "ordinary_association", _("ordinary association (stowarzyszenie zwykłe)")
    FOUNDATION = "foundation", _("foundation (fundacja)")
    SOCIAL_COOPERATIVE = "social_cooperative", _("social cooperative (spółdzielnia socjalna)")
    CHURCH_ENTITY = "church_entity", _("church legal person (kościelna osoba prawna)")
    RURAL_WOMEN = "rural_women", _("rural housewives' circle (koło gospodyń wiejskich)")
    NONPROFIT_COMPANY = "nonprofit_company", _("non-profit company (spółka non-profit)")
    OTHER = "other", _("other body of art. 3 sec. 3")


#: An organisation the coordinating team can verify: one that gave its NIP or its REGON
#: (Organisation.clean asks one of a registration). An organisation named only in a letter
#: the team registered (consultations.register_services) has neither: there is nothing to
#: verify it against, and it waits for no decision.
VERIFIABLE = ~Q(nip="") | ~Q(regon="")


class Organisation(models.Model):
    """A non-governmental organisation (or another body of art. 3 ust. 3) taking part."""

    name = models.CharField(_("name"), max_length=300)
    legal_form = models.CharField(
        _("legal form"), max_length=32, choices=LegalForm.choices, default=LegalForm.ASSOCIATION
    )
    nip = models.CharField(_("NIP"), max_length=10, blank=True, validators=[validate_nip])
    regon = models.CharField(_("REGON"), max_length=14, blank=True, validators=[validate_regon])
    krs = models.CharField(_("KRS"), max_length=10, blank=True, validators=[validate_krs])
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["nip"], condition=~Q(nip=""), name="organisation_unique_nip"
            ),
            models.UniqueConstraint(
                fields=["krs"], condition=~Q(krs=""), name="organisation_unique_krs"
            ),
            models.UniqueConstraint(
                fields=["regon"], condition=~Q(regon=""), name="organisation_unique_regon"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.nip = normalise_number(self.nip)
        self.regon = normalise_number(self.regon)
        self.krs = normalise_number(self.krs)
        if not (self.nip or self.regon):
            raise ValidationError(_("Give the organisation's NIP, its REGON, or both."))

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class RepresentationQuerySet(models.QuerySet["Representation"]):
    def active(self) -> RepresentationQuerySet:
        """The one rule for who speaks for an organisation: an approved representation of a
        verified organisation. Permissions, comment authorship and notifications all ask it."""
        return self.filter(status="approved", organisation__verified_at__isnull=False)


class Representation(models.Model):
    """A person speaking for an organisation; counts only once the coordinating team approves."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="representations"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RepresentationQuerySet.as_manager()

    class Meta:
        verbose_name = _("representation")
        verbose_name_plural = _("representations")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="representation_unique_user_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


# --- The programme and its context -------------------------------------------------------------


class ProcessStage(models.IntegerChoices):
    """The steps of the work on a programme, from the seeds' "Dalsze kroki" slide and the Act."""

    TEAM_MEETINGS = 1, _("Branch team meetings: SWOT analysis, goals, actions")
    PUBLICATION = 2, _("Publication of the documents worked out")
    CONSULTATION = 3, _("Consultation (other organisations, experts, officials)")
    GATHERING = 4, _("The coordinating team gathers suggestions and comments")
    SECOND_MEETING = 5, _("Next meeting: consultation of the solutions and assumptions")
    DRAFTING = 6, _("The coordinating team sums up the comments and prepares the document")
    FINAL_CONSULTATION = 7, _("Final consultation of the draft")
    ADOPTION = 8, _("Adoption by the City Council (by 30 November)")


class ProgrammeKind(models.TextChoices):
    """Art. 5a ust. 1 and 2: an annual programme, or a multi-year one adopted the same way."""

    ANNUAL = "annual", _("annual")
    MULTI_YEAR = "multi_year", _("multi-year")


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def current(self) -> ProgrammeQuerySet:
        return self.filter(is_current=True)

    def archived(self) -> ProgrammeQuerySet:
        return self.filter(is_current=False)


class Programme(models.Model):
    """A cooperation programme (program współpracy): one cycle, e.g. 2012–2014.

    Each kind has at most one current programme (a database constraint, so that of two
    coordinators starting a programme at once one wins); earlier ones are archived, never
    deleted, and stay browsable with their teams, meetings, rounds and versions."""

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=16, choices=ProgrammeKind.choices, default=ProgrammeKind.MULTI_YEAR
    )
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    is_current = models.BooleanField(_("current"), default=False)
    stage = models.PositiveSmallIntegerField(
        _("stage"), choices=ProcessStage.choices, default=ProcessStage.TEAM_MEETINGS
    )
    summary = models.TextField(_("summary"), blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="programme_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_current=True), name="programme_one_current_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("teams:programme-detail", kwargs={"pk": self.pk})

    @property
    def legal_deadline(self) -> dt.date:
        """Art. 5a ust. 1: adopted by 30 November of the year before the programme starts."""
        return cycle.adoption_deadline(self.period_start)

    @property
    def cycle_dates(self) -> list[cycle.CycleDate]:
        return cycle.cycle_dates(self.period_start, self.period_end)

    @property
    def is_one_year(self) -> bool:
        """An annual programme (or any of a single year): its period is named by that year."""
        return self.period_start == self.period_end

    @property
    def period(self) -> str:
        """The period as the programme names it: "2028" for one year, "2029–2033" for more."""
        if self.is_one_year:
            return str(self.period_start)
        return f"{self.period_start}–{self.period_end}"


class ContextSection(models.Model):
    """A piece of the programme's context: legal basis, development strategy, sectoral strategy.

    ``body`` keeps the source's own text; each line is one point, and a line that starts
    with "- " is a sub-point of the point above it.
    """

    class Kind(models.TextChoices):
        LEGAL_BASIS = "legal_basis", _("Legal basis")
        STRATEGY = "strategy", _("Kraków development strategy")
        SECTORAL = "sectoral", _("Sectoral documents")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("context section")
        verbose_name_plural = _("context sections")
        ordering = ["programme", "position"]

    def __str__(self) -> str:
        return self.title

    @property
    def points(self) -> list[dict[str, object]]:
        points: list[dict[str, object]] = []
        for raw in self.body.splitlines():
            line = raw.strip()
            if not line:
                continue
            if line.startswith("- ") and points:
                subpoints = points[-1]["subpoints"]
                assert isinstance(subpoints, list)
                subpoints.append(line[2:])
            else:
                points.append({"text": line.removeprefix("- "), "subpoints": []})
        return points


# --- Teams ---------------------------------------------------------------------------------


class Team(models.Model):
    """A branch team (zespół branżowy)."""

    #: What a team's name follows: "Branch team" + "for culture".
    LABEL = _("Branch team")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(
        _("name"), max_length=200, help_text=_("As on the list of teams, e.g. “ds. kultury”.")
    )
    name_en = models.CharField(
        _("English name"),
        max_length=200,
        blank=True,
        help_text=_(
            "As it follows “Branch team” in English, e.g. “for culture”. Without it, pages in "
            "English show the Polish name."
        ),
    )
    other_names = models.CharField(
        _("other names"),
        max_length=300,
        blank=True,
        help_text=_("Names the same team goes by in other documents."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("branch team")
        verbose_name_plural = _("branch teams")
        ordering = ["programme", "position", "name"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("teams:team-detail", kwargs={"slug": self.slug})

    # The one place that says how a team is named to people. Documents that are Polish by
    # law (the programme, the consultation report, the comment table, a meeting's annex as a
    # PDF) are made under the Polish language, so these give them ``name``.

    @property
    def page_name(self) -> Text:
        """The name as it follows "Branch team" in the active language: the English name on
        an English page if there is one, else the Polish name with ``lang="pl"`` to mark it
        ({% team_name %} writes both)."""
        return in_page_language(self.name, self.name_en)

    @property
    def local_name(self) -> str:
        """``page_name`` as plain text, for what cannot mark a language (titles, e-mails,
        calendars, feeds)."""
        return self.page_name.text

    @property
    def display_name(self) -> str:
        """The full name in the active language, as plain text: "Zespół Branżowy ds. kultury",
        "Branch team for culture"."""
        return f"{self.LABEL} {self.local_name}"


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        MODERATOR = "moderator", _("moderator")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="membership_unique_user_team")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.team.name})"


# Who moderates a team: an approved membership as a moderator (the one rule:
# teams.permissions.moderator_memberships and ``ROLES`` filter by it).
MODERATING = Q(role=Membership.Role.MODERATOR, status=Membership.Status.APPROVED)


# --- Meetings ------------------------------------------------------------------------------


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def public(self) -> MeetingQuerySet:
        return self.exclude(status=Meeting.Status.DRAFT)


class Meeting(models.Model):
    """A moderated meeting of a branch team, with its plan, rules and results."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("being planned")
        PLANNED = "planned", _("planned")
        OPEN = "open", _("workspace open")
        CLOSED = "closed", _("closed")
        PUBLISHED = "published", _("results published")

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    start_time = models.TimeField(
        _("start time"), null=True, blank=True, help_text=_("Europe/Warsaw time.")
    )
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    rules = models.TextField(
        _("rules of the meeting"), blank=True, help_text=_("One rule per line.")
    )
    next_steps = models.TextField(_("next steps"), blank=True, help_text=_("One step per line."))
    minutes = models.TextField(_("minutes"), blank=True)
    annex_number = models.PositiveSmallIntegerField(
        _("annex number of the action list"), null=True, blank=True
    )
    annex_title = models.CharField(
        _("heading of the action list"),
        max_length=TEXT_LIMIT,
        blank=True,
        help_text=_("Leave empty to use the standard heading."),
    )
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)
    empty_results_reason = models.TextField(
        _("why the meeting was published without results"), blank=True
    )
    speaking_time_seconds = models.PositiveSmallIntegerField(
        _("speaking time per person (seconds)"), default=180
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-start_time"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("teams:meeting-detail", kwargs={"pk": self.pk})

    def has_results(self) -> bool:
        """Whether the meeting produced anything to publish: SWOT entries, goals, actions or
        minutes. Its plan (the agenda and the SWOT topics it set) is not a result: a meeting
        that planned topics and recorded nothing on them is published only with a reason. The
        one definition of an empty meeting."""
        if self.minutes.strip():
            return True
        if self.swot_topics.filter(entries__isnull=False).exists():
            return True
        return any(manager.exists() for manager in (self.goals, self.actions))

    @property
    def rule_list(self) -> list[str]:
        return [line.strip() for line in self.rules.splitlines() if line.strip()]

    @property
    def next_step_list(self) -> list[str]:
        return [line.strip() for line in self.next_steps.splitlines() if line.strip()]


class AgendaItem(models.Model):
    """One point of a meeting's plan (I, II, III …), optionally with its planned time."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"))
    numeral = models.CharField(_("number"), max_length=8, blank=True)
    title = models.CharField(_("title"), max_length=TEXT_LIMIT)
    starts_at = models.TimeField(_("planned start"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("minutes planned"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="agendaitem_unique_meeting_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.numeral} {self.title}".strip()


class Attendance(models.Model):
    """A person's registration for a meeting, and whether they came (recorded in the minutes)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendances",
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    # Recorded by the moderator for a member who came without registering (not a registration
    # the person made): unticked again, the row goes (teams.meeting_services.attendance_mark).
    walk_in = models.BooleanField(_("recorded without registration"), default=False)
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "registered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], name="attendance_unique_meeting_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.meeting}"


class Speaker(models.Model):
    """A place on a meeting's speakers list; the moderator starts and ends each turn."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speakers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("speaker"), max_length=200)
    position = models.PositiveIntegerField(_("position"))
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers list")
        ordering = ["meeting", "position"]

    def __str__(self) -> str:
        return self.name


def _roles(user_id: int) -> models.QuerySet[Any]:
    """The person's roles in one query: ("organisation", id, name) for each verified
    organisation they speak for (``Representation.objects.active()``, the one rule), by name,
    and ("team", id, "") for each team they moderate (``MODERATING``)."""
    organisations = (
        Representation.objects.active()
        .filter(user=user_id)
        .annotate(
            kind=Value("organisation"), ref=F("organisation_id"), label=F("organisation__name")
        )
        .values_list(*_ROLE_COLUMNS)
    )
    teams = (
        Membership.objects.filter(MODERATING, user=user_id)
        .annotate(kind=Value("team"), ref=F("team_id"), label=Value(""))
        .values_list(*_ROLE_COLUMNS)
    )
    return organisations.union(teams, all=True).order_by(*_ROLE_ORDER)


_ROLE_COLUMNS = ("kind", "ref", "label")
_ROLE_ORDER = ("kind", "label")

# Compiled once per process (core.compiled), read with the person (``UserManager.get``) or
# alone (teams.permissions.person_roles). ``ROLES_ORDER``: its ORDER BY as positions of its
# columns, which the statement joining it to the person orders by.
ROLES = CompiledQuery(_roles)
ROLES_ORDER = tuple(_ROLE_COLUMNS.index(name) + 1 for name in _ROLE_ORDER)
