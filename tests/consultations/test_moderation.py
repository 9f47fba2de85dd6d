"""Hide and unhide with a reason, flags and auto-hide, the audit log, the author's notice."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.apps import apps
from django.test import Client

from consultations import services
from consultations.audit import ConsultationsAudit
from consultations.forms import ModerationForm
from consultations.models import Channel, Comment, Disposition, Flag, Round
from consultations.phases import Phase
from core.audit import audit_record
from core.models import AuditEntry
from documents.consultation_report import synthesis_save
from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def _hide(client: Client, comment: Comment, reason: str = "Naruszenie regulaminu") -> object:
    return client.post(f"/consultations/comments/{comment.pk}/hide/", {"moderation-reason": reason})


def test_a_hidden_comments_text_is_gone_for_visitors_and_the_author_sees_why(
    open_round: Round,
    make_comment: Callable[..., Comment],
    moderator: User,
    member: User,
    as_user: Login,
) -> None:
    comment = make_comment(open_round, "Treść do ukrycia")
    assert _hide(as_user(moderator), comment).status_code == 302
    assert (
        "Treść do ukrycia" not in as_user(None).get(open_round.get_absolute_url()).content.decode()
    )
    assert (
        "Treść do ukrycia" in as_user(moderator).get(open_round.get_absolute_url()).content.decode()
    )
    mine = as_user(member).get("/consultations/my-comments/").content.decode()
    assert "The moderators have hidden this comment" in mine and "Naruszenie regulaminu" in mine


def test_hiding_needs_a_reason_and_nothing_changes_without_one(
    open_round: Round, make_comment: Callable[..., Comment], moderator: User, as_user: Login
) -> None:
    comment = make_comment(open_round)
    _hide(as_user(moderator), comment, reason="  ")
    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert not AuditEntry.objects.filter(action="comment.hide").exists()


def test_the_hide_form_says_its_reason_is_public_and_the_show_form_that_it_is_e_mailed(
    open_round: Round, make_comment: Callable[..., Comment], moderator: User, as_user: Login
) -> None:
    """The reason for hiding replaces the comment for every reader and in the report (a
    moderator should not write in it what they would not publish); the reason for showing
    it again goes to the author only. Said beside each field, and without a reason the step
    is refused with its own message."""
    comment = make_comment(open_round)
    client = as_user(moderator)
    page = client.get(open_round.get_absolute_url()).content.decode()
    form = page[page.index(f'id="moderation-reason-{comment.pk}"') :]
    assert f'aria-describedby="moderation-reason-help-{comment.pk}"' in form
    help_text = form[form.index(f'id="moderation-reason-help-{comment.pk}"') :][:400]
    assert "Public: shown to everyone in place of the comment and in the report" in help_text

    answer = client.post(
        f"/consultations/comments/{comment.pk}/hide/", {"moderation-reason": " "}, follow=True
    )
    assert "Give the reason for hiding the comment." in answer.content.decode()
    too_long = ModerationForm.base_fields["reason"].max_length + 1
    answer = client.post(
        f"/consultations/comments/{comment.pk}/hide/",
        {"moderation-reason": "x" * too_long},
        follow=True,
    )
    assert f"has {too_long})" in answer.content.decode()  # Django's own message, with the count
    assert not Comment.objects.get(pk=comment.pk).is_hidden
    assert _hide(client, comment, reason="Dane osobowe").status_code == 302
    assert Comment.objects.get(pk=comment.pk).report_text.endswith("Dane osobowe]")

    page = client.get(open_round.get_absolute_url()).content.decode()
    form = page[page.index(f'id="moderation-reason-help-{comment.pk}"') :][:400]
    assert "E-mailed to the author." in form and "Public" not in form
    answer = client.post(
        f"/consultations/comments/{comment.pk}/unhide/", {"moderation-reason": ""}, follow=True
    )
    assert "Give the reason for showing the comment again." in answer.content.decode()
    assert Comment.objects.get(pk=comment.pk).is_hidden


@pytest.mark.parametrize("who", ["member", "expert", "official", "unverified"])
def test_only_moderators_hide(
    open_round: Round,
    make_comment: Callable[..., Comment],
    as_user: Login,
    who: str,
    request: pytest.FixtureRequest,
) -> None:
    comment = make_comment(open_round)
    response = _hide(as_user(request.getfixturevalue(who)), comment)
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_unhide_restores_the_comment_and_both_steps_are_in_the_audit_log(
    open_round: Round,
    make_comment: Callable[..., Comment],
    moderator: User,
    coordinator: User,
    as_user: Login,
) -> None:
    comment = make_comment(open_round, "Sporna")
    client = as_user(moderator)
    _hide(client, comment, "Wygląda na spam")
    client.post(
        f"/consultations/comments/{comment.pk}/unhide/", {"moderation-reason": "To nie spam"}
    )
    comment.refresh_from_db()
    assert comment.hidden_at is None
    log = as_user(coordinator).get(f"/consultations/{open_round.pk}/audit/")
    body = log.content.decode()
    assert log.status_code == 200
    for text in ("Comment hidden", "Wygląda na spam", "Comment shown again", "To nie spam"):
        assert text in body
    assert moderator.email in body


def test_the_audit_log_is_for_the_coordinating_team_only(
    open_round: Round, moderator: User, member: User, as_user: Login
) -> None:
    assert as_user(moderator).get(f"/consultations/{open_round.pk}/audit/").status_code == 403
    assert as_user(member).get(f"/consultations/{open_round.pk}/audit/").status_code == 403
    assert as_user(None).get(f"/consultations/{open_round.pk}/audit/").status_code == 302


def test_flags_do_not_hide_by_default(
    open_round: Round,
    make_comment: Callable[..., Comment],
    expert: User,
    official: User,
    as_user: Login,
) -> None:
    comment = make_comment(open_round)
    for user in (expert, official):
        as_user(user).post(f"/consultations/comments/{comment.pk}/flag/", {"flag-reason": "x"})
    comment.refresh_from_db()
    assert comment.flag_count == 2 and comment.hidden_at is None


def test_the_nth_flag_hides_the_comment_when_auto_hide_is_on(
    open_round: Round,
    make_comment: Callable[..., Comment],
    expert: User,
    official: User,
    other_rep: User,
    as_user: Login,
    settings: object,
) -> None:
    settings.CONSULTATIONS_AUTO_HIDE_FLAGS = 2  # type: ignore[attr-defined]
    comment = make_comment(open_round)
    as_user(expert).post(f"/consultations/comments/{comment.pk}/flag/")
    comment.refresh_from_db()
    assert comment.hidden_at is None
    as_user(official).post(f"/consultations/comments/{comment.pk}/flag/")
    comment.refresh_from_db()
    assert comment.hidden_at is not None and comment.hidden_automatically
    assert AuditEntry.objects.filter(action="comment.auto_hide", data__round=open_round.pk).exists()
    # Stored in the language of record (it stands in the report), not in that of the last
    # flagger's page (English here).
    assert comment.hidden_reason == (
        "Ukryta automatycznie po zgłoszeniach innych osób (2), do czasu sprawdzenia przez "
        "moderatora."
    )


def test_one_flag_per_person_and_none_on_ones_own_comment(
    open_round: Round,
    make_comment: Callable[..., Comment],
    expert: User,
    member: User,
    as_user: Login,
) -> None:
    comment = make_comment(open_round)
    client = as_user(expert)
    client.post(f"/consultations/comments/{comment.pk}/flag/")
    client.post(f"/consultations/comments/{comment.pk}/flag/")
    as_user(member).post(f"/consultations/comments/{comment.pk}/flag/")
    comment.refresh_from_db()
    assert comment.flag_count == 1


def test_moderators_cannot_hide_once_the_report_is_published(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    moderator: User,
    as_user: Login,
) -> None:
    comment = make_comment(make_round(Phase.REPORT_PUBLISHED))
    assert _hide(as_user(moderator), comment).status_code == 403


def _settled(
    round_: Round,
    comment: Comment,
    coordinator: User,
    disposition: str = Disposition.ACCEPTED,
    justification: str = "Uwzględniona w całości.",
) -> None:
    """Settle the comment as it is stored now (its current version), and read it again."""
    comment.refresh_from_db()
    services.comments_settle(
        actor=coordinator,
        round_=round_,
        versions={comment.pk: comment.version},
        disposition=disposition,
        justification=justification,
    )
    comment.refresh_from_db()


@pytest.mark.parametrize("kind", ["settled", "registered"])
def test_a_teams_moderator_does_not_hide_what_the_report_gives_as_received_and_decided(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    moderator: User,
    coordinator: User,
    member: User,
    as_user: Login,
    kind: str,
) -> None:
    """A letter the city registered, or a comment already settled: hiding it would change the
    report's record; only the coordinating team may, and the page does not offer it."""
    round_ = make_round(Phase.CLOSED)
    if kind == "registered":
        comment = make_comment(
            round_, "List z urzędu", author=None, channel=Channel.POST, registered_by=coordinator
        )
    else:
        comment = make_comment(round_, "List z urzędu")
        _settled(round_, comment, coordinator)
    Flag.objects.create(comment=comment, user=member, reason="Nie na temat")
    page = as_user(moderator).get(round_.get_absolute_url()).content.decode()
    assert f"/consultations/comments/{comment.pk}/hide/" not in page
    queue = as_user(moderator).get("/consultations/moderation/").content.decode()
    assert "List z urzędu" in queue and 'value="hide"' not in queue
    refused = as_user(moderator).post(
        f"/consultations/comments/{comment.pk}/hide/",
        {"moderation-reason": "Obraźliwe"},
        follow=True,
    )
    assert "Only the coordinating team may hide" in refused.content.decode()
    as_user(moderator).post(
        f"/consultations/moderation/{comment.pk}/", {"decision": "hide", "reason": "Obraźliwe"}
    )
    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert not AuditEntry.objects.filter(action="comment.hide").exists()
    # The coordinating team may: its decision is on record.
    assert f"/consultations/comments/{comment.pk}/hide/" in (
        as_user(coordinator).get(round_.get_absolute_url()).content.decode()
    )
    _hide(as_user(coordinator), comment)
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    assert AuditEntry.objects.filter(action="comment.hide", actor=coordinator).exists()


