"""Writes for people, organisations, teams and roles.

Every service is keyword-only, runs in one transaction and records an audit entry for each
moderation-relevant change. Decisions on requests are claimed with a conditional UPDATE, so that
when two people decide the same request at once one wins and the other gets ``AlreadyDecided``.
"""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import AlreadyDecided, ConflictError, Refused

from . import notices
from .audit import TeamsAudit
from .models import (
    VERIFIABLE,
    Membership,
    Organisation,
    Programme,
    ProgrammeKind,
    Representation,
    Speaker,
    Team,
    User,
)
from .signals import WorkingCopyStart, programme_created, programme_title_changed

# --- Organisations and representation -------------------------------------------------------


@transaction.atomic
def organisation_register(
    *,
    actor: User,
    name: str,
    legal_form: str,
    nip: str = "",
    regon: str = "",
    krs: str = "",
    address: str = "",
    website: str = "",
) -> Organisation:
    """Create an unverified organisation and a pending representation of it by ``actor``.

    The caller validates the values (OrganisationForm); the database constraints still refuse a
    duplicate NIP, REGON or KRS that slipped in concurrently.
    """
    organisation = Organisation.objects.create(
        name=name,
        legal_form=legal_form,
        nip=nip,
        regon=regon,
        krs=krs,
        address=address,
        website=website,
    )
    Representation.objects.create(user=actor, organisation=organisation)
    audit_record(
        actor=actor,
        action=TeamsAudit.ORGANISATION_REGISTER,
        target=organisation,
        data={"nip": nip, "regon": regon, "krs": krs},
    )
    return organisation


@transaction.atomic
def organisation_verify(*, actor: User, organisation: Organisation) -> Organisation:
    """Mark the organisation verified by the coordinating team. Verifying twice changes nothing
    and raises AlreadyDecided."""
    now = timezone.now()
    claimed = (
        Organisation.objects.filter(pk=organisation.pk, verified_at__isnull=True)
        .filter(VERIFIABLE)
        .update(verified_at=now, verified_by=actor)
    )
    if not claimed:
        if Organisation.objects.filter(pk=organisation.pk, verified_at__isnull=True).exists():
            raise Refused(
                _(
                    "This organisation has no NIP or REGON (it is named in a letter the "
                    "coordinating team registered): there is nothing to verify it against."
                )
            )
        raise AlreadyDecided
    organisation.refresh_from_db()
    audit_record(actor=actor, action=TeamsAudit.ORGANISATION_VERIFY, target=organisation)
    notices.notify_organisation_verified(organisation)
    return organisation


@transaction.atomic
def representation_request(*, actor: User, organisation: Organisation) -> Representation:
    """Ask to represent ``organisation``. A rejected request may be asked again: it goes back
    to pending. Asking while pending or approved returns the existing row unchanged."""
    representation, created = Representation.objects.get_or_create(
        user=actor, organisation=organisation
    )
    if not created and representation.status != Representation.Status.REJECTED:
        return representation
    if not created:
        representation.status = Representation.Status.PENDING
        representation.decided_by = None
        representation.decided_at = None
        representation.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, action=TeamsAudit.REPRESENTATION_REQUEST, target=representation)
    return representation


def _decide_once(
    *,
    actor: User,
    row: Representation | Membership,
    pending: str,
    approve: bool,
    action: str,
    reason: str,
    data: dict[str, object],
) -> None:
    """Move a pending request to approved or rejected, once: the conditional UPDATE lets only
    the first of two concurrent deciders through; the other gets AlreadyDecided."""
    status = row.Status.APPROVED if approve else row.Status.REJECTED
    claimed = (
        type(row)
        .objects.filter(pk=row.pk, status=pending)
        .update(status=status, decided_by=actor, decided_at=timezone.now())
    )
    if not claimed:
        raise AlreadyDecided
    row.refresh_from_db()
    audit_record(
        actor=actor,
        action=TeamsAudit(f"{action}.{'approve' if approve else 'reject'}"),
        target=row,
        reason=reason,
        data=data,
    )
    notices.notify_request_decided(row, reason=reason)


@transaction.atomic
def representation_decide(
    *, actor: User, representation: Representation, approve: bool, reason: str = ""
) -> Representation:
    """Approve or reject a pending representation. Raises AlreadyDecided if it is no longer
    pending."""
    _decide_once(
        actor=actor,
        row=representation,
        pending=Representation.Status.PENDING,
        approve=approve,
        action="representation",
        reason=reason,
        data={"organisation": representation.organisation_id},
    )
    return representation


