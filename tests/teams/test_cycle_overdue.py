"""A cycle date that passed with its obligation unmet (teams.cycle.overdue_dates): the
coordinating team is told once, the day after (Europe/Warsaw), and the programme's page marks
the date overdue. No notice for a met obligation, for an archived programme's adoption, or for a
date the programme was never reminded of (created or back-filled after it)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from drafts import services as draft_services
from drafts.models import DraftVersion
from implementation import services as implementation_services
from notifications.models import Outbox
from notifications.outbox import outbox_sweep
from teams import cycle
from teams.models import Meeting, Programme, ProgrammeKind, User
from teams.notices import overdue_due, programme_reminders_schedule
from teams.services import programme_create

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
UTC = dt.UTC
REASON = "Dane zbierane są poza portalem."
OVERDUE = "programme_deadline_overdue"
MARK = "overdue: not recorded as done"
DONE = ">recorded as done</span>"  # not the end of MARK


def warsaw(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WARSAW)


def schedule_at(moment: dt.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        programme_reminders_schedule(moment)


def sweep_at(moment: dt.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        outbox_sweep(now=moment)


def overdue(programme: Programme):
    return Outbox.objects.filter(kind=OVERDUE, subject_id=str(programme.pk))


def sent_to(user: User) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


@pytest.fixture
def annual_2028(seeded: Meeting, coordinator: User, settings) -> Programme:
    """A current annual programme: adoption due 30 November 2027, not adopted."""
    settings.PROGRAMME_REMINDER_DAYS = 14
    return programme_create(
        actor=coordinator,
        kind=ProgrammeKind.ANNUAL,
        title="Program współpracy na rok 2028",
        period_start=2028,
        period_end=2028,
    )


@pytest.fixture
def archived(seeded: Meeting, coordinator: User, settings) -> Programme:
    """The seeds' programme 2012–2014, adopted, its reports on 2012 and 2013 published (not on
    2014), archived by starting the programme 2015–2017."""
    settings.PROGRAMME_REMINDER_DAYS = 14
    seeds = seeded.team.programme
    draft_services.draft_version_adopt(
        actor=coordinator,
        version=DraftVersion.objects.get(draft__programme=seeds, number=1),
        number="XXI/123/11",
        date=timezone.localdate(),
        url="https://www.bip.krakow.pl/",
    )
    for year in (2012, 2013):
        implementation_services.report_publish(
            actor=coordinator, programme=seeds, year=year, reason=REASON
        )
    programme_create(
        actor=coordinator,
        kind=ProgrammeKind.MULTI_YEAR,
        title="Program 2015–2017",
        period_start=2015,
        period_end=2017,
    )
    seeds.refresh_from_db()
    assert not seeds.is_current
    return seeds


def test_it_tells_the_coordinating_team_once_the_day_after_a_missed_adoption(
    annual_2028: Programme, coordinator: User
) -> None:
    sweep_at(warsaw(2027, 11, 20))  # the reminder before the date
    # 23:59 on 30 November in Warsaw is 22:59 UTC: the date itself is still in time.
    schedule_at(dt.datetime(2027, 11, 30, 22, 59, tzinfo=UTC))
    assert not overdue(annual_2028).exists()
    # 00:30 on 1 December in Warsaw is still 30 November in UTC.
    moment = dt.datetime(2027, 11, 30, 23, 30, tzinfo=UTC)
    mail.outbox.clear()
    sweep_at(moment)  # the beat's sweep runs the schedule
    assert overdue(annual_2028).filter(recipient=coordinator).exists()
    sweep_at(moment + dt.timedelta(minutes=1))
    sweep_at(warsaw(2027, 12, 2))  # the next day: nothing again
    rows = overdue(annual_2028).filter(recipient=coordinator)
    assert list(rows.values_list("occasion", flat=True)) == ["adoption-2027-11-30"]
    assert rows.get().sent_at is not None
    [message] = sent_to(coordinator)
    assert "Uchwalenie programu przez Radę Miasta Krakowa" in message.subject
    assert "30 listopada 2027" in message.subject
    assert "art. 5a" in message.body
    assert "/programme-draft/" in message.body
    assert annual_2028.get_absolute_url() in message.body


def test_it_tells_an_english_coordinator_in_english(
    annual_2028: Programme, coordinator: User
) -> None:
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    with translation.override("pl"):  # the worker's language is the portal's default
        sweep_at(warsaw(2027, 11, 20))
        mail.outbox.clear()
        sweep_at(warsaw(2027, 12, 1))
    [message] = sent_to(coordinator)
    assert message.subject.endswith(
        "Deadline passed: Adoption of the programme by the City Council (due by 30 November 2027)"
    )
    assert "art. 5a ust. 1 of the Act of 24 April 2003" in message.body


@pytest.mark.parametrize(
    "moment",
    [
        warsaw(2027, 12, 3),  # the sweep did not run for two days: too late to catch up
        warsaw(2027, 12, 14),  # no second notice two weeks later
        warsaw(2028, 11, 30),
    ],
)
def test_it_catches_up_for_two_days_only(annual_2028: Programme, moment: dt.datetime) -> None:
    schedule_at(warsaw(2027, 11, 20))
    schedule_at(moment)
    assert not overdue(annual_2028).exists()


def test_a_sweep_that_missed_the_first_day_catches_up_on_the_second(
    annual_2028: Programme, coordinator: User
) -> None:
    schedule_at(warsaw(2027, 11, 20))
    schedule_at(warsaw(2027, 12, 2, 23, 59))
    assert overdue(annual_2028).filter(recipient=coordinator).count() == 1


def test_a_programme_created_after_the_date_sends_no_notice(annual_2028: Programme) -> None:
    """Never reminded of the date (it did not exist in the portal before it): no notice."""
    schedule_at(warsaw(2027, 12, 1))
    assert not overdue(annual_2028).exists()


def test_the_demo_programme_wakes_nobody_for_its_past_years(seeded: Meeting) -> None:
    """The seeds' programme 2012–2014 is loaded years after its dates: none was reminded."""
    seeds = seeded.team.programme
    for moment in (warsaw(2011, 12, 1), warsaw(2013, 6, 1), warsaw(2014, 4, 1)):
        schedule_at(moment)
    assert not overdue(seeds).exists()


