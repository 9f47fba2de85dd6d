"""The coordinating team withdraws a registered comment (the sender's written withdrawal, a
duplicate, a registration error) from its confirmation page, with a reason: it leaves the
count, the settle list and the report, keeps its number, and the register and the audit log
show the reason."""

from __future__ import annotations

import datetime as dt
import re
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
    """Confirm the withdrawal, by default of the comment as stored now (the version its
    confirmation page would carry)."""
    version = str(Comment.objects.get(pk=comment.pk).version)
    data = {
        **CONFIRMED,
        "version": version,
        "kind": WithdrawalKind.ERROR,
        "reason": DUPLICATE,
        **fields,
    }
    return client.post(url(comment), data)


def corrected(comment: Comment, coordinator: User, text: str) -> Comment:
    """A colleague's correction of the comment's text, through the register's service."""
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.received_at is not None
    return register_services.comment_register_edit(
        actor=coordinator,
        comment=stored,
        version=stored.version,
        channel=stored.channel,
        received_at=stored.received_at,
        submitter=Submitter(person="Jan Kowalski"),
        text=text,
    )


def hidden_version(page: str) -> str:
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', page)
    assert match, "the confirmation page carries the comment's version"
    return match.group(1)


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
            actor=coordinator,
            comment=comment,
            version=comment.version,
            kind=WithdrawalKind.ERROR,
            reason="  ",
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
            actor=moderator,
            comment=comment,
            version=comment.version,
            kind=WithdrawalKind.ERROR,
            reason=DUPLICATE,
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


# --- A comment corrected after the confirmation page was shown ------------------------------


def test_the_service_refuses_to_withdraw_a_comment_changed_since_the_version_shown(
    open_round: Round, coordinator: User, second_coordinator: User
) -> None:
    comment = registered(open_round, coordinator)
    shown = comment.version
    corrected(comment, second_coordinator, "List w sprawie celu 2 – poprawiony.")
    with pytest.raises(register_services.ConflictError, match="changed") as conflict:
        register_services.comment_register_withdraw(
            actor=coordinator,
            comment=Comment.objects.get(pk=comment.pk),
            version=shown,
            kind=WithdrawalKind.ERROR,
            reason=DUPLICATE,
        )
    current = conflict.value.current
    assert current is not None and current.text == "List w sprawie celu 2 – poprawiony."
    comment.refresh_from_db()
    assert not comment.is_withdrawn
    assert not AuditEntry.objects.filter(
        action=ConsultationsAudit.COMMENT_REGISTER_WITHDRAW.value
    ).exists()
    # Given the version now stored, it is withdrawn (and audited).
    register_services.comment_register_withdraw(
        actor=coordinator,
        comment=comment,
        version=current.version,
        kind=WithdrawalKind.ERROR,
        reason=DUPLICATE,
    )
    comment.refresh_from_db()
    assert comment.is_withdrawn


def test_a_withdrawal_confirmed_after_a_colleague_corrected_the_text_shows_it_and_asks_again(
    open_round: Round, coordinator: User, second_coordinator: User, as_user: Login
) -> None:
    comment = registered(open_round, coordinator)
    client = as_user(coordinator)
    page = client.get(url(comment)).content.decode()
    shown = hidden_version(page)
    assert shown == str(comment.version)
    new_text = "Zmieniona treść: prosimy o wykreślenie celu 2 w całości."
    corrected(comment, second_coordinator, new_text)

    response = withdraw(client, comment, version=shown)

    assert response.status_code == 409
    body = response.content.decode()
    assert "The comment changed after this page was shown" in body
    stored_now = body.split("The comment changed after this page was shown", 1)[1]
    assert new_text in stored_now.split("<form", 1)[0]
    # The confirmation is offered again, with the reason as typed and the stored version.
    assert "Yes, withdraw the comment" in body and DUPLICATE in body
    current = Comment.objects.get(pk=comment.pk)
    assert not current.is_withdrawn
    assert hidden_version(body) == str(current.version) != shown
    assert not AuditEntry.objects.filter(
        action=ConsultationsAudit.COMMENT_REGISTER_WITHDRAW.value
    ).exists()

    # Confirming again, having read the new text, withdraws it, audited once.
    again = withdraw(client, comment, version=hidden_version(body))
    assert again.status_code == 302
    assert Comment.objects.get(pk=comment.pk).is_withdrawn
    entry = AuditEntry.objects.get(action=ConsultationsAudit.COMMENT_REGISTER_WITHDRAW.value)
    assert entry.actor == coordinator and entry.reason == DUPLICATE


def test_a_confirmation_without_the_version_withdraws_nothing(
    open_round: Round, coordinator: User, as_user: Login
) -> None:
    """A page from before the version was carried: shown again, not a blind withdrawal."""
    comment = registered(open_round, coordinator)
    response = withdraw(as_user(coordinator), comment, version="")
    assert response.status_code == 409
    assert hidden_version(response.content.decode()) == str(comment.version)
    comment.refresh_from_db()
    assert not comment.is_withdrawn
