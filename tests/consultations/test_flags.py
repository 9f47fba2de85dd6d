"""Flags from throwaway accounts: only people who may take part in the round flag its
comments, and towards automatic hiding the flaggers of one organisation count once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from consultations import services
from consultations.models import Comment, Flag, Round
from core.models import AuditEntry
from teams.models import Organisation, Representation, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def _flag(client: Client, comment: Comment, **headers: str) -> object:
    return client.post(
        f"/consultations/comments/{comment.pk}/flag/", {"flag-reason": "Spam"}, **headers
    )


def _representatives(organisation: Organisation, count: int, prefix: str) -> list[User]:
    people = []
    for number in range(count):
        person = User.objects.create_user(f"{prefix}{number}@example.org", "pw-rep-12345")
        Representation.objects.create(user=person, organisation=organisation, status="approved")
        people.append(person)
    return people


@pytest.mark.parametrize("htmx", [False, True])
def test_a_fresh_verified_account_without_a_role_cannot_flag(
    open_round: Round,
    make_comment: Callable[..., Comment],
    unverified: User,
    as_user: Login,
    htmx: bool,
) -> None:
    comment = make_comment(open_round)
    EmailAddress.objects.create(
        user=unverified, email=unverified.email, verified=True, primary=True
    )
    client = as_user(unverified)
    page = client.get(open_round.get_absolute_url()).content.decode()
    assert f"/consultations/comments/{comment.pk}/flag/" not in page
    response = _flag(client, comment, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.flag_count == 0 and not Flag.objects.exists()
    assert not AuditEntry.objects.filter(action="comment.flag").exists()


def test_the_service_refuses_a_flag_from_someone_who_does_not_take_part(
    open_round: Round, make_comment: Callable[..., Comment], unverified: User
) -> None:
    comment = make_comment(open_round)
    with pytest.raises(services.Refused, match="take part"):
        services.comment_flag(actor=unverified, comment=comment, reason="Spam")
    assert not Flag.objects.exists()


def test_flags_from_members_of_one_organisation_count_once_towards_hiding(
    open_round: Round,
    make_comment: Callable[..., Comment],
    other_rep: User,
    expert: User,
    as_user: Login,
    settings: object,
) -> None:
    settings.CONSULTATIONS_AUTO_HIDE_FLAGS = 2  # type: ignore[attr-defined]
    comment = make_comment(open_round)
    organisation = Organisation.objects.get(representations__user=other_rep)
    for person in [other_rep, *_representatives(organisation, 3, "same")]:
        assert _flag(as_user(person), comment).status_code == 302
    comment.refresh_from_db()
    assert comment.flag_count == 4
    assert comment.hidden_at is None  # four flags, one organisation
    _flag(as_user(expert), comment)  # an expert in a personal role is a second voice
    comment.refresh_from_db()
    assert comment.hidden_at is not None and comment.hidden_automatically


def test_a_person_speaking_for_two_organisations_ties_them_into_one_voice(
    open_round: Round,
    make_comment: Callable[..., Comment],
    other_rep: User,
    settings: object,
) -> None:
    settings.CONSULTATIONS_AUTO_HIDE_FLAGS = 2  # type: ignore[attr-defined]
    comment = make_comment(open_round)
    first = Organisation.objects.get(representations__user=other_rep)
    second = Organisation.objects.exclude(pk__in=[first.pk, comment.organisation_id]).filter(
        verified_at__isnull=False
    )[0]
    (both,) = _representatives(second, 1, "both")
    Representation.objects.create(user=both, organisation=first, status="approved")
    services.comment_flag(actor=both, comment=comment)
    services.comment_flag(actor=other_rep, comment=comment)
    comment.refresh_from_db()
    assert comment.flag_count == 2 and comment.hidden_at is None


@pytest.mark.parametrize("htmx", [False, True])
def test_the_person_who_flags_is_told_it_was_received(
    open_round: Round,
    make_comment: Callable[..., Comment],
    expert: User,
    as_user: Login,
    htmx: bool,
) -> None:
    """With JavaScript too: the card comes back with the thanks, not unchanged."""
    comment = make_comment(open_round)
    client = as_user(expert)
    response = _flag(client, comment, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
    if not htmx:
        assert response.status_code == 302
        response = client.get(response["Location"])
    assert response.status_code == 200
    assert "the moderators will look at this comment" in response.content.decode()
    assert Flag.objects.filter(comment=comment, user=expert).exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_comment_already_flagged_offers_its_flagger_no_second_flag(
    open_round: Round,
    make_comment: Callable[..., Comment],
    expert: User,
    other_rep: User,
    as_user: Login,
    htmx: bool,
) -> None:
    """One flag per person: the page says it was sent instead of offering a form the
    service would refuse; someone else who has not flagged it still gets the form."""
    comment = make_comment(open_round)
    flag_url = f"/consultations/comments/{comment.pk}/flag/"
    client = as_user(expert)
    assert flag_url in client.get(open_round.get_absolute_url()).content.decode()
    response = _flag(client, comment, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
    page = client.get(response["Location"]) if not htmx else response
    html = page.content.decode()
    assert flag_url not in html
    assert "You have reported this to the moderators." in html
    # The page read afresh (its threads and controls from the cache) says the same.
    html = client.get(open_round.get_absolute_url()).content.decode()
    assert flag_url not in html and "You have reported this to the moderators." in html
    other = as_user(other_rep).get(open_round.get_absolute_url()).content.decode()
    assert flag_url in other and "You have reported this" not in other