# --- Teams and membership -------------------------------------------------------------------


@transaction.atomic
def membership_request(*, actor: User, team: Team) -> Membership:
    """Ask to join ``team``. A rejected request may be asked again; asking while requested or
    approved returns the existing row unchanged."""
    membership, created = Membership.objects.get_or_create(user=actor, team=team)
    if not created and membership.status != Membership.Status.REJECTED:
        return membership
    if not created:
        membership.status = Membership.Status.REQUESTED
        membership.role = Membership.Role.MEMBER
        membership.decided_by = None
        membership.decided_at = None
        membership.save(update_fields=["status", "role", "decided_by", "decided_at"])
    audit_record(actor=actor, action=TeamsAudit.MEMBERSHIP_REQUEST, target=membership)
    return membership


@transaction.atomic
def membership_decide(
    *, actor: User, membership: Membership, approve: bool, reason: str = ""
) -> Membership:
    """Approve or reject a request to join a team. Raises AlreadyDecided if it is no longer
    requested."""
    _decide_once(
        actor=actor,
        row=membership,
        pending=Membership.Status.REQUESTED,
        approve=approve,
        action="membership",
        reason=reason,
        data={"team": membership.team_id},
    )
    return membership


@transaction.atomic
def team_create(
    *,
    actor: User,
    programme: Programme,
    name: str,
    slug: str,
    name_en: str = "",
    other_names: str = "",
    description: str = "",
    position: int = 0,
) -> Team:
    team = Team.objects.create(
        programme=programme,
        name=name,
        name_en=name_en,
        slug=slug,
        other_names=other_names,
        description=description,
        position=position,
    )
    audit_record(actor=actor, action=TeamsAudit.TEAM_CREATE, target=team)
    return team


@transaction.atomic
def team_update(
    *,
    actor: User,
    team: Team,
    name: str,
    slug: str,
    name_en: str = "",
    other_names: str = "",
    description: str = "",
    position: int = 0,
) -> Team:
    # What is stored, not ``team``'s attributes: an edit form (ModelForm) has already written
    # the new values onto the object it was given.
    stored = Team.objects.get(pk=team.pk)
    before = {"name": stored.name, "name_en": stored.name_en, "slug": stored.slug}
    team.name = name
    team.name_en = name_en
    team.slug = slug
    team.other_names = other_names
    team.description = description
    team.position = position
    team.save()
    audit_record(actor=actor, action=TeamsAudit.TEAM_UPDATE, target=team, data={"before": before})
    return team


@transaction.atomic
def moderator_appoint(*, actor: User, team: Team, user: User) -> Membership:
    """Make ``user`` an approved moderator of ``team`` (joining them to it if needed)."""
    membership, _created = Membership.objects.update_or_create(
        user=user,
        team=team,
        defaults={
            "role": Membership.Role.MODERATOR,
            "status": Membership.Status.APPROVED,
            "decided_by": actor,
            "decided_at": timezone.now(),
        },
    )
    audit_record(actor=actor, action=TeamsAudit.MEMBERSHIP_APPOINT_MODERATOR, target=membership)
    return membership


@transaction.atomic
def moderator_remove(*, actor: User, membership: Membership) -> Membership:
    """The moderator stays an approved member of the team; only the role changes."""
    membership.role = Membership.Role.MEMBER
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership.save(update_fields=["role", "decided_by", "decided_at"])
    audit_record(actor=actor, action=TeamsAudit.MEMBERSHIP_REMOVE_MODERATOR, target=membership)
    return membership


@transaction.atomic
def membership_leave(*, actor: User, team: Team) -> None:
    """The person leaves the team (a member or a moderator alike); their past contributions
    stay. Refused when they are not in it."""
    membership = Membership.objects.filter(user=actor, team=team).first()
    if membership is None:
        raise Refused(_("You are not a member of this team."))
    audit_record(
        actor=actor,
        action=TeamsAudit.MEMBERSHIP_LEAVE,
        target=team,
        data={"role": membership.role, "status": membership.status},
    )
    membership.delete()


# --- Programmes: one cycle each ---------------------------------------------------------------


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise Refused(_("Give the programme a title."))
    return title


