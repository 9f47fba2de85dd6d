"""Programmes as cycles (issue 13, item 1): the coordinating team starts a programme in the
portal, carries teams over, edits the title; earlier programmes stay in an archive."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client

from core.audit import AuditEntry
from drafts.models import DraftParagraph, DraftVersion, ProgrammeDraft
from drafts.services import STATUTORY_TEMPLATE, _period_for
from notifications.models import Outbox
from notifications.outbox import outbox_sweep
from teams.models import Membership, Programme, ProgrammeKind, Team, User
from teams.services import programme_create
from tests.confirm import CONFIRMED

from .conftest import login

NEW = {
    "kind": "multi_year",
    "title": "Wieloletni Program Współpracy na lata 2015 - 2017",
    "period_start": "2015",
    "period_end": "2017",
    "working_copy": "template",
}


def _post(client, data):
    """The form sent from the confirmation page (starting a programme asks first)."""
    return client.post("/programmes/new/", {**data, **CONFIRMED})


def test_starting_a_programme_asks_first_saying_what_is_archived_and_what_looks_wrong(
    client, coordinator, seeded
):
    """Starting a programme archives the current one and its period cannot be corrected
    afterwards: the form's answer is a confirmation page that says so, warns of a period far
    longer than usual and of a legal deadline already past, and carries what was typed; only
    its "Yes" starts the programme."""
    seeds = seeded.team.programme
    client = login(client, coordinator)
    client.cookies["django_language"] = "en"
    typo = {**NEW, "period_start": "2030", "period_end": "2090", "title": "Program 2030"}
    page = client.post("/programmes/new/", typo)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Start the programme?" in body
    assert "is archived" in body and seeds.title in body
    assert "covers 61 years" in body
    assert "cannot be changed afterwards" in body
    assert 'name="period_end" value="2090"' in body
    assert not Programme.objects.filter(period_start=2030).exists()
    seeds.refresh_from_db()
    assert seeds.is_current
    past = client.post("/programmes/new/", {**NEW, "title": "Program 2015"}).content.decode()
    assert "The legal deadline for adopting a programme starting in 2015" in past
    assert "more than usual" not in past
    carried = client.post("/programmes/new/", {**NEW, "carry_over_teams": "on"}).content.decode()
    assert "members and moderators of the carried-over teams" in carried
    # A period the service would refuse is said on the form, before any confirmation.
    overlapping = client.post("/programmes/new/", {**NEW, "period_start": "2013"})
    assert overlapping.status_code == 400
    assert "overlaps the programme" in overlapping.content.decode()
    assert "Start the programme?" not in overlapping.content.decode()
    assert _post(client, typo).status_code == 302
    assert Programme.objects.get(period_start=2030).is_current


def test_a_coordinator_starts_a_programme_and_the_previous_one_is_archived(
    client, coordinator, seeded
):
    seeds = seeded.team.programme
    response = _post(login(client, coordinator), NEW)
    assert response.status_code == 302
    programme = Programme.objects.get(period_start=2015)
    assert response["Location"] == programme.get_absolute_url()
    assert (programme.kind, programme.period_end, programme.is_current) == (
        "multi_year",
        2017,
        True,
    )
    assert str(programme.legal_deadline) == "2014-11-30"
    seeds.refresh_from_db()
    assert seeds.is_current is False
    assert Programme.objects.filter(pk=seeds.pk).exists()
    assert AuditEntry.objects.filter(action="programme.create").exists()
    # /teams/ now lists the new programme's teams (none carried over) and links the archive.
    page = client.get("/teams/").content.decode()
    assert programme.title in page
    assert "/programmes/#archive" in page
    assert seeded.team.name not in page


def test_an_annual_programme_needs_only_its_year(client, coordinator, seeded):
    data = {**NEW, "kind": "annual", "period_start": "2028", "period_end": ""}
    assert _post(login(client, coordinator), data).status_code == 302
    programme = Programme.objects.get(kind=ProgrammeKind.ANNUAL)
    assert (programme.period_start, programme.period_end) == (2028, 2028)
    assert programme.is_current
    seeded.team.programme.refresh_from_db()
    assert seeded.team.programme.is_current  # another kind: still current


def test_carrying_over_copies_teams_moderators_and_members_and_tells_each(
    client, coordinator, seeded, django_capture_on_commit_callbacks
):
    old_teams = list(seeded.team.programme.teams.order_by("pk"))
    old_people = set(
        Membership.objects.filter(
            team__in=old_teams, status=Membership.Status.APPROVED
        ).values_list("team__name", "user__email", "role")
    )
    assert old_people  # the seeds have a moderator and members
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(login(client, coordinator), {**NEW, "carry_over_teams": "on"})
    assert response.status_code == 302
    programme = Programme.objects.get(period_start=2015)
    new_teams = list(programme.teams.all())
    assert sorted(t.name for t in new_teams) == sorted(t.name for t in old_teams)
    assert all(t.slug not in {o.slug for o in old_teams} for t in new_teams)
    new_people = set(
        Membership.objects.filter(
            team__programme=programme, status=Membership.Status.APPROVED
        ).values_list("team__name", "user__email", "role")
    )
    assert new_people == old_people
    outbox_sweep()
    told = {(m.to[0], m.subject) for m in mail.outbox}
    for _team, email, _role in old_people:
        assert any(to == email for to, _subject in told), email
    message = next(m for m in mail.outbox if "/leave/" in m.body)
    assert "/teams/" in message.body
    # The old teams keep their members and pages.
    assert Membership.objects.filter(team__in=old_teams).count() >= len(old_people)


def test_a_carried_member_can_leave_the_new_team(client, coordinator, moderator, seeded):
    seeds = seeded.team.programme
    programme_create(
        actor=coordinator,
        kind=seeds.kind,
        title="Nowy program",
        period_start=2015,
        period_end=2017,
        carry_over_teams=True,
    )
    team = Team.objects.get(programme__period_start=2015, name=seeded.team.name)
    assert Membership.objects.filter(team=team, user=moderator).exists()
    login(client, moderator)
    assert client.get(f"/teams/{team.slug}/leave/").status_code == 200
    response = client.post(f"/teams/{team.slug}/leave/")
    assert response.status_code == 302
    assert not Membership.objects.filter(team=team, user=moderator).exists()
    assert Membership.objects.filter(team=seeded.team, user=moderator).exists()
    assert AuditEntry.objects.filter(action="membership.leave").exists()
    # Leaving twice is told, not a 500.
    assert client.post(f"/teams/{team.slug}/leave/", follow=True).status_code == 200


def test_the_working_copy_starts_from_the_statutory_template(coordinator, seeded):
    programme = programme_create(
        actor=coordinator, kind="multi_year", title="P", period_start=2015, period_end=2017
    )
    draft = ProgrammeDraft.objects.get(programme=programme)
    assert draft.sections.count() == 12
    texts = list(DraftParagraph.objects.filter(section__draft=draft).values_list("text", flat=True))
    assert len(texts) == sum(len(p) for p in STATUTORY_TEMPLATE.values())
    assert "Program realizowany jest w latach 2015–2017." in texts


def test_the_working_copy_starts_from_the_previous_adopted_text(coordinator, seeded):
    seeds = seeded.team.programme
    adopted = DraftVersion.objects.filter(draft__programme=seeds).order_by("number").first()
    DraftVersion.objects.filter(pk=adopted.pk).update(adopted=True)
    programme = programme_create(
        actor=coordinator,
        kind="multi_year",
        title="P",
        period_start=2015,
        period_end=2017,
        working_copy="previous",
    )
    old = [p["text"] for s in adopted.snapshot["sections"] for p in s["paragraphs"]]
    new = DraftParagraph.objects.filter(section__draft__programme=programme).order_by(
        "section__element", "position"
    )
    # Word for word, but for the period, which is the new programme's (art. 5a ust. 4 pkt 6):
    # copied as it was, the new draft said "w latach 2012–2014".
    previous = f"w latach {seeds.period}"
    assert any(previous in text for text in old)
    assert [p.text for p in new] == [text.replace(previous, "w latach 2015–2017") for text in old]
    assert not any(previous in p.text for p in new)
    old_uids = {p["uid"] for s in adopted.snapshot["sections"] for p in s["paragraphs"]}
    assert not old_uids & {str(p.uid) for p in new}


def test_without_an_adopted_version_the_previous_text_is_refused(client, coordinator, seeded):
    response = _post(login(client, coordinator), {**NEW, "working_copy": "previous"})
    assert response.status_code == 200
    assert "no adopted version" in response.content.decode() or "przyjętej" in (
        response.content.decode()
    )
    assert not Programme.objects.filter(period_start=2015).exists()
    seeded.team.programme.refresh_from_db()
    assert seeded.team.programme.is_current


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period_start": "2015", "period_end": "2014"}, "Ostatni rok programu nie może"),
        ({"period_start": "2013", "period_end": "2016"}, "pokrywa się"),
        ({"title": "    "}, "To pole jest wymagane"),
        ({"kind": "annual", "period_start": "2028", "period_end": "2029"}, "roczny"),
        ({"period_start": "2028", "period_end": ""}, "co najmniej dwa lata"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(
    client, coordinator, seeded, data, message
):
    before = (Programme.objects.count(), Team.objects.count(), ProgrammeDraft.objects.count())
    response = _post(login(client, coordinator), {**NEW, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    after = (Programme.objects.count(), Team.objects.count(), ProgrammeDraft.objects.count())
    assert after == before
    seeded.team.programme.refresh_from_db()
    assert seeded.team.programme.is_current


def test_the_database_keeps_one_current_programme_per_kind(seeded):
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(
            title="X", kind="multi_year", period_start=2030, period_end=2031, is_current=True
        )


def test_a_second_coordinator_starting_at_once_is_told(client, coordinator, seeded, monkeypatch):
    """The other coordinator's programme was committed between this one's checks and its
    insert: the constraint decides, and this one gets a 409 with a message."""
    from teams import services

    real_check = services.check_programme_period

    def racing_check(kind, start, end):
        real_check(kind, start, end)
        Programme.objects.filter(pk=seeded.team.programme.pk).update(is_current=False)
        Programme.objects.create(
            title="Zdążył pierwszy", kind=kind, period_start=2040, period_end=2041, is_current=True
        )

    monkeypatch.setattr(services, "check_programme_period", racing_check)
    response = _post(login(client, coordinator), NEW)
    assert response.status_code == 409
    assert "Inny koordynator" in response.content.decode()
    assert not Programme.objects.filter(period_start=2015).exists()


@pytest.mark.parametrize("persona", ["moderator", "member", "expert"])
def test_only_the_coordinating_team_starts_or_edits_a_programme(client, request, persona, seeded):
    login(client, request.getfixturevalue(persona))
    programme = seeded.team.programme
    assert client.get("/programmes/new/").status_code == 403
    assert _post(client, NEW).status_code == 403
    edit = f"/programmes/{programme.pk}/edit/"
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"title": "Przejęty"}).status_code == 403
    programme.refresh_from_db()
    assert programme.title != "Przejęty"
    assert not Programme.objects.filter(period_start=2015).exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, seeded):
    assert client.get("/programmes/new/").status_code == 302


def test_a_coordinator_edits_the_title(client, coordinator, seeded):
    programme = seeded.team.programme
    login(client, coordinator)
    edit = f"/programmes/{programme.pk}/edit/"
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"title": "  Program na lata 2012–2014  "})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.title == "Program na lata 2012–2014"
    assert AuditEntry.objects.filter(action="programme.update").exists()
    blank = client.post(edit, {"title": "   "})
    assert blank.status_code == 200
    programme.refresh_from_db()
    assert programme.title == "Program na lata 2012–2014"


def test_the_archive_and_every_old_url_keep_working(client, coordinator, seeded):
    seeds = seeded.team.programme
    version = DraftVersion.objects.filter(draft__programme=seeds).first()
    round_ = seeds.rounds.visible().first()
    programme_create(
        actor=coordinator, kind="multi_year", title="P", period_start=2015, period_end=2017
    )
    archive = client.get("/programmes/")
    assert archive.status_code == 200
    assert seeds.get_absolute_url() in archive.content.decode()
    page = client.get(seeds.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert seeded.team.get_absolute_url() in text
    assert seeded.get_absolute_url() in text
    assert version.get_absolute_url() in text
    assert round_.get_absolute_url() in text
    for url in (
        seeded.team.get_absolute_url(),
        seeded.get_absolute_url(),
        version.get_absolute_url(),
        round_.get_absolute_url(),
        f"/teams/{seeded.team.slug}/calendar.ics",
    ):
        assert client.get(url).status_code == 200, url


def test_seed_demo_next_cycle_adds_an_empty_cycle_once(client, seeded):
    seeds = seeded.team.programme
    call_command("seed_demo", "--next-cycle", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", "--next-cycle", stdout=open("/dev/null", "w"))  # noqa: SIM115
    following = Programme.objects.get(period_start=2015)
    assert (following.period_end, following.kind, following.is_current) == (
        2017,
        seeds.kind,
        True,
    )
    assert following.title == seeds.title.replace("2012 - 2014", "2015 - 2017")
    assert not following.teams.exists()
    seeds.refresh_from_db()
    assert not seeds.is_current
    # Plain seed_demo stays the seeds' cycle and does not make it current again.
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    seeds.refresh_from_db()
    assert not seeds.is_current
    assert Programme.objects.count() == 2
    assert Outbox.objects.filter(kind="team_carried_over").count() == 0
    # A newcomer finds the seeds' cycle in the archive; the pages of the empty cycle work.
    for url in ("/", "/teams/", "/programme/context/", following.get_absolute_url()):
        assert client.get(url).status_code == 200, url
    archive = client.get("/programmes/").content.decode()
    assert archive.index(following.get_absolute_url()) < archive.index('id="archive"')
    assert archive.index('id="archive"') < archive.index(seeds.get_absolute_url())


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_starting_the_same_programme_at_once_store_one(coordinator):
    """Both post at the same moment: one programme is stored, the other coordinator is told
    (on PostgreSQL the second waits on the lock of the current programme, on SQLite on the
    write lock; either then finds the first one's programme)."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.fail("needs a file database so that two threads share it")
    other = User.objects.create_user("koordynator2@example.org", "x", is_coordinator=True)
    barrier = threading.Barrier(2)
    answers: list[tuple[int, str]] = []

    def start(person: User) -> None:
        client = Client()
        client.force_login(person)
        barrier.wait()
        try:
            response = client.post("/programmes/new/", {**NEW, **CONFIRMED})
            answers.append((response.status_code, response.content.decode()))
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(p,)) for p in (coordinator, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(status for status, _ in answers) in ([200, 302], [302, 409])
    refused = next(body for status, body in answers if status != 302)
    assert "pokrywa się" in refused or "Inny koordynator" in refused
    assert Programme.objects.filter(period_start=2015).count() == 1
    assert Programme.objects.current().filter(kind="multi_year").count() == 1


def test_a_person_who_left_before_the_email_went_out_is_not_told(coordinator, moderator, seeded):
    seeds = seeded.team.programme
    programme_create(
        actor=coordinator,
        kind=seeds.kind,
        title="Nowy program",
        period_start=2015,
        period_end=2017,
        carry_over_teams=True,
    )
    team = Team.objects.get(programme__period_start=2015, name=seeded.team.name)
    rows = Outbox.objects.filter(kind="team_carried_over", recipient=moderator)
    assert rows.count() == 1
    Membership.objects.filter(team=team, user=moderator).delete()
    mail.outbox.clear()
    outbox_sweep()
    assert not [m for m in mail.outbox if m.to == [moderator.email]]


def test_a_reworded_period_chapter_becomes_the_statutory_sentence(seeded):
    """The old chapter does not name the old period as the template does ("2012-2014" with a
    hyphen): kept, it would state the old years beside the new ones."""
    old = seeded.team.programme
    new = Programme(kind=ProgrammeKind.ANNUAL, title="P", period_start=2030, period_end=2030)
    reworded = ["Program obowiązuje w okresie 2012-2014."]
    assert _period_for(reworded, old, new) == ["Program realizowany jest w roku 2030."]
