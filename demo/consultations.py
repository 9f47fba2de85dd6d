"""Demo consultation rounds for ``seed_demo``: a settled round on the results of the meeting of
6 July 2011 with its published report, and a round open now. Idempotent: rows are looked up
by their natural keys and updated, never created twice.

The comments are invented for the demo (the seeds hold no consultation comments); they are
written in Polish like the rest of the seeded content.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from actions.models import Action
from consultations import numbering
from consultations.audit import ConsultationsAudit
from consultations.models import AuthorRole, Channel, Comment, Disposition, Round, Support
from consultations.phases import Phase
from core.audit import AuditAction, audit_record
from core.models import AuditEntry
from drafts.models import DraftVersion
from teams.models import Meeting, Organisation, Representation, User

DEMO_PASSWORD = "demo-krakow-2011"  # noqa: S105 - the demo password, published in the README
WARSAW = ZoneInfo("Europe/Warsaw")

# (e-mail, first name, last name, organisation fields)
DEMO_ORGANISATIONS = [
    (
        "fundacja@example.org",
        "Filip",
        "Fundacyjny",
        {
            "name": "Fundacja Demonstracyjna „Wspólny Kraków”",
            "legal_form": "foundation",
            "nip": "6761234565",
            "address": "ul. Przykładowa 2, 30-002 Kraków",
        },
    ),
    (
        "stowarzyszenie@example.org",
        "Sylwia",
        "Stowarzyszeniowa",
        {
            "name": "Stowarzyszenie Demonstracyjne „Aktywni Seniorzy”",
            "legal_form": "association",
            "nip": "6772345676",
            "address": "ul. Przykładowa 3, 30-003 Kraków",
        },
    ),
    (
        "spoldzielnia@example.org",
        "Szymon",
        "Spółdzielczy",
        {
            "name": "Spółdzielnia Socjalna „Demo”",
            "legal_form": "social_cooperative",
            "nip": "6783456787",
            "address": "ul. Przykładowa 4, 30-004 Kraków",
        },
    ),
]

SETTLED_TITLE = "Konsultacje wyników spotkania Zespołu z 6 lipca 2011 r."
OPEN_TITLE = "Konsultacje postulowanych działań – runda druga"

# (author e-mail, action number or None, text, proposed wording, disposition, justification)
SETTLED_COMMENTS = [
    (
        "ngo@example.org",
        1,
        "Postulat jest słuszny, ale brakuje w nim terminu realizacji.",
        "Dodać: „do końca 2012 r.”",
        Disposition.ACCEPTED,
        "Termin dopisano do działania w projekcie programu.",
    ),
    (
        "fundacja@example.org",
        1,
        "Postulat jest słuszny, ale brakuje w nim terminu realizacji.",
        "",
        Disposition.ACCEPTED,
        "Termin dopisano do działania w projekcie programu.",
    ),
    (
        "stowarzyszenie@example.org",
        3,
        "Proponujemy objąć działaniem także organizacje seniorskie.",
        "„… w tym organizacji działających na rzecz seniorów”",
        Disposition.PARTLY_ACCEPTED,
        "Rozszerzono katalog odbiorców; wskazanie jednej grupy z nazwy byłoby zbyt wąskie.",
    ),
    (
        "spoldzielnia@example.org",
        None,
        "Warto przewidzieć udział spółdzielni socjalnych w pracach wszystkich zespołów.",
        "",
        Disposition.NOT_ACCEPTED,
        "Skład zespołów branżowych określa odrębne zarządzenie; uwaga wykracza poza program.",
    ),
    (
        "ekspert@example.org",
        13,
        "Działanie powinno wskazywać MOWIS jako jednostkę odpowiedzialną.",
        "",
        Disposition.NOT_CONSIDERED,
        "Uwaga wpłynęła w formie, która nie pozwala jej rozpatrzyć bez dalszych wyjaśnień.",
    ),
]

# DEMO ADDITIONS (issue 14, the register): comments the coordinating team registered from
# outside the portal, one by post and one by e-mail. Like the comments above they are invented
# for the demo; the person and the organisation are made up ("Demonstracyjne") and the new
# organisation is left unverified, as the register creates it.
# (channel, received (Warsaw), person or None, new organisation or None, action number,
#  text, proposed wording, submitter's justification, disposition, justification)
SETTLED_REGISTERED = [
    (
        Channel.POST,
        (2011, 7, 25, 10, 30),
        "Anna Przykładowa",
        None,
        3,
        "Proszę, by działanie objęło także osoby starsze mieszkające samotnie, które nie "
        "korzystają z internetu i nie dowiedzą się o nim z portalu.",
        "„… w tym osoby starsze mieszkające samotnie”",
        "Osoby samotne najczęściej nie docierają do informacji o wsparciu.",
        Disposition.PARTLY_ACCEPTED,
        "Odbiorców działania rozszerzono o osoby starsze; sposób informowania określą "
        "realizatorzy.",
    ),
    (
        Channel.EMAIL,
        (2011, 7, 29, 14, 12),
        None,
        "Stowarzyszenie Demonstracyjne „Sąsiedzka Pomoc”",
        None,
        "Wnosimy o wskazanie w programie, jak organizacje mogą zgłaszać nowe postulaty "
        "między spotkaniami zespołu.",
        "",
        "Zespół spotyka się rzadko, a potrzeby pojawiają się przez cały rok.",
        Disposition.ACCEPTED,
        "Dopisano, że postulaty można zgłaszać przez cały rok do koordynatora zespołu.",
    ),
]

OPEN_COMMENTS = [
    ("fundacja@example.org", 2, "Prosimy o doprecyzowanie, kto będzie prowadził szkolenia.", ""),
    (
        "stowarzyszenie@example.org",
        None,
        "Dobrze, że konsultacje trwają dłużej niż w poprzednich latach.",
        "",
    ),
]


def _accounts(*, coordinator: User | None) -> dict[str, User]:
    users: dict[str, User] = {}
    for email, first_name, last_name, fields in DEMO_ORGANISATIONS:
        organisation, _created = Organisation.objects.update_or_create(
            nip=fields["nip"], defaults=fields
        )
        if organisation.verified_at is None:
            organisation.verified_at = organisation.created_at
            organisation.verified_by = coordinator
            organisation.save(update_fields=["verified_at", "verified_by"])
        user, _created = User.objects.update_or_create(
            email=email, defaults={"first_name": first_name, "last_name": last_name}
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        approve_representation(user, organisation, coordinator)
        users[email] = user
    return users


def approve_representation(
    user: User, organisation: Organisation, coordinator: User | None
) -> None:
    """``user`` speaks for ``organisation``, approved by ``coordinator`` as soon as it was asked
    for (its created_at): a decision is never dated before the request it settles, in the
    "download my data" export or anywhere else. Left as it is when already approved."""
    representation, _created = Representation.objects.get_or_create(
        user=user, organisation=organisation
    )
    if representation.status != Representation.Status.APPROVED:
        representation.status = Representation.Status.APPROVED
        representation.decided_by = coordinator
        representation.decided_at = representation.created_at
        representation.save(update_fields=["status", "decided_by", "decided_at"])


def _author(user: User) -> dict[str, Any]:
    representation = (
        Representation.objects.filter(user=user, status=Representation.Status.APPROVED)
        .select_related("organisation")
        .first()
    )
    if representation is not None:
        return {"author_role": AuthorRole.ORGANISATION, "organisation": representation.organisation}
    role = AuthorRole.OFFICIAL if user.is_official else AuthorRole.EXPERT
    return {"author_role": role, "organisation": None}


def _round_fields(meeting: Meeting) -> dict[str, Any]:
    return {
        "programme": meeting.team.programme,
        "meeting": meeting,
        "goal": (
            "Zebranie opinii organizacji pozarządowych, ekspertów i urzędników o wynikach "
            "spotkania zespołu branżowego."
        ),
        "subject": "Analiza SWOT, cele i postulowane działania przyjęte na spotkaniu.",
        "scope_and_forms": "Uwagi pisemne przez formularz na portalu; dyżur eksperta w MOWIS.",
        "responsible_office": "Miejski Ośrodek Wspierania Inicjatyw Społecznych (MOWIS)",
        "contact": "konsultacje@example.org",
    }


def _comments(
    round_: Round, meeting: Meeting, users: dict[str, User], rows: list[tuple[Any, ...]]
) -> list[Comment]:
    comments = []
    for row in rows:
        email, number, text, wording = row[:4]
        author = users[email]
        action = Action.objects.get(meeting=meeting, number=number) if number else None
        defaults: dict[str, Any] = {
            **_author(author),
            "action": action,
            "proposed_wording": wording,
        }
        if len(row) > 4:
            defaults.update(
                disposition=row[4],
                justification=row[5],
                settled_at=round_.settled_at,
                settled_by=round_.created_by,
            )
        comment, _created = Comment.objects.update_or_create(
            round=round_, author=author, text=text, parent=None, defaults=defaults
        )
        comments.append(comment)
    return comments


def _registered(round_: Round, meeting: Meeting, coordinator: User | None) -> list[Comment]:
    """The demo's registered comments (SETTLED_REGISTERED), as the register records them."""
    comments = []
    for row in SETTLED_REGISTERED:
        channel, received, person, new_org, number, text, wording, why, disposition, answer = row
        organisation = None
        if new_org:
            organisation = Organisation.objects.filter(name=new_org).first()
            if organisation is None:
                organisation = Organisation.objects.create(name=new_org)
        defaults: dict[str, Any] = {
            "author_role": AuthorRole.ORGANISATION if organisation else AuthorRole.PERSON,
            "organisation": organisation,
            "submitter_name": person or "",
            "submitter_name_public": False,
            "received_at": dt.datetime(*received, tzinfo=WARSAW),
            "registered_by": coordinator,
            "action": Action.objects.get(meeting=meeting, number=number) if number else None,
            "proposed_wording": wording,
            "submitter_justification": why,
            "disposition": disposition,
            "justification": answer,
            "settled_at": round_.settled_at,
            "settled_by": coordinator,
        }
        comment, _created = Comment.objects.update_or_create(
            round=round_, author=None, channel=channel, text=text, parent=None, defaults=defaults
        )
        # Entered in the register two hours after it reached the office, not on the day the
        # demo was loaded: the report prints both moments.
        registered = defaults["received_at"] + dt.timedelta(hours=2)
        if comment.created_at != registered:
            Comment.objects.filter(pk=comment.pk).update(created_at=registered)
            comment.created_at = registered
        comments.append(comment)
    return comments