def test_an_archived_programmes_missed_report_is_told(
    archived: Programme, coordinator: User
) -> None:
    sweep_at(warsaw(2015, 5, 20))
    mail.outbox.clear()
    sweep_at(warsaw(2015, 6, 1, 7, 0))
    assert list(
        overdue(archived).filter(recipient=coordinator).values_list("occasion", flat=True)
    ) == ["implementation-report-2014-2015-05-31"]
    [message] = sent_to(coordinator)
    assert "2014" in message.subject
    assert "art. 5a" in message.body
    assert f"/programmes/{archived.pk}/implementation/" in message.body


def test_a_report_published_on_time_gets_no_notice(archived: Programme, coordinator: User) -> None:
    schedule_at(warsaw(2015, 5, 20))
    with time_machine.travel(warsaw(2015, 5, 31, 15, 0), tick=False):
        implementation_services.report_publish(
            actor=coordinator, programme=archived, year=2014, reason=REASON
        )
    schedule_at(warsaw(2015, 6, 1))
    assert not overdue(archived).exists()


def test_a_notice_queued_is_dropped_if_the_report_is_published_before_it_goes(
    archived: Programme, coordinator: User
) -> None:
    schedule_at(warsaw(2015, 5, 20))
    schedule_at(warsaw(2015, 6, 1))
    assert overdue(archived).filter(recipient=coordinator).exists()
    implementation_services.report_publish(
        actor=coordinator, programme=archived, year=2014, reason=REASON
    )
    mail.outbox.clear()
    sweep_at(warsaw(2015, 6, 1, 9, 1))
    assert not sent_to(coordinator)
    assert all(row.cancelled_at is not None for row in overdue(archived))


