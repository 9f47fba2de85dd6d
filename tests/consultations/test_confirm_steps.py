"""Guard rails on a round's irreversible steps (issue 13, item 5): announce, open now, close now
and publish the report ask first on a page that says what will happen and who will be told."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from consultations import services
from consultations.models import Comment, Round
from consultations.phases import Phase
from core.errors import ConflictError
from core.models import AuditEntry
from notifications.models import Outbox
from teams.models import User

from ..confirm import CONFIRMED

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
DAY = dt.timedelta(days=1)

STEPS = [
    (Phase.DRAFT, "announce", Phase.ANNOUNCED, "round_announced"),
    (Phase.ANNOUNCED, "open", Phase.OPEN, "round_opened"),
    (Phase.OPEN, "close", Phase.CLOSED, "round_closed"),
    (Phase.SETTLED, "publish", Phase.REPORT_PUBLISHED, "report_published"),
]
LABELS = {
    "announce": "Announce the round",
    "open": "Open the round now",
    "close": "Close the round now",
    "publish": "Publish the report",
}


def step_url(round_: Round, step: str) -> str:
    return f"/consultations/{round_.pk}/step/{step}/"


def confirm_url(round_: Round, step: str) -> str:
    return step_url(round_, step) + "confirm/"


def announced_count(body: str) -> int:
    if "Nobody will be e-mailed" in body:
        return 0
    found = re.search(r"(?:An e-mail will|E-mails will) be sent to (\d+) (?:person|people)", body)
    assert found, body
    return int(found.group(1))


@pytest.mark.parametrize(("phase", "step", "after", "kind"), STEPS)
def test_it_confirms_each_step_and_emails_exactly_whom_the_page_said(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
    phase: str,
    step: str,
    after: str,
    kind: str,
) -> None:
    round_ = make_round(phase)
    make_comment(round_)  # someone who commented, told of the close and the report
    client = as_user(coordinator)
    detail = client.get(round_.get_absolute_url()).content.decode()
    assert f'href="{confirm_url(round_, step)}"' in detail  # a link, not a one-click form
    page = client.get(confirm_url(round_, step))
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Yes, {LABELS[step][0].lower()}{LABELS[step][1:]}" in body
    assert f'action="{step_url(round_, step)}"' in body
    promised = announced_count(body)
    assert promised > 0
    outbox_before = Outbox.objects.count()

    # A draft round made by the fixture falls short of Kraków's rules (no open meeting): the
    # announcement needs a reason (see the test below), and so does closing before the
    # deadline (tests/consultations/test_rounds.py); the other steps ignore the fields.
    response = client.post(
        step_url(round_, step), {**CONFIRMED, "override_reason": "Test.", "reason": "Test."}
    )

    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.phase == after
    sent = Outbox.objects.filter(subject_id=str(round_.pk), kind=kind)
    assert Outbox.objects.count() - outbox_before == sent.count() == promised


def test_announcing_a_round_short_of_the_rules_asks_the_reason_on_its_confirmation_page(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.DRAFT)
    client = as_user(coordinator)
    page = client.get(confirm_url(round_, "announce")).content.decode()
    assert "open meeting" in page  # the shortfall is listed
    assert 'name="override_reason"' in page

    refused = client.post(step_url(round_, "announce"), CONFIRMED)

    assert refused.status_code == 400  # the confirmation page again, with the reason asked for
    assert 'name="override_reason"' in refused.content.decode()
    round_.refresh_from_db()
    assert round_.phase == Phase.DRAFT and not round_.rules_override_reason

    client.post(step_url(round_, "announce"), {**CONFIRMED, "override_reason": "Spotkanie w maju."})
    round_.refresh_from_db()
    assert round_.phase == Phase.ANNOUNCED
    assert round_.rules_override_reason == "Spotkanie w maju."


def test_the_announcement_names_the_team_and_the_organisations(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.DRAFT)
    body = as_user(coordinator).get(confirm_url(round_, "announce")).content.decode()
    assert "members of team" in body and "representatives of verified organisations" in body


@pytest.mark.parametrize(("phase", "step", "after", "kind"), STEPS)
def test_a_post_without_the_confirmation_changes_nothing(
    make_round: Callable[..., Round],
    coordinator: User,
    as_user: Login,
    phase: str,
    step: str,
    after: str,
    kind: str,
) -> None:
    round_ = make_round(phase)
    audits, outbox = AuditEntry.objects.count(), Outbox.objects.count()

    response = as_user(coordinator).post(step_url(round_, step), follow=True)

    assert response.redirect_chain == [(confirm_url(round_, step), 302)]
    assert "Please confirm this step first" in response.content.decode()
    round_.refresh_from_db()
    assert round_.phase == phase
    assert (AuditEntry.objects.count(), Outbox.objects.count()) == (audits, outbox)


@pytest.mark.parametrize("who", ["member", "moderator", "expert"])
@pytest.mark.parametrize(("phase", "step", "after", "kind"), STEPS)
def test_only_the_coordinating_team_sees_the_confirmation_or_takes_the_step(
    request: pytest.FixtureRequest,
    make_round: Callable[..., Round],
    as_user: Login,
    who: str,
    phase: str,
    step: str,
    after: str,
    kind: str,
) -> None:
    round_ = make_round(phase)
    client = as_user(request.getfixturevalue(who))
    expected = 404 if phase == Phase.DRAFT else 403  # a draft is hidden from them
    assert client.get(confirm_url(round_, step)).status_code == expected
    assert client.post(step_url(round_, step), CONFIRMED).status_code == expected
    round_.refresh_from_db()
    assert round_.phase == phase


def test_an_unknown_step_has_no_confirmation(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.OPEN)
    assert as_user(coordinator).get(confirm_url(round_, "reopen")).status_code == 404


def test_two_coordinators_closing_at_once_close_once_and_the_second_is_told(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
) -> None:
    round_ = make_round(Phase.OPEN)
    make_comment(round_)
    second = User.objects.create_user("druga@example.org", "x", is_coordinator=True)
    first_client, second_client = as_user(coordinator), as_user(second)
    # Both have the confirmation page open.
    assert first_client.get(confirm_url(round_, "close")).status_code == 200
    assert second_client.get(confirm_url(round_, "close")).status_code == 200
    first_client.post(step_url(round_, "close"), {**CONFIRMED, "reason": "Pierwszy."})
    round_.refresh_from_db()
    closed_at = round_.closes_at

    response = second_client.post(
        step_url(round_, "close"), {**CONFIRMED, "reason": "Drugi."}, follow=True
    )

    assert "not in the right phase for this step any more" in response.content.decode()
    round_.refresh_from_db()
    assert round_.closes_at == closed_at
    assert AuditEntry.objects.filter(action="round.close", target_id=str(round_.pk)).count() == 1
    closed = Outbox.objects.filter(subject_id=str(round_.pk), kind="round_closed")
    # Everyone the round addresses is told once, not once per coordinator.
    assert closed.count() == closed.values("recipient").distinct().count() > 1


def test_a_coordinator_holding_the_round_as_it_was_loses_to_the_one_who_closed_it(
    make_round: Callable[..., Round], coordinator: User
) -> None:
    """Two requests that both read the open round before either wrote: the conditional update
    on the round's version lets one through."""
    round_ = make_round(Phase.OPEN)
    stale = Round.objects.get(pk=round_.pk)
    services.round_close(actor=coordinator, round_=round_, reason="Pierwszy.")
    with pytest.raises(ConflictError):
        services.round_close(actor=coordinator, round_=stale, reason="Drugi.")
    assert AuditEntry.objects.filter(action="round.close", target_id=str(round_.pk)).count() == 1