def check_programme_period(kind: str, period_start: int, period_end: int) -> None:
    """The period's rules: ordered, one year for an annual programme and more for a
    multi-year one, and no overlap with another programme of the same kind (archived ones
    included)."""
    if period_end < period_start:
        raise Refused(_("The last year of the programme cannot be before its first year."))
    if kind == ProgrammeKind.ANNUAL and period_end != period_start:
        raise Refused(_("An annual programme covers one year: its first and last year are equal."))
    if kind == ProgrammeKind.MULTI_YEAR and period_end == period_start:
        raise Refused(_("A multi-year programme covers at least two years."))
    overlapping = Programme.objects.filter(
        kind=kind, period_start__lte=period_end, period_end__gte=period_start
    ).first()
    if overlapping is not None:
        raise Refused(
            _("The period overlaps the programme “%(title)s” (%(period)s) of the same kind.")
            % {"title": overlapping.title, "period": overlapping.period}
        )


def _free_slug(base: str, year: int) -> str:
    stem = f"{base[:70]}-{year}"
    slug, counter = stem, 1
    while Team.objects.filter(slug=slug).exists():
        counter += 1
        slug = f"{stem}-{counter}"
    return slug


def _carry_over(*, actor: User, previous: Programme, programme: Programme) -> list[Team]:
    """Copy the previous programme's teams with their approved moderators and members; each
    carried person is told by e-mail and may leave."""
    now = timezone.now()
    teams = []
    for old in previous.teams.order_by("position", "name"):
        team = Team.objects.create(
            programme=programme,
            name=old.name,
            name_en=old.name_en,
            other_names=old.other_names,
            slug=_free_slug(old.slug, programme.period_start),
            description=old.description,
            position=old.position,
        )
        for membership in old.memberships.filter(status=Membership.Status.APPROVED):
            Membership.objects.create(
                user_id=membership.user_id,
                team=team,
                role=membership.role,
                status=Membership.Status.APPROVED,
                decided_by=actor,
                decided_at=now,
            )
        audit_record(
            actor=actor, action=TeamsAudit.MEMBERSHIP_CARRY_OVER, target=team, data={"from": old.pk}
        )
        notices.notify_carried_over(team)
        teams.append(team)
    return teams


@transaction.atomic
def programme_create(
    *,
    actor: User,
    kind: str,
    title: str,
    period_start: int,
    period_end: int,
    carry_over_teams: bool = False,
    working_copy: str = WorkingCopyStart.TEMPLATE,
) -> Programme:
    """Start a programme: it becomes the current one of its kind and the previous current one
    is archived (kept, with everything in it). Refused, with nothing stored, for an empty
    title, a period out of order or overlapping another of the same kind, or when another
    coordinator started a programme of this kind at the same moment (``ConflictError``).
    Optionally carries the previous programme's teams over; the drafts app creates the
    working copy (``programme_created``)."""
    title = _clean_title(title)
    # Lock the current programme of this kind: of two coordinators starting one at once, the
    # second waits here, then finds the first's programme (or loses on the constraint).
    previous = Programme.objects.select_for_update().current().filter(kind=kind).first()
    check_programme_period(kind, period_start, period_end)
    if previous is not None:
        Programme.objects.filter(pk=previous.pk).update(is_current=False)
    try:
        with transaction.atomic():
            programme = Programme.objects.create(
                kind=kind,
                title=title,
                period_start=period_start,
                period_end=period_end,
                is_current=True,
            )
    except IntegrityError as error:
        raise ConflictError(
            _(
                "Another coordinator has just started a current programme of this kind. "
                "Nothing was saved; see the list of programmes."
            )
        ) from error
    audit_record(
        actor=actor,
        action=TeamsAudit.PROGRAMME_CREATE,
        target=programme,
        data={
            "previous": previous.pk if previous else None,
            "carry_over_teams": carry_over_teams,
            "working_copy": str(working_copy),
        },
    )
    if carry_over_teams and previous is not None:
        _carry_over(actor=actor, previous=previous, programme=programme)
    programme_created.send(
        sender=Programme,
        programme=programme,
        previous=previous,
        working_copy=WorkingCopyStart(working_copy),
        actor=actor,
    )
    return programme


@transaction.atomic
def programme_update_title(*, actor: User, programme: Programme, title: str) -> Programme:
    title = _clean_title(title)
    before = programme.title
    Programme.objects.filter(pk=programme.pk).update(title=title)
    programme.title = title
    audit_record(
        actor=actor,
        action=TeamsAudit.PROGRAMME_UPDATE,
        target=programme,
        data={"before": {"title": before}},
    )
    programme_title_changed.send(sender=Programme, programme=programme, actor=actor)
    return programme


