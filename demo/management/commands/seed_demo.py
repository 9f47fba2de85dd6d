"""Load the demo data: the seeds' programme, teams, meeting and actions, and demo accounts.

Idempotent: running it again updates what it made and creates nothing twice. It never touches
rows it did not make (it looks them up by their natural keys).
"""

import datetime as dt

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from actions.models import Action
from consultations.models import Round
from consultations.signals import report_published
from demo import seed_data
from demo.consultations import (
    OPEN_TITLE,
    SETTLED_TITLE,
    WARSAW,
    approve_representation,
    record_past,
    seed_consultations,
)
from demo.drafts import seed_programme_draft
from swot.models import SwotTopic
from teams.audit import TeamsAudit
from teams.models import (
    AgendaItem,
    ContextSection,
    Meeting,
    Membership,
    Organisation,
    ProcessStage,
    Programme,
    ProgrammeKind,
    Team,
    User,
)
from teams.services import programme_create
from teams.signals import WorkingCopyStart, meeting_results_published

DEMO_PASSWORD = "demo-krakow-2011"  # noqa: S105 - published in the README on purpose

DEMO_ORGANISATION = {
    "name": "Stowarzyszenie Demonstracyjne „Razem w Krakowie”",
    "legal_form": "association",
    "nip": "8567346215",
    "regon": "192598184",
    "krs": "",
    "address": "ul. Przykładowa 1, 30-001 Kraków",
}

# (e-mail, first name, last name, user fields)
DEMO_ACCOUNTS = [
    ("koordynator@example.org", "Katarzyna", "Koordynująca", {"is_coordinator": True}),
    ("moderator@example.org", "Marek", "Moderujący", {}),
    ("ngo@example.org", "Natalia", "Organizacyjna", {}),
    ("ekspert@example.org", "Edward", "Ekspercki", {"is_expert": True}),
    ("urzednik@example.org", "Urszula", "Urzędnicza", {"is_official": True}),
    ("admin@example.org", "Adam", "Administrator", {"is_staff": True, "is_superuser": True}),
]


