"""An organisation takes back its support of a comment while the round takes supports: the
round page offers it to those who speak for the organisation, the report no longer counts it,
and the audit log keeps who gave it, when, and who withdrew it."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from consultations.audit import ConsultationsAudit
from consultations.models import Comment, Round, Support
from core.models import AuditEntry
from teams.models import Organisation, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
HX = {"HTTP_HX_REQUEST": "true"}


def _urls(comment: Comment) -> tuple[str, str]:
    base = f"/consultations/comments/{comment.pk}/support/"
    return base, base + "withdraw/"


@pytest.fixture
def supported(
    open_round: Round, make_comment: Callable[..., Comment], other_rep: User, as_user: Login
) -> Comment:
    comment = make_comment(open_round, "Wspieramy, potem nie")
    organisation = Organisation.objects.get(representations__user=other_rep)
    support, _withdraw = _urls(comment)
    assert as_user(other_rep).post(support, {"organisation": organisation.pk}).status_code == 302
    return comment


def test_a_representative_withdraws_the_support_and_may_give_it_again(
    supported: Comment, open_round: Round, other_rep: User, coordinator: User, as_user: Login
) -> None:
    organisation = Organisation.objects.get(representations__user=other_rep)
    client = as_user(other_rep)
    support, withdraw = _urls(supported)
    page = client.get(open_round.get_absolute_url()).content.decode()
    assert f'action="{withdraw}"' in page
    assert f"Withdraw the support of {organisation.name}" in page

    response = client.post(withdraw, {"organisation": organisation.pk}, **HX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f"The support of {html.escape(organisation.name)} has been withdrawn." in body
    assert "Supported by" not in body and f'action="{withdraw}"' not in body
    assert f'action="{support}"' in body  # the support may be given again
    assert not Support.objects.filter(comment=supported).exists()

    entry = AuditEntry.objects.get(action=ConsultationsAudit.COMMENT_SUPPORT_WITHDRAW)
    assert entry.actor == other_rep and entry.target_id == str(supported.pk)
    assert entry.data["organisation"] == organisation.pk
    assert entry.data["organisation_name"] == organisation.name
    assert entry.data["supported_by"] == other_rep.pk
    assert dt.datetime.fromisoformat(entry.data["supported_at"])

    # The round's moderation log says whose support it was and since when.
    log = as_user(coordinator).get(f"/consultations/{open_round.pk}/audit/").content.decode()
    given = timezone.localtime(dt.datetime.fromisoformat(entry.data["supported_at"]))
    assert f"support of {html.escape(organisation.name)}, given {given:%d.%m.%Y %H:%M}" in log

    # Everyone else's page (cached) shows the support gone at once.
    reader = as_user(None).get(open_round.get_absolute_url()).content.decode()
    assert "Wspieramy, potem nie" in reader and "Supported by" not in reader
    assert client.post(support, {"organisation": organisation.pk}).status_code == 302
    assert Support.objects.filter(comment=supported, organisation=organisation).exists()


def test_without_javascript_the_withdrawal_leads_back_to_the_comment(
    supported: Comment, other_rep: User, as_user: Login
) -> None:
    organisation = Organisation.objects.get(representations__user=other_rep)
    _support, withdraw = _urls(supported)
    response = as_user(other_rep).post(withdraw, {"organisation": organisation.pk}, follow=True)
    assert response.redirect_chain[0][0].endswith(f"#comment-{supported.pk}-message")
    notice = f"The support of {html.escape(organisation.name)} has been withdrawn."
    assert notice in response.content.decode()
    assert not Support.objects.filter(comment=supported).exists()


def test_only_one_who_speaks_for_the_organisation_may_withdraw_its_support(
    supported: Comment, member: User, expert: User, as_user: Login, open_round: Round
) -> None:
    organisation = Support.objects.get(comment=supported).organisation
    _support, withdraw = _urls(supported)
    # The comment's author speaks for another organisation: not offered, and refused.
    page = as_user(member).get(open_round.get_absolute_url()).content.decode()
    assert "Withdraw the support of" not in page
    refused = as_user(member).post(withdraw, {"organisation": organisation.pk}, **HX)
    assert "None of your organisations supports this comment (any more)." in (
        refused.content.decode()
    )
    # An expert speaks for no organisation at all.
    assert as_user(expert).post(withdraw, {"organisation": organisation.pk}).status_code == 403
    assert as_user(None).post(withdraw, {"organisation": organisation.pk}).status_code == 302
    assert Support.objects.filter(comment=supported).count() == 1
    assert not AuditEntry.objects.filter(action=ConsultationsAudit.COMMENT_SUPPORT_WITHDRAW)


def test_once_the_round_closes_the_supports_are_part_of_the_record(
    supported: Comment, open_round: Round, other_rep: User, as_user: Login
) -> None:
    organisation = Organisation.objects.get(representations__user=other_rep)
    _support, withdraw = _urls(supported)
    client = as_user(other_rep)
    with time_machine.travel(open_round.closes_at + dt.timedelta(seconds=1)):
        page = client.get(open_round.get_absolute_url()).content.decode()
        assert "Withdraw the support of" not in page
        response = client.post(withdraw, {"organisation": organisation.pk}, **HX)
    assert "The round no longer takes supports" in response.content.decode()
    assert Support.objects.filter(comment=supported).count() == 1


def test_the_service_refuses_a_support_already_withdrawn(
    supported: Comment, other_rep: User
) -> None:
    from consultations import services

    organisation = Organisation.objects.get(representations__user=other_rep)
    services.comment_support_withdraw(actor=other_rep, comment=supported, organisation=organisation)
    with pytest.raises(services.Refused, match="does not support"):
        services.comment_support_withdraw(
            actor=other_rep, comment=supported, organisation=organisation
        )
    assert (
        AuditEntry.objects.filter(action=ConsultationsAudit.COMMENT_SUPPORT_WITHDRAW).count() == 1
    )