def test_the_log_says_each_disposition_and_the_synthesis(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
) -> None:
    """Settled twice: two entries that differ by what was decided, not by the reason alone."""
    round_ = make_round(Phase.CLOSED)
    comment = make_comment(round_)
    _settled(round_, comment, coordinator)
    _settled(round_, comment, coordinator, Disposition.NOT_ACCEPTED, "Poza zakresem programu.")
    round_.refresh_from_db()
    synthesis_save(
        actor=coordinator, round_=round_, text="Synteza uwag", version=round_.synthesis_version
    )
    body = as_user(coordinator).get(f"/consultations/{round_.pk}/audit/").content.decode()
    assert "<strong>accepted</strong>" in body and "<strong>not accepted</strong>" in body
    assert "Report synthesis written" in body


def test_flags_do_not_hide_a_settled_comment_and_only_the_team_shows_one_hidden_before(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    coordinator: User,
    moderator: User,
    expert: User,
    as_user: Login,
    settings: object,
) -> None:
    """Flags decide nothing about the city's record: a settled comment is not hidden by them,
    and one they hid before it was settled is shown again only by the coordinating team (by
    showing it, or by dismissing the flags that hid it)."""
    settings.CONSULTATIONS_AUTO_HIDE_FLAGS = 1  # type: ignore[attr-defined]
    round_ = make_round(Phase.CLOSED)
    settled, hidden_first = make_comment(round_, "Rozpatrzona"), make_comment(round_, "Ukryta")
    _settled(round_, settled, coordinator)
    services.comment_flag(actor=expert, comment=settled, reason="Nie na temat")
    settled.refresh_from_db()
    assert settled.hidden_at is None and settled.flag_count == 1
    # Hidden by its flag while unsettled, then settled.
    services.comment_flag(actor=expert, comment=hidden_first, reason="Nie na temat")
    hidden_first.refresh_from_db()
    assert hidden_first.hidden_automatically
    _settled(round_, hidden_first, coordinator)
    queue = as_user(moderator).get("/consultations/moderation/").content.decode()
    assert 'value="dismiss"' in queue  # the settled one's flag, which shows nothing again
    assert queue.count('value="dismiss"') == 1
    with pytest.raises(services.Refused, match="Only the coordinating team"):
        services.comment_flags_dismiss(actor=moderator, comment=hidden_first)
    with pytest.raises(services.Refused, match="Only the coordinating team"):
        services.comment_unhide(actor=moderator, comment=hidden_first, reason="Jednak w porządku")
    hidden_first.refresh_from_db()
    assert hidden_first.hidden_at is not None
    services.comment_flags_dismiss(actor=coordinator, comment=hidden_first)
    hidden_first.refresh_from_db()
    assert hidden_first.hidden_at is None


def test_a_synthesis_entry_written_without_its_round_is_in_the_log_once_migrated(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    """Before 6 December 2026 the synthesis's entries named their round only as their target
    (consultations/migrations/0025_synthesis_audit_round.py)."""
    migration = importlib.import_module("consultations.migrations.0025_synthesis_audit_round")
    round_ = make_round(Phase.CLOSED)
    audit_record(
        actor=coordinator,
        action=ConsultationsAudit.ROUND_SYNTHESIS,
        target=round_,
        data={"length": 12},
    )
    log = f"/consultations/{round_.pk}/audit/"
    assert "Report synthesis written" not in as_user(coordinator).get(log).content.decode()
    migration.name_the_round(apps, None)
    assert "Report synthesis written" in as_user(coordinator).get(log).content.decode()
    assert AuditEntry.objects.get(action="round.synthesis").data == {
        "length": 12,
        "round": round_.pk,
    }
