"""The coordinating team withdraws a registered comment (the sender's written withdrawal, a
duplicate, a registration error) from its confirmation page, with a reason: it leaves the
count, the settle list and the report, keeps its number, and the register and the audit log
show the reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from consultations import register_services, selectors
from consultations.audit import ConsultationsAudit
from consultations.models import Channel, Comment, Round
from consultations.phases import Phase
from consultations.register_services import Submitter, WithdrawalKind
from core.models import AuditEntry
from teams.models import User
from tests.confirm import CONFIRMED

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
DAY = dt.timedelta(days=1)
DUPLICATE = "Zarejestrowana dwukrotnie przez pomyłkę – duplikat KZ/2025/0001."


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def registered(round_: Round, coordinator: User, text: str = "List w sprawie celu 2.") -> Comment:
    return register_services.comment_register(
        actor=coordinator,
        round_=round_,
        channel=Channel.POST,
        received_at=timezone.now() - DAY,
        submitter=Submitter(person="Jan Kowalski"),
        text=text,
    )


@pytest.fixture
def open_round(make_round: Callable[..., Round]) -> Round:
    round_ = make_round(Phase.OPEN)
    Round.objects.filter(pk=round_.pk).update(
        announced_at=timezone.now() - 10 * DAY, opens_at=timezone.now() - 5 * DAY
    )
    round_.refresh_from_db()
    return round_


def url(comment: Comment) -> str:
    return f"/consultations/comments/{comment.pk}/registered/withdraw/"


def withdraw(client: Client, comment: Comment, **fields: str):
    data = {**CONFIRMED, "kind": WithdrawalKind.ERROR, "reason": DUPLICATE, **fields}
    return client.post(url(comment), data)


def test_it_withdraws_a_duplicate_which_leaves_the_count_and_keeps_its_number(
    open_round: Round, coordinator: User, as_user: Login
) -> None:
    kept = registered(open_round, coordinator)
    duplicate = registered(open_round, coordinator)
    number = duplicate.registration_number
    client = as_user(coordinator)
    page = client.get(url(duplicate))
    assert page.status_code == 200
    assert "This cannot be undone." in page.content.decode()
    assert "Yes, withdraw the comment" in page.content.decode()

    response = withdraw(client, duplicate)

    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.is_withdrawn and duplicate.registration_number == number
    assert list(Comment.objects.filter(round=open_round).counted()) == [kept]
    assert list(selectors.settle_comments(open_round)) == [kept]
    assert selectors.report_statistics(open_round)["total"] == 1
    entry = AuditEntry.objects.get(
        action=ConsultationsAudit.COMMENT_REGISTER_WITHDRAW.value, target_id=str(duplicate.pk)
    )
    assert entry.reason == DUPLICATE and entry.actor == coordinator
    assert (entry.data["number"], entry.data["kind"]) == (number, WithdrawalKind.ERROR)
    # The register on the settle page shows the number as withdrawn, with the reason.
    settle = client.get(f"/consultations/{open_round.pk}/settle/").content.decode()
    assert 'id="withdrawn-numbers"' in settle
    register = settle.split('id="withdrawn-numbers"', 1)[1]
    assert number is not None and number in register and DUPLICATE in register
    # Numbers are never given again.
    later = registered(open_round, coordinator, text="Kolejny list.")
    assert later.registration_number not in (number, kept.registration_number)


def test_a_sender_withdrawal_received_before_the_round_closed_is_accepted(
    open_round: Round, coordinator: User, as_user: Login
) -> None:
    comment = registered(open_round, coordinator)
    response = withdraw(
        as_user(coordinator),
        comment,
        kind=WithdrawalKind.SENDER,
        withdrawal_received_at=local(timezone.now() - dt.timedelta(hours=1)),
        reason="Nadawca wycofał uwagę pismem.",
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_withdrawn


def test_a_sender_withdrawal_received_after_the_round_closed_is_refused(
    open_round: Round, coordinator: User, as_user: Login
) -> None:
    comment = registered(open_round, coordinator)
    Round.objects.filter(pk=open_round.pk).update(closes_at=timezone.now() - DAY / 2)
    response = withdraw(
        as_user(coordinator),
        comment,
        kind=WithdrawalKind.SENDER,
        withdrawal_received_at=local(timezone.now() - dt.timedelta(hours=1)),
        reason="Nadawca wycofał uwagę pismem.",
    )
    assert response.status_code == 400
    assert "received after the round closed" in response.content.decode()
    comment.refresh_from_db()
    assert not comment.is_withdrawn


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_withdrawal_without_a_reason_is_refused_and_nothing_changes(
    open_round: Round, coordinator: User, as_user: Login, reason: str
) -> None:
    comment = registered(open_round, coordinator)
    response = withdraw(as_user(coordinator), comment, reason=reason)
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    comment.refresh_from_db()
    assert not comment.is_withdrawn
    assert not AuditEntry.objects.filter(
        action=ConsultationsAudit.COMMENT_REGISTER_WITHDRAW.value
    ).exists()


def test_the_service_refuses_a_withdrawal_without_a_reason(
    open_round: Round, coordinator: User
) -> None:
    comment = registered(open_round, coordinator)
    with pytest.raises(register_services.Refused, match="reason"):
        register_services.comment_register_withdraw(
            actor=coordinator, comment=comment, kind=WithdrawalKind.ERROR, reason="  "
        )
    comment.refresh_from_db()
    assert not comment.is_withdrawn


def test_a_post_without_the_confirmation_changes_nothing(
    open_round: Round, coordinator: User, as_user: Login
) -> None:
    comment = registered(open_round, coordinator)
    response = as_user(coordinator).post(
        url(comment), {"kind": WithdrawalKind.ERROR, "reason": DUPLICATE}
    )
    assert response.status_code == 200
    assert "Yes, withdraw the comment" in response.content.decode()
    comment.refresh_from_db()
    assert not comment.is_withdrawn
    assert not AuditEntry.objects.filter(
        action=ConsultationsAudit.COMMENT_REGISTER_WITHDRAW.value
    ).exists()


def test_only_the_coordinating_team_withdraws_a_registered_comment(
    open_round: Round,
    coordinator: User,
    member: User,
    expert: User,
    moderator: User,
    as_user: Login,
) -> None:
    comment = registered(open_round, coordinator)
    for user in (member, expert, moderator):
        client = as_user(user)
        assert client.get(url(comment)).status_code == 403
        assert withdraw(client, comment).status_code == 403
    comment.refresh_from_db()
    assert not comment.is_withdrawn
    with pytest.raises(register_services.Refused):
        register_services.comment_register_withdraw(
            actor=moderator, comment=comment, kind=WithdrawalKind.ERROR, reason=DUPLICATE
        )


@pytest.mark.parametrize(
    ("phase", "allowed"),
    [
        (Phase.ANNOUNCED, True),
        (Phase.OPEN, True),
        (Phase.CLOSED, True),
        (Phase.SETTLED, True),
        (Phase.REPORT_PUBLISHED, False),
    ],
)
def test_a_registration_error_can_be_withdrawn_until_the_report_is_published(
    make_round: Callable[..., Round],
    coordinator: User,
    as_user: Login,
    phase: Phase,
    allowed: bool,
) -> None:
    round_ = make_round(Phase.OPEN)
    Round.objects.filter(pk=round_.pk).update(announced_at=timezone.now() - 2 * DAY)
    round_.refresh_from_db()
    comment = registered(round_, coordinator)
    # Move the round to the phase (the clock and the stored status, as make_round does).
    now = timezone.now()
    opens, closes, status = {
        Phase.ANNOUNCED: (now + DAY, now + 10 * DAY, Phase.ANNOUNCED),
        Phase.OPEN: (now - DAY, now + 10 * DAY, Phase.ANNOUNCED),
        Phase.CLOSED: (now - 10 * DAY, now - DAY / 2, Phase.ANNOUNCED),
        Phase.SETTLED: (now - 10 * DAY, now - DAY / 2, Phase.SETTLED),
        Phase.REPORT_PUBLISHED: (now - 10 * DAY, now - DAY / 2, Phase.REPORT_PUBLISHED),
    }[phase]
    Round.objects.filter(pk=round_.pk).update(opens_at=opens, closes_at=closes, status=status)
    response = withdraw(as_user(coordinator), comment)
    assert response.status_code == (302 if allowed else 403)
    comment.refresh_from_db()
    assert comment.is_withdrawn is allowed


def test_a_portal_comment_is_not_withdrawn_here(
    open_round: Round,
    coordinator: User,
    make_comment: Callable[..., Comment],
    as_user: Login,
) -> None:
    comment = make_comment(open_round)
    assert withdraw(as_user(coordinator), comment).status_code == 403
    comment.refresh_from_db()
    assert not comment.is_withdrawn


def test_a_second_coordinator_confirming_is_told_it_is_done(
    open_round: Round,
    coordinator: User,
    second_coordinator: User,
    as_user: Login,
) -> None:
    comment = registered(open_round, coordinator)
    assert withdraw(as_user(coordinator), comment).status_code == 302
    again = withdraw(as_user(second_coordinator), comment)
    assert again.status_code == 302
    assert (
        AuditEntry.objects.filter(action=ConsultationsAudit.COMMENT_REGISTER_WITHDRAW.value).count()
        == 1
    )
