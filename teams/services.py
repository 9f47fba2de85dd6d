"""Writes for people, organisations, teams and roles.

Every service is keyword-only, runs in one transaction and records an audit entry for each
moderation-relevant change. Decisions on requests are claimed with a conditional UPDATE, so that
when two people decide the same request at once one wins and the other gets ``AlreadyDecided``.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.audit import audit_record
from core.errors import AlreadyDecided

from .audit import TeamsAudit
from .models import Membership, Organisation, Programme, Representation, Speaker, Team, User

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
    duplicate NIP or KRS that slipped in concurrently.
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
    claimed = Organisation.objects.filter(pk=organisation.pk, verified_at__isnull=True).update(
        verified_at=now, verified_by=actor
    )
    if not claimed:
        raise AlreadyDecided
    organisation.refresh_from_db()
    audit_record(actor=actor, action=TeamsAudit.ORGANISATION_VERIFY, target=organisation)
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
    other_names: str = "",
    description: str = "",
    position: int = 0,
) -> Team:
    team = Team.objects.create(
        programme=programme,
        name=name,
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
    other_names: str = "",
    description: str = "",
    position: int = 0,
) -> Team:
    before = {"name": team.name, "slug": team.slug}
    team.name = name
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