# --- People -------------------------------------------------------------------------------


@transaction.atomic
def user_set_global_roles(*, actor: User, user: User, is_expert: bool, is_official: bool) -> User:
    before = {"is_expert": user.is_expert, "is_official": user.is_official}
    user.is_expert = is_expert
    user.is_official = is_official
    user.save(update_fields=["is_expert", "is_official"])
    audit_record(
        actor=actor,
        action=TeamsAudit.USER_SET_ROLES,
        target=user,
        data={"before": before, "after": {"is_expert": is_expert, "is_official": is_official}},
    )
    return user


@transaction.atomic
def user_update_profile(
    *, actor: User, first_name: str, last_name: str, show_name_publicly: bool, language: str
) -> User:
    actor.first_name = first_name
    actor.last_name = last_name
    actor.show_name_publicly = show_name_publicly
    actor.language = language
    actor.save(update_fields=["first_name", "last_name", "show_name_publicly", "language"])
    return actor


#: A sign-up whose address is not confirmed within this many days is erased
#: (``purge_unconfirmed_signups``); the confirmation e-mail says so.
UNCONFIRMED_SIGNUP_DAYS = 7


@transaction.atomic
def purge_unconfirmed_signups(*, now: dt.datetime | None = None) -> int:
    """Erase the accounts of sign-ups whose e-mail address was never confirmed within
    ``UNCONFIRMED_SIGNUP_DAYS``: someone may have typed another person's address, and a
    portal that keeps it (RODO art. 5 ust. 1 lit. c, e) would hold personal data nobody
    agreed to. Only rows the sign-up made and nothing else touched: an unconfirmed address
    of its own and none confirmed, never logged in (log-in waits for the confirmation), not
    a staff or role account. How many were erased is audited, not who (that would keep
    them). Returns the count."""
    moment = (now or timezone.now()) - dt.timedelta(days=UNCONFIRMED_SIGNUP_DAYS)
    confirmed = EmailAddress.objects.filter(verified=True).values("user_id")
    unconfirmed = EmailAddress.objects.filter(verified=False).values("user_id")
    stale = User.objects.filter(
        pk__in=unconfirmed,
        date_joined__lt=moment,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
        is_coordinator=False,
        is_expert=False,
        is_official=False,
    ).exclude(pk__in=confirmed)
    # A row something was attached to meanwhile (a membership or representation given in the
    # admin, any record that protects its user) is not a bare sign-up: kept, never cascaded.
    stale = stale.filter(memberships__isnull=True, representations__isnull=True)
    erased = 0
    for pk in stale.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                # The conditions again, row by row: an address confirmed since the list was
                # read keeps its account.
                erased += stale.filter(pk=pk).delete()[1].get(User._meta.label, 0)
        except ProtectedError:
            continue
    if erased:
        audit_record(
            actor=None,
            action=TeamsAudit.USER_SIGNUPS_PURGED,
            target=None,
            data={"count": erased, "days": UNCONFIRMED_SIGNUP_DAYS},
        )
    return erased


@transaction.atomic
def user_delete_account(*, actor: User) -> User:
    """Erase the person's personal data and end their roles; keep the row, so their
    contributions (which keep their organisation) stay on record as an anonymised participant.

    Afterwards the e-mail is ``deleted-<id>@invalid``, names are blank, the password is unusable,
    the account is inactive, its e-mail addresses, memberships and representations are gone.
    """
    user = User.objects.select_for_update().get(pk=actor.pk)
    ended = {
        "memberships": list(user.memberships.values_list("team_id", flat=True)),
        "representations": list(user.representations.values_list("organisation_id", flat=True)),
    }
    user.memberships.all().delete()
    user.representations.all().delete()
    EmailAddress.objects.filter(user=user).delete()
    Speaker.objects.filter(user=user).update(name=gettext("anonymised participant"))
    user.email = f"deleted-{user.pk}@invalid"
    user.first_name = ""
    user.last_name = ""
    user.show_name_publicly = False
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.is_coordinator = False
    user.is_expert = False
    user.is_official = False
    user.set_unusable_password()
    user.save()
    audit_record(actor=user, action=TeamsAudit.USER_DELETE_ACCOUNT, target=user, data=ended)
    return user