def record_past(
    *, actor: User | None, action: AuditAction, target: Any, at: dt.datetime | None
) -> None:
    """The audit entry of a step the demo data took without its service (a published report,
    published meeting results), dated when it happened: the publication records name who took
    it (documents.publications), as they do for steps taken on the portal. Once."""
    done = AuditEntry.objects.filter(
        action=action.value,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
    )
    if not done.exists():
        entry = audit_record(actor=actor, action=action, target=target)
        if at is not None:
            AuditEntry.objects.filter(pk=entry.pk).update(created_at=at)


def _number(rounds: list[Round]) -> None:
    """Registration numbers for the demo's comments that have none yet (idempotent)."""
    unnumbered = Comment.objects.filter(
        round__in=rounds, parent=None, registration_number=None
    ).order_by("round__opens_at", "created_at", "pk")
    for comment in unnumbered.select_related("round"):
        comment.registration_number = numbering.registration_number_next(comment.round)
        comment.save(update_fields=["registration_number"])


def seed_consultations(*, meeting: Meeting, stdout: TextIO) -> None:
    coordinator = User.objects.filter(is_coordinator=True).order_by("pk").first()
    users = _accounts(coordinator=coordinator)
    for email in ("ngo@example.org", "ekspert@example.org"):
        user = User.objects.filter(email=email).first()
        if user is not None:
            users[email] = user

    def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
        return dt.datetime(year, month, day, hour, minute, tzinfo=WARSAW)

    settled, _created = Round.objects.update_or_create(
        programme=meeting.team.programme,
        title=SETTLED_TITLE,
        defaults={
            **_round_fields(meeting),
            "opens_at": local(2011, 7, 11, 8, 0),
            "closes_at": local(2011, 8, 1, 16, 0),
            "status": Phase.REPORT_PUBLISHED,
            "created_by": coordinator,
            "announced_at": local(2011, 7, 4, 9, 0),
            "settled_at": local(2011, 8, 22, 12, 0),
            "report_published_at": local(2011, 8, 29, 12, 0),
        },
    )
    comments = _comments(settled, meeting, users, SETTLED_COMMENTS)
    # Sent while the 2011 round was open (a day apart), not on the day the demo was loaded:
    # the report and the comment table print when each comment was received.
    for day, comment in enumerate(comments, start=1):
        if not settled.opens_at <= comment.created_at <= settled.closes_at:
            sent = settled.opens_at + dt.timedelta(days=day, hours=2)
            Comment.objects.filter(pk=comment.pk).update(created_at=sent)
    comments += _registered(settled, meeting, coordinator)
    record_past(
        actor=coordinator,
        action=ConsultationsAudit.ROUND_PUBLISH_REPORT,
        target=settled,
        at=settled.report_published_at,
    )
    if len(comments) > 2 and comments[2].organisation is not None:
        Support.objects.get_or_create(
            comment=comments[0],
            organisation=comments[2].organisation,
            defaults={"user": comments[2].author},
        )

    now = timezone.now()
    opened, _created = Round.objects.update_or_create(
        programme=meeting.team.programme,
        title=OPEN_TITLE,
        defaults={
            **_round_fields(meeting),
            # Version 1 of the programme draft, when seed_programme_draft has run already.
            "draft_version": DraftVersion.objects.filter(
                draft__programme=meeting.team.programme, number=1
            ).first(),
            "opens_at": now - dt.timedelta(days=2),
            "closes_at": now + dt.timedelta(days=19),
            "status": Phase.ANNOUNCED,
            "created_by": coordinator,
            "announced_at": now - dt.timedelta(days=9),
        },
    )
    _comments(opened, meeting, users, OPEN_COMMENTS)
    _number([settled, opened])
    stdout.write(
        f"Consultations: a settled round with {len(comments)} comments and its report, "
        f"and an open round; {len(DEMO_ORGANISATIONS)} more demo organisations."
    )