def test_the_announcement_warns_before_confirming_when_the_notice_is_short(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    client = as_user(coordinator)
    soon = make_round(Phase.DRAFT)  # opens tomorrow
    assert (
        "at least 7 days before it opens"
        in client.get(confirm_url(soon, "announce")).content.decode()
    )
    later = make_round(
        Phase.DRAFT, opens_at=timezone.now() + 10 * DAY, closes_at=timezone.now() + 30 * DAY
    )
    assert "at least 7 days" not in client.get(confirm_url(later, "announce")).content.decode()


def test_marking_a_round_settled_asks_first_and_tells_nobody(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.CLOSED)
    client = as_user(coordinator)
    settle_page = client.get(f"/consultations/{round_.pk}/settle/").content.decode()
    assert f'href="{confirm_url(round_, "settled")}"' in settle_page
    body = client.get(confirm_url(round_, "settled")).content.decode()
    assert "Yes, mark the round as settled" in body and announced_count(body) == 0

    client.post(step_url(round_, "settled"))  # no confirmation: nothing happens
    round_.refresh_from_db()
    assert round_.phase == Phase.CLOSED

    client.post(step_url(round_, "settled"), CONFIRMED)
    round_.refresh_from_db()
    assert round_.phase == Phase.SETTLED


def test_a_step_the_service_would_refuse_is_not_offered_on_its_confirmation_page(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
) -> None:
    """Marking settled with a comment unsettled, or announcing a round whose period is over:
    the page says why, with no button and no count of people to e-mail."""
    client = as_user(coordinator)
    closed = make_round(Phase.CLOSED)
    make_comment(closed, "Bez rozstrzygnięcia")
    over = make_round(Phase.DRAFT)
    Round.objects.filter(pk=over.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=30),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    for round_, step, said in (
        (closed, "settled", "still have no disposition"),
        (over, "announce", "comment period is already over"),
    ):
        body = client.get(confirm_url(round_, step)).content.decode()
        assert said in body
        assert 'class="btn btn-warning"' not in body, step
        assert "will be sent to" not in body and "Nobody will be e-mailed" not in body
        assert f'href="{round_.get_absolute_url()}">Back</a>' in body