def test_an_archived_programmes_adoption_is_never_overdue(
    seeded: Meeting, coordinator: User, settings
) -> None:
    """Its adoption was superseded by the programme that replaced it, as for the reminders."""
    settings.PROGRAMME_REMINDER_DAYS = 14
    seeds = seeded.team.programme
    schedule_at(warsaw(2011, 11, 20))  # reminded while current
    programme_create(
        actor=coordinator,
        kind=ProgrammeKind.MULTI_YEAR,
        title="Program 2015–2017",
        period_start=2015,
        period_end=2017,
    )
    schedule_at(warsaw(2011, 12, 1))
    assert not overdue(seeds).exists()


def test_the_current_programmes_unmet_adoption_is_overdue(
    seeded: Meeting, coordinator: User, settings
) -> None:
    """The control for the test above: the same dates while the programme is current."""
    settings.PROGRAMME_REMINDER_DAYS = 14
    seeds = seeded.team.programme
    schedule_at(warsaw(2011, 11, 20))
    schedule_at(warsaw(2011, 12, 1))
    assert overdue(seeds).filter(recipient=coordinator).count() == 1


@pytest.mark.parametrize(
    ("reviewed", "met"),
    [(None, False), (dt.date(2027, 3, 2), True), (dt.date(2027, 5, 4), True)],
)
def test_the_accessibility_review_is_met_by_the_deployments_review_date(
    settings, reviewed: dt.date | None, met: bool
) -> None:
    settings.ACCESSIBILITY_PREPARED = dt.date(2026, 11, 23)
    settings.ACCESSIBILITY_REVIEWED = reviewed
    programme = Programme(title="P", period_start=2026, period_end=2027, is_current=True)
    assert cycle.is_fulfilled(programme, "accessibility-review-2026")  # prepared that year
    assert cycle.is_fulfilled(programme, "accessibility-review-2027") is met
    assert not cycle.is_fulfilled(programme, "accessibility-review-2028")


def test_every_date_names_its_legal_basis() -> None:
    bases = {entry.key: entry.basis for entry in cycle.cycle_dates(2028, 2028)}
    assert "5a ust. 1" in bases["adoption"]
    assert "5a ust. 3" in bases["implementation-report-2028"]
    assert "art. 10" in bases["accessibility-review-2028"]