class Command(BaseCommand):
    help = "Load the seeds (programme, teams, meeting of 6 July 2011, 18 actions), demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--next-cycle",
            action="store_true",
            help=(
                "Also start the next, empty programme after the seeds' one (its period and "
                "title derived from the seeds'), so that the seeds' cycle shows in the archive."
            ),
        )

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        programme = self._programme()
        teams = self._teams(programme)
        meeting = self._meeting(teams[seed_data.MEETING_TEAM_SLUG])
        users = self._accounts(teams[seed_data.MEETING_TEAM_SLUG])
        record_past(
            actor=User.objects.get(email="moderator@example.org"),
            action=TeamsAudit.MEETING_PUBLISHED,
            target=meeting,
            at=meeting.published_at,
        )
        seed_consultations(meeting=meeting, stdout=self.stdout)  # type: ignore[arg-type]  # a TextIO wrapper
        # After the 2011 round's report: version 1 keeps the annexes it is published with
        # (DraftVersion.annexes), that report among them; the open round consults it.
        version = seed_programme_draft(programme=programme, meeting=meeting)
        opened = Round.objects.get(programme=programme, title=OPEN_TITLE)
        if opened.draft_version_id is None:
            opened.draft_version = version
            opened.save(update_fields=["draft_version"])
        self._frozen_as_published(
            meeting, Round.objects.get(programme=programme, title=SETTLED_TITLE)
        )
        if options.get("next_cycle"):
            self._next_cycle(programme)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(teams)} teams, meeting of {meeting.date}, "
                f"{meeting.actions.count()} actions, {len(users)} demo accounts "
                f"(password {DEMO_PASSWORD})."
            )
        )

    def _frozen_as_published(self, meeting: Meeting, settled: Round) -> None:
        """The meeting's results and the 2011 report, which the demo data publishes without
        their services, frozen as those services freeze them (documents/warming.py, once,
        after the commit): before, they were frozen when first downloaded, so an edit made
        in between read as published in 2011."""
        moderator = User.objects.get(email="moderator@example.org")
        coordinator = User.objects.filter(is_coordinator=True).order_by("pk").first()
        meeting_id, round_id = meeting.pk, settled.pk
        # Robust, as the services send them: a freezing that fails (e.g. DEBUG off before
        # collectstatic, so a PDF's font has no static address yet) is logged, and the
        # publication is frozen when first asked for, as before; the demo data stay loaded.
        transaction.on_commit(
            lambda: meeting_results_published.send(
                sender=Meeting, meeting_id=meeting_id, actor_id=moderator.pk
            ),
            robust=True,
        )
        transaction.on_commit(
            lambda: report_published.send(
                sender=Round, round_id=round_id, actor_id=coordinator.pk if coordinator else None
            ),
            robust=True,
        )

    def _programme(self) -> Programme:
        start, end = seed_data.PROGRAMME_PERIOD
        programme, _ = Programme.objects.update_or_create(
            period_start=start,
            period_end=end,
            kind=ProgrammeKind.MULTI_YEAR,
            defaults={"title": seed_data.PROGRAMME_TITLE, "stage": ProcessStage.PUBLICATION},
            create_defaults={
                "title": seed_data.PROGRAMME_TITLE,
                "stage": ProcessStage.PUBLICATION,
                # Current unless a later cycle (--next-cycle) already is.
                "is_current": not Programme.objects.current()
                .filter(kind=ProgrammeKind.MULTI_YEAR)
                .exists(),
            },
        )
        for position, (kind, title, points) in enumerate(seed_data.CONTEXT_SECTIONS, start=1):
            ContextSection.objects.update_or_create(
                programme=programme,
                position=position,
                defaults={"kind": kind, "title": title, "body": "\n".join(points)},
            )
        return programme

    def _next_cycle(self, seeds: Programme) -> Programme:
        """The programme after the seeds' one, of the same kind and length, its title the
        seeds' with the years changed; empty (no teams carried over, the working copy from
        the statutory template). Created once."""
        length = seeds.period_end - seeds.period_start
        start = seeds.period_end + 1
        existing = Programme.objects.filter(kind=seeds.kind, period_start=start).first()
        if existing is not None:
            return existing
        coordinator = User.objects.filter(is_coordinator=True).order_by("pk").first()
        assert coordinator is not None  # _accounts() made it
        title = seeds.title.replace(
            f"{seeds.period_start} - {seeds.period_end}", f"{start} - {start + length}"
        )
        return programme_create(
            actor=coordinator,
            kind=seeds.kind,
            title=title,
            period_start=start,
            period_end=start + length,
            carry_over_teams=False,
            working_copy=WorkingCopyStart.TEMPLATE,
        )

    def _teams(self, programme: Programme) -> dict[str, Team]:
        teams = {}
        for position, (slug, name, other_names) in enumerate(seed_data.TEAMS, start=1):
            teams[slug], _ = Team.objects.update_or_create(
                slug=slug,
                defaults={
                    "programme": programme,
                    "name": name,
                    "name_en": seed_data.TEAM_NAMES_EN[slug],
                    "other_names": other_names,
                    "position": position,
                },
            )
        return teams

    def _meeting(self, team: Team) -> Meeting:
        meeting, _ = Meeting.objects.update_or_create(
            team=team,
            date=dt.date(*seed_data.MEETING_DATE),
            title=seed_data.MEETING_TITLE,
            defaults={
                "status": Meeting.Status.PUBLISHED,
                # Before the consultation of its results opened (demo.consultations).
                "published_at": dt.datetime(*seed_data.MEETING_PUBLISHED, tzinfo=WARSAW),
                "rules": "\n".join(seed_data.MEETING_RULES),
                "next_steps": "\n".join(seed_data.MEETING_NEXT_STEPS),
                "annex_number": seed_data.ANNEX_NUMBER,
                "annex_title": seed_data.ANNEX_TITLE,
            },
        )
        topic_position = 0
        for position, (numeral, title, topics) in enumerate(seed_data.MEETING_PLAN, start=1):
            item, _ = AgendaItem.objects.update_or_create(
                meeting=meeting, position=position, defaults={"numeral": numeral, "title": title}
            )
            for topic_title in topics:
                topic_position += 1
                SwotTopic.objects.update_or_create(
                    meeting=meeting,
                    position=topic_position,
                    defaults={"title": topic_title, "agenda_item": item},
                )
        for number, text in enumerate(seed_data.ANNEX_3_ACTIONS, start=1):
            Action.objects.update_or_create(
                meeting=meeting, number=number, defaults={"team": team, "text": text}
            )
        return meeting

    def _accounts(self, team: Team) -> list[User]:
        organisation, _ = Organisation.objects.update_or_create(
            nip=DEMO_ORGANISATION["nip"], defaults=DEMO_ORGANISATION
        )
        users = []
        for email, first_name, last_name, fields in DEMO_ACCOUNTS:
            user, _ = User.objects.update_or_create(
                email=email,
                defaults={"first_name": first_name, "last_name": last_name, **fields},
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            users.append(user)
        by_email = {u.email: u for u in users}
        coordinator = by_email["koordynator@example.org"]
        if organisation.verified_at is None:
            organisation.verified_at = organisation.created_at
            organisation.verified_by = coordinator
            organisation.save(update_fields=["verified_at", "verified_by"])
        approve_representation(by_email["ngo@example.org"], organisation, coordinator)
        for email, role in [
            ("moderator@example.org", Membership.Role.MODERATOR),
            ("ngo@example.org", Membership.Role.MEMBER),
        ]:
            Membership.objects.update_or_create(
                user=by_email[email],
                team=team,
                defaults={"role": role, "status": Membership.Status.APPROVED},
            )
        return users
