"""Settling after the close: dispositions with justifications, together, and races."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client

from consultations import services
from consultations.forms import SettleForm
from consultations.models import Comment, Disposition, Round
from consultations.phases import Phase
from core.models import AuditEntry
from teams.models import User
from tests.confirm import CONFIRMED

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def _settle(client: Client, round_: Round, comments: list[Comment], **data: str) -> object:
    payload: dict[str, object] = {
        "comments": [c.pk for c in comments],
        "disposition": Disposition.ACCEPTED,
        "justification": "Uwzględniono w projekcie.",
        **{f"version-{c.pk}": c.version for c in comments},
    }
    payload.update(data)
    return client.post(f"/consultations/{round_.pk}/settle/", payload)


def test_the_coordinating_team_settles_identical_comments_together(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
) -> None:
    first = make_comment(closed_round, "Ta sama uwaga")
    second = make_comment(closed_round, "Ta  sama uwaga")
    other = make_comment(closed_round, "Inna")
    client = as_user(coordinator)
    page = client.get(f"/consultations/{closed_round.pk}/settle/").content.decode()
    assert f"same text as #{first.pk}" in page
    response = _settle(client, closed_round, [first, second], disposition="partly")
    assert response.status_code == 302
    for comment in (first, second):
        comment.refresh_from_db()
        assert comment.disposition == Disposition.PARTLY_ACCEPTED
        assert comment.justification == "Uwzględniono w projekcie."
        assert comment.settled_by == coordinator
    other.refresh_from_db()
    assert other.disposition == ""


@pytest.mark.parametrize("justification", ["", "   "])
def test_a_disposition_without_a_justification_is_refused(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
    justification: str,
) -> None:
    comment = make_comment(closed_round)
    response = _settle(as_user(coordinator), closed_round, [comment], justification=justification)
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.disposition == ""


def test_a_bad_disposition_is_refused(
    closed_round: Round, make_comment: Callable[..., Comment], coordinator: User, as_user: Login
) -> None:
    comment = make_comment(closed_round)
    response = _settle(as_user(coordinator), closed_round, [comment], disposition="maybe")
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.disposition == ""


@pytest.mark.parametrize("who", ["moderator", "member", "expert"])
def test_only_the_coordinating_team_settles(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    as_user: Login,
    who: str,
    request: pytest.FixtureRequest,
) -> None:
    comment = make_comment(closed_round)
    response = _settle(as_user(request.getfixturevalue(who)), closed_round, [comment])
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.disposition == ""


def test_comments_cannot_be_settled_while_the_round_is_open(
    open_round: Round, make_comment: Callable[..., Comment], coordinator: User, as_user: Login
) -> None:
    comment = make_comment(open_round)
    assert _settle(as_user(coordinator), open_round, [comment]).status_code == 403
    comment.refresh_from_db()
    assert comment.disposition == ""


def test_the_round_cannot_be_marked_settled_while_a_comment_is_unsettled(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
) -> None:
    done = make_comment(closed_round, "Rozpatrzona")
    waiting = make_comment(closed_round, "Czeka")
    make_comment(closed_round, "Wycofana", withdrawn_at="2026-01-01T00:00Z")
    make_comment(closed_round, "Odpowiedź", parent=done)
    client = as_user(coordinator)
    _settle(client, closed_round, [done])
    # Said on the confirmation page already, before anyone confirms.
    asked = client.get(f"/consultations/{closed_round.pk}/step/settled/confirm/")
    assert "1 comment(s) still have no disposition" in asked.content.decode()
    response = client.post(
        f"/consultations/{closed_round.pk}/step/settled/", CONFIRMED, follow=True
    )
    assert "1 comment(s) still have no disposition" in response.content.decode()
    closed_round.refresh_from_db()
    assert closed_round.status != Phase.SETTLED
    waiting.refresh_from_db()
    _settle(client, closed_round, [waiting], disposition="not_considered")
    client.post(f"/consultations/{closed_round.pk}/step/settled/", CONFIRMED)
    closed_round.refresh_from_db()
    assert closed_round.phase == Phase.SETTLED


def test_a_second_coordinator_settling_from_a_stale_page_is_told_and_nothing_is_lost(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
) -> None:
    comment = make_comment(closed_round)
    second = User.objects.create_user("k2@example.org", "pw-k2-12345", is_coordinator=True)
    stale_version = comment.version
    first = _settle(as_user(coordinator), closed_round, [comment], justification="Pierwsza")
    assert first.status_code == 302
    comment.version = stale_version
    late = _settle(as_user(second), closed_round, [comment], justification="Druga")
    assert late.status_code == 409
    assert "changed by someone else meanwhile" in late.content.decode()
    comment.refresh_from_db()
    assert comment.justification == "Pierwsza"


def test_settling_a_group_is_all_or_nothing(
    closed_round: Round, make_comment: Callable[..., Comment], coordinator: User
) -> None:
    a = make_comment(closed_round, "A")
    b = make_comment(closed_round, "B")
    with pytest.raises(services.ConflictError):
        services.comments_settle(
            actor=coordinator,
            round_=closed_round,
            versions={a.pk: a.version, b.pk: b.version + 5},
            disposition=Disposition.ACCEPTED,
            justification="Razem",
        )
    a.refresh_from_db()
    assert a.disposition == ""


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_settling_one_comment_at_once_one_wins(
    make_round: Callable[..., Round], make_comment: Callable[..., Comment], coordinator: User
) -> None:
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.fail("needs a file database so that two threads share it")
    round_ = make_round(Phase.CLOSED)
    comment = make_comment(round_)
    second = User.objects.create_user("k3@example.org", "pw-k3-12345", is_coordinator=True)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def settle(actor: User, justification: str) -> None:
        barrier.wait()
        try:
            services.comments_settle(
                actor=actor,
                round_=round_,
                versions={comment.pk: comment.version},
                disposition=Disposition.ACCEPTED,
                justification=justification,
            )
            results[justification] = "won"
        except services.ConflictError:
            results[justification] = "told"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=settle, args=(coordinator, "A")),
        threading.Thread(target=settle, args=(second, "B")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == ["told", "won"]
    comment.refresh_from_db()
    assert comment.justification in ("A", "B")
    assert results[comment.justification] == "won"


def test_sorting_by_text_puts_identical_comments_side_by_side(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
) -> None:
    first = make_comment(closed_round, "Zzz ta sama")
    make_comment(closed_round, "Aaa inna")
    second = make_comment(closed_round, "Zzz ta sama")
    body = as_user(coordinator).get(f"/consultations/{closed_round.pk}/settle/?order=text")
    html = body.content.decode()
    rows = html.split('id="settle-')[1:]
    assert [int(r.split('"')[0]) for r in rows][-2:] == [first.pk, second.pk]


def test_the_settle_form_reads_the_ticked_comments_with_the_versions_seen() -> None:
    data = "comments=3&version-3=2&comments=x&comments=5&version-5=&comments=7"
    form = SettleForm(QueryDict(f"{data}&disposition=accepted&justification=Tak."))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["versions"] == {3: 2}
    form = SettleForm(QueryDict("comments=5&disposition=accepted&justification=Tak."))
    assert not form.is_valid()
    assert "Choose at least one comment to settle." in form.non_field_errors()


def test_a_refused_settling_keeps_the_comments_ticked(
    closed_round: Round, make_comment: Callable[..., Comment], coordinator: User, as_user: Login
) -> None:
    ticked, other = make_comment(closed_round), make_comment(closed_round)
    response = _settle(as_user(coordinator), closed_round, [ticked], justification="")
    assert response.status_code == 400
    html = response.content.decode()

    def box(comment: Comment) -> str:
        match = re.search(rf'<input[^>]*id="choose-{comment.pk}"[^>]*>', html)
        assert match is not None
        return match.group(0)

    assert "checked" in box(ticked)
    assert "checked" not in box(other)


def test_marking_settled_is_all_or_nothing(
    closed_round: Round, coordinator: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the status is written (here the notice) leaves the round closed and
    nothing audited: the step is one transaction."""

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the outbox is down")

    monkeypatch.setattr(services.notices, "notify_round_transition", fail)
    with pytest.raises(RuntimeError):
        services.round_mark_settled(actor=coordinator, round_=closed_round)
    closed_round.refresh_from_db()
    assert closed_round.phase == Phase.CLOSED and closed_round.settled_at is None
    assert not AuditEntry.objects.filter(action="round.settle").exists()