def _calendar_rows(client: Client, programme: Programme, moment: dt.datetime) -> str:
    with time_machine.travel(moment, tick=False):
        response = client.get(programme.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('id="calendar-heading"')
    return page[start : page.index("</table>", start)]


def test_the_programme_page_marks_a_passed_unmet_date_overdue_in_words(
    client: Client, seeded: Meeting
) -> None:
    client.cookies["django_language"] = "en"
    seeds = seeded.team.programme
    assert MARK not in _calendar_rows(client, seeds, warsaw(2011, 11, 30, 23, 59))
    rows = _calendar_rows(client, seeds, warsaw(2011, 12, 1, 0, 0))
    adoption = rows.index('datetime="2011-11-30"')
    assert rows.count(MARK) == 1
    assert adoption < rows.index(MARK) < rows.index("</tr>", adoption)


def test_the_programme_page_marks_only_what_is_still_owed(
    client: Client, archived: Programme, settings
) -> None:
    """Adopted, the 2012 and 2013 reports published, the declaration prepared in 2026: on
    1 June 2015 only the report on 2014 is overdue (an archived programme's adoption never)."""
    settings.ACCESSIBILITY_PREPARED = dt.date(2026, 11, 23)
    client.cookies["django_language"] = "en"
    rows = _calendar_rows(client, archived, warsaw(2015, 6, 1))
    assert rows.count(MARK) == 1
    report = rows.index('datetime="2015-05-31"')
    assert report < rows.index(MARK) < rows.index("</tr>", report)


def test_the_reminder_before_the_date_speaks_the_recipients_language_too(
    annual_2028: Programme, coordinator: User
) -> None:
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    mail.outbox.clear()
    with translation.override("pl"):
        sweep_at(warsaw(2027, 11, 20))
    [message] = sent_to(coordinator)
    assert "Adoption of the programme by the City Council" in message.subject


@pytest.mark.parametrize(("reviewed", "told"), [(None, True), (dt.date(2028, 3, 2), False)])
def test_a_missed_accessibility_review_is_told_unless_the_deployment_recorded_it(
    annual_2028: Programme,
    coordinator: User,
    settings,
    reviewed: dt.date | None,
    told: bool,
) -> None:
    settings.ACCESSIBILITY_PREPARED = dt.date(2026, 11, 23)
    settings.ACCESSIBILITY_REVIEWED = reviewed
    sweep_at(warsaw(2028, 3, 20))
    mail.outbox.clear()
    sweep_at(warsaw(2028, 4, 1))
    messages = sent_to(coordinator)
    assert len(messages) == (1 if told else 0)
    if told:
        assert "2028" in messages[0].subject
        assert "art. 10" in messages[0].body
        assert "/accessibility/" in messages[0].body


def test_no_notice_is_due_on_the_date_itself(annual_2028: Programme) -> None:
    schedule_at(warsaw(2027, 11, 20))
    [adoption] = [d for d in cycle.owed_dates(annual_2028) if d.key == "adoption"]
    assert not overdue_due(annual_2028, adoption, dt.date(2027, 11, 30))
    assert overdue_due(annual_2028, adoption, dt.date(2027, 12, 1))


def _row(rows: str, date: str) -> str:
    start = rows.index(f'datetime="{date}"')
    return rows[start : rows.index("</tr>", start)]


def test_the_programme_page_says_which_obligations_are_recorded_as_done(
    client: Client, archived: Programme, settings
) -> None:
    """The same programme on 1 June 2015: its adoption and the reports on 2012 and 2013 are
    recorded as done, the report on 2014 is overdue, nothing is both. The accessibility
    reviews of 2012–2014 are neither: the declaration prepared in 2026 tells that none is late,
    not that they were done (teams.cycle.RECORDED_PER_DATE)."""
    settings.ACCESSIBILITY_PREPARED = dt.date(2026, 11, 23)
    client.cookies["django_language"] = "en"
    rows = _calendar_rows(client, archived, warsaw(2015, 6, 1))
    for done in ("2011-11-30", "2013-05-31", "2014-05-31"):
        assert DONE in _row(rows, done) and MARK not in _row(rows, done)
    assert MARK in _row(rows, "2015-05-31") and DONE not in _row(rows, "2015-05-31")
    for review in ("2012-03-31", "2013-03-31", "2014-03-31"):
        assert DONE not in _row(rows, review) and MARK not in _row(rows, review)
    statuses = cycle.date_statuses(archived, dt.date(2015, 6, 1))
    assert not any(status.done and status.overdue for status in statuses)
    assert [s.entry.key for s in statuses if s.overdue] == ["implementation-report-2014"]


def test_the_accessibility_review_is_reminded_of_once_with_two_current_programmes(
    annual_2028: Programme, coordinator: User, settings
) -> None:
    """The declaration is the portal's: a multi-year and an annual programme both covering
    2028 sent the coordinating team the same reminder twice."""
    programme_create(
        actor=coordinator,
        kind=ProgrammeKind.MULTI_YEAR,
        title="Wieloletni program współpracy na lata 2027–2029",
        period_start=2027,
        period_end=2029,
    )
    settings.ACCESSIBILITY_PREPARED = dt.date(2026, 11, 23)
    settings.ACCESSIBILITY_REVIEWED = None
    mail.outbox.clear()
    for day in (18, 19, 25):
        sweep_at(warsaw(2028, 3, day))
    reminders = [m for m in sent_to(coordinator) if "(2028)" in m.subject]
    assert len(reminders) == 1, [m.subject for m in reminders]
