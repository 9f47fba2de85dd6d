"""Issue 16, item 3: a newcomer is told by e-mail when the coordinating team verifies their
organisation, decides their representation, or a moderator decides their team request; in
their language, exactly once, with the reason when one was given."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from notifications.models import Outbox
from notifications.outbox import outbox_sweep
from teams import services
from teams.models import Meeting, Membership, Organisation, Representation, Team, User

pytestmark = pytest.mark.django_db


def _sent(kind: str) -> list[mail.EmailMessage]:
    ids = set(Outbox.objects.filter(kind=kind).values_list("pk", flat=True))
    mail.outbox.clear()
    outbox_sweep()
    return [m for m in mail.outbox if int(m.extra_headers["X-Outbox-Id"]) in ids]


@pytest.fixture
def newcomer(seeded: Meeting) -> User:
    return User.objects.create_user("nowa@example.org", "a-long-Passw0rd-for-tests")


@pytest.fixture
def registered(newcomer: User) -> Organisation:
    return services.organisation_register(
        actor=newcomer, name="Stowarzyszenie Nowe", legal_form="association", nip="5260250274"
    )


@pytest.fixture
def team(seeded: Meeting) -> Team:
    return seeded.team


def test_it_tells_the_registrant_that_the_organisation_is_verified_in_polish(
    coordinator: User, newcomer: User, registered: Organisation
) -> None:
    services.organisation_verify(actor=coordinator, organisation=registered)
    (row,) = Outbox.objects.filter(kind="organisation_verified")
    assert row.recipient == newcomer
    (message,) = _sent("organisation_verified")
    assert message.to == [newcomer.email]
    assert (
        message.subject == "[Kraków NGO] " + "Organizacja Stowarzyszenie Nowe została zweryfikowana"
    )
    assert "Zespół Koordynujący zweryfikował organizację Stowarzyszenie Nowe." in message.body
    assert reverse("teams:organisation-detail", kwargs={"pk": registered.pk}) in message.body


def test_it_tells_in_english_to_who_chose_english(
    coordinator: User, newcomer: User, registered: Organisation
) -> None:
    newcomer.language = "en"
    newcomer.save(update_fields=["language"])
    services.organisation_verify(actor=coordinator, organisation=registered)
    (message,) = _sent("organisation_verified")
    assert message.subject == "[Kraków NGO] " + "Stowarzyszenie Nowe is verified"


def test_verifying_from_the_coordination_page_queues_one_message(
    client: Client, coordinator: User, newcomer: User, registered: Organisation
) -> None:
    client.force_login(coordinator)
    url = reverse("teams:organisation-verify", kwargs={"pk": registered.pk})
    client.post(url)
    client.post(url)  # a second click: already verified, nothing more is sent
    assert Outbox.objects.filter(kind="organisation_verified").count() == 1


def test_an_approved_representation_is_told_once(
    coordinator: User, newcomer: User, registered: Organisation
) -> None:
    representation = Representation.objects.get(user=newcomer)
    services.representation_decide(actor=coordinator, representation=representation, approve=True)
    (message,) = _sent("representation_decided")
    assert message.to == [newcomer.email]
    assert (
        message.subject
        == "[Kraków NGO] Prośba o występowanie w imieniu organizacji Stowarzyszenie Nowe została "
        "zatwierdzona; organizacja czeka na weryfikację"
    )
    assert "Zespół Koordynujący zatwierdził Twoją prośbę" in message.body
    assert Outbox.objects.filter(kind="representation_decided").count() == 1


def test_a_refused_representation_is_told_with_the_reason(
    coordinator: User, newcomer: User, registered: Organisation
) -> None:
    representation = Representation.objects.get(user=newcomer)
    services.representation_decide(
        actor=coordinator,
        representation=representation,
        approve=False,
        reason="Nie znaleźliśmy Pani w KRS.",
    )
    (message,) = _sent("representation_decided")
    assert message.to == [newcomer.email]
    assert message.subject == "[Kraków NGO] " + (
        "Prośba o występowanie w imieniu organizacji Stowarzyszenie Nowe została odrzucona"
    )
    assert "Powód: Nie znaleźliśmy Pani w KRS." in message.body


def test_a_refusal_without_a_reason_says_none_was_given(
    coordinator: User, newcomer: User, registered: Organisation
) -> None:
    representation = Representation.objects.get(user=newcomer)
    services.representation_decide(actor=coordinator, representation=representation, approve=False)
    (message,) = _sent("representation_decided")
    assert "Powód" not in message.body


def test_asking_again_after_a_refusal_and_being_approved_is_a_second_message(
    coordinator: User, newcomer: User, registered: Organisation
) -> None:
    representation = Representation.objects.get(user=newcomer)
    services.representation_decide(actor=coordinator, representation=representation, approve=False)
    services.representation_request(actor=newcomer, organisation=registered)
    services.representation_decide(
        actor=coordinator, representation=Representation.objects.get(user=newcomer), approve=True
    )
    assert Outbox.objects.filter(kind="representation_decided", recipient=newcomer).count() == 2


def test_an_approved_team_request_is_told_once(moderator: User, newcomer: User, team: Team) -> None:
    membership = services.membership_request(actor=newcomer, team=team)
    services.membership_decide(actor=moderator, membership=membership, approve=True)
    (message,) = _sent("membership_decided")
    assert message.to == [newcomer.email]
    assert message.subject == "[Kraków NGO] " + f"Jesteś członkiem zespołu branżowego {team.name}"
    assert team.get_absolute_url() in message.body


def test_an_approved_team_request_promises_writing_only_to_who_may_write(
    moderator: User, coordinator: User, newcomer: User, team: Team, member: User
) -> None:
    """A newcomer whose organisation is not verified yet is a member who reads: the e-mail
    says what still waits (My account says the same); a verified representative is told they
    can add to the SWOT analysis and goals."""
    membership = services.membership_request(actor=newcomer, team=team)
    services.membership_decide(actor=moderator, membership=membership, approve=True)
    (message,) = _sent("membership_decided")
    assert "zatwierdzi Cię jako jej przedstawiciela" in message.body
    assert "możesz dopisywać" not in message.body

    other = Team.objects.exclude(pk=team.pk).order_by("pk").first()
    assert other is not None
    membership = services.membership_request(actor=member, team=other)
    services.membership_decide(actor=coordinator, membership=membership, approve=True)
    (message,) = _sent("membership_decided")
    assert "możesz dopisywać elementy analizy SWOT i cele" in message.body
    assert "zatwierdzi Cię" not in message.body


def test_a_refused_team_request_is_told_with_the_reason_in_english(
    moderator: User, newcomer: User, team: Team
) -> None:
    newcomer.language = "en"
    newcomer.save(update_fields=["language"])
    membership = services.membership_request(actor=newcomer, team=team)
    services.membership_decide(
        actor=moderator, membership=membership, approve=False, reason="The team is full."
    )
    (message,) = _sent("membership_decided")
    assert message.to == [newcomer.email]
    assert (
        message.subject
        == "[Kraków NGO] " + f"Your request to join the branch team {team.name_en} was refused"
    )
    assert "Reason: The team is full." in message.body


def test_a_decision_already_taken_sends_nothing_more(
    moderator: User, coordinator: User, newcomer: User, team: Team
) -> None:
    membership = services.membership_request(actor=newcomer, team=team)
    services.membership_decide(actor=moderator, membership=membership, approve=True)
    with pytest.raises(services.AlreadyDecided):
        services.membership_decide(actor=coordinator, membership=membership, approve=False)
    assert Outbox.objects.filter(kind="membership_decided").count() == 1
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.APPROVED
