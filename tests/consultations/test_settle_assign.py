"""Assign and draft: comments assigned to a coordinator or a city official, who drafts the
answer; the coordinating team approves it as the disposition; everyone sees the progress."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from consultations.models import AnswerDraft, AnswerTemplate, Comment, Disposition, Round
from consultations.phases import Phase
from core.models import AuditEntry
from notifications.models import Outbox
from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def _settle_url(round_: Round) -> str:
    return f"/consultations/{round_.pk}/settle/"


def _answer_url(comment: Comment) -> str:
    return f"/consultations/comments/{comment.pk}/answer/"


def _assign(client: Client, round_: Round, comments: list[Comment], assignee: User) -> object:
    return client.post(
        _settle_url(round_),
        {
            "comments": [c.pk for c in comments],
            **{f"version-{c.pk}": c.version for c in comments},
            "assignee": assignee.pk,
            "assign": "1",
        },
    )


def _draft(client: Client, comment: Comment, text: str, version: int = 0) -> object:
    draft = AnswerDraft.objects.get(comment=comment)
    return client.post(
        _answer_url(comment),
        {
            "draft_version": version or draft.version,
            "disposition": Disposition.NOT_ACCEPTED,
            "justification": text,
        },
    )


def test_a_coordinator_assigns_a_group_to_an_official_who_drafts_and_another_approves(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    official: User,
    as_user: Login,
) -> None:
    first, second = make_comment(closed_round, "Jedna"), make_comment(closed_round, "Druga")
    boss = as_user(coordinator)
    assert _assign(boss, closed_round, [first, second], official).status_code == 302
    assert set(AnswerDraft.objects.values_list("comment_id", "assignee_id")) == {
        (first.pk, official.pk),
        (second.pk, official.pk),
    }
    assert AuditEntry.objects.filter(action="comment.assign").count() == 2
    clerk = as_user(official)
    queue = clerk.get("/consultations/my-answers/").content.decode()
    assert _answer_url(first) in queue and _answer_url(second) in queue
    assert _answer_url(first) not in boss.get("/consultations/my-answers/").content.decode()
    assert _draft(clerk, first, "Wykracza poza zakres.").status_code == 302
    first.refresh_from_db()
    assert first.disposition == ""  # a draft is not a disposition
    draft = AnswerDraft.objects.get(comment=first)
    assert (draft.justification, draft.drafted_by) == ("Wykracza poza zakres.", official)
    page = boss.get(_answer_url(first)).content.decode()
    assert "Wykracza poza zakres." in page
    response = boss.post(
        _answer_url(first),
        {"approve": "1", "draft_version": draft.version, "seen": draft.justification},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.disposition, first.justification, first.settled_by) == (
        Disposition.NOT_ACCEPTED,
        "Wykracza poza zakres.",
        coordinator,
    )


def test_approving_a_draft_changed_meanwhile_shows_both_texts_and_saves_nothing(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    official: User,
    as_user: Login,
) -> None:
    comment = make_comment(closed_round)
    boss = as_user(coordinator)
    _assign(boss, closed_round, [comment], official)
    clerk = as_user(official)
    _draft(clerk, comment, "Pierwsza wersja.")
    seen = AnswerDraft.objects.get(comment=comment)
    _draft(boss, comment, "Druga wersja, poprawiona.")  # another coordinator changes it
    response = boss.post(
        _answer_url(comment),
        {"approve": "1", "draft_version": seen.version, "seen": seen.justification},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Pierwsza wersja." in html and "Druga wersja, poprawiona." in html
    comment.refresh_from_db()
    assert comment.disposition == ""


@pytest.mark.parametrize("who", ["member", "expert", "inactive_official"])
def test_assigning_to_someone_who_cannot_draft_for_the_round_is_refused(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    official: User,
    as_user: Login,
    who: str,
    request: pytest.FixtureRequest,
) -> None:
    if who == "inactive_official":
        User.objects.filter(pk=official.pk).update(is_active=False)
        assignee = official
    else:
        assignee = request.getfixturevalue(who)
    comment = make_comment(closed_round)
    response = _assign(as_user(coordinator), closed_round, [comment], assignee)
    assert response.status_code == 400
    assert "cannot draft answers" in response.content.decode()
    assert not AnswerDraft.objects.exists()
    assert not AuditEntry.objects.filter(action="comment.assign").exists()


def test_only_the_assignee_or_the_coordinating_team_drafts_and_only_the_team_approves(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    official: User,
    expert: User,
    as_user: Login,
) -> None:
    comment = make_comment(closed_round)
    _assign(as_user(coordinator), closed_round, [comment], official)
    outsider = as_user(expert)
    assert outsider.get(_answer_url(comment)).status_code in (403, 404)
    assert _draft(outsider, comment, "Nie moje.").status_code in (403, 404)
    clerk = as_user(official)
    _draft(clerk, comment, "Projekt.")
    draft = AnswerDraft.objects.get(comment=comment)
    response = clerk.post(
        _answer_url(comment),
        {"approve": "1", "draft_version": draft.version, "seen": draft.justification},
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    draft.refresh_from_db()
    assert comment.disposition == "" and draft.justification == "Projekt."


def test_nobody_approves_a_draft_on_their_own_comment(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    official: User,
    as_user: Login,
) -> None:
    comment = make_comment(closed_round, author=coordinator)
    boss = as_user(coordinator)
    _assign(boss, closed_round, [comment], official)
    _draft(as_user(official), comment, "Projekt.")
    draft = AnswerDraft.objects.get(comment=comment)
    response = boss.post(
        _answer_url(comment),
        {"approve": "1", "draft_version": draft.version, "seen": draft.justification},
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.disposition == ""


def test_a_draft_keeps_its_text_when_the_template_it_came_from_changes(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    official: User,
    as_user: Login,
) -> None:
    comment = make_comment(closed_round)
    boss = as_user(coordinator)
    boss.post("/consultations/answer-templates/", {"title": "Zakres", "text": "Poza zakresem."})
    _assign(boss, closed_round, [comment], official)
    _draft(as_user(official), comment, "Poza zakresem.")
    template = boss.get("/consultations/answer-templates/").content.decode()
    pk = re.search(r'id="answer-template-(\d+)"', template).group(1)  # type: ignore[union-attr]
    boss.post(
        f"/consultations/answer-templates/{pk}/edit/", {"title": "Z", "text": "Inna.", "version": 1}
    )
    boss.post(f"/consultations/answer-templates/{pk}/delete/")
    assert AnswerDraft.objects.get(comment=comment).justification == "Poza zakresem."


def test_everyone_sees_the_progress_per_assignee_and_item_and_the_days_left(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    coordinator: User,
    official: User,
    as_user: Login,
    settings: object,
) -> None:
    settings.CONSULTATIONS_REPORT_DAYS = 30  # type: ignore[attr-defined]
    round_ = make_round(Phase.CLOSED)
    # Closed on 1 March at 23:30 Warsaw time: the report is due 31 March; on 21 March at 00:30
    # Warsaw time (still 20 March in UTC) 10 days are left.
    warsaw = dt.timezone(dt.timedelta(hours=1))
    Round.objects.filter(pk=round_.pk).update(
        opens_at=dt.datetime(2027, 2, 1, 12, tzinfo=warsaw),
        closes_at=dt.datetime(2027, 3, 1, 23, 30, tzinfo=warsaw),
    )
    round_.refresh_from_db()
    make_comment(round_, disposition=Disposition.ACCEPTED, justification="Tak.")
    drafted, open_ = make_comment(round_), make_comment(round_)
    with time_machine.travel(dt.datetime(2027, 3, 20, 23, 30, tzinfo=dt.UTC)):
        boss = as_user(coordinator)  # logged in at the travelled time: the session is fresh
        _assign(boss, round_, [drafted, open_], official)
        _draft(as_user(official), drafted, "Projekt.")
        html = boss.get(_settle_url(round_)).content.decode()
    progress = html[html.index('id="progress"') :]
    assert "10 days left until the report is due (31.03.2027)" in progress
    row = re.search(
        r"<tr[^>]*>\s*<th[^>]*>\s*(?:<bdi>)?[^<]*Urzędnicz[^<]*(?:</bdi>)?\s*</th>(.*?)</tr>",
        progress,
        re.S,
    )
    assert row is not None, progress[:2000]
    assert re.findall(r"<td[^>]*>(\d+)</td>", row.group(1)) == ["0", "1", "1"]


def test_a_group_of_similar_comments_is_assigned_at_once(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    official: User,
    as_user: Login,
) -> None:
    text = "Prosimy o wydłużenie godzin pracy Centrum Obywatelskiego w soboty i niedziele."
    group = [make_comment(closed_round, text), make_comment(closed_round, text + "!")]
    url = f"/consultations/{closed_round.pk}/settle/similar/"
    boss = as_user(coordinator)
    page = boss.get(url).content.decode()
    assert 'id="assignee-1"' in page  # each group offers the assignment
    response = boss.post(
        url,
        {
            "comments": [c.pk for c in group],
            **{f"version-{c.pk}": c.version for c in group},
            "assignee": official.pk,
            "assign": "1",
        },
    )
    assert response.status_code == 302
    assert set(AnswerDraft.objects.values_list("comment_id", flat=True)) == {c.pk for c in group}


def test_an_assigned_official_sees_the_rounds_progress_on_their_queue(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    official: User,
    as_user: Login,
) -> None:
    comment = make_comment(closed_round)
    _assign(as_user(coordinator), closed_round, [comment], official)
    html = as_user(official).get("/consultations/my-answers/").content.decode()
    progress = html[html.index(f'id="progress-{closed_round.pk}"') :]
    assert "until the report is due" in progress
    assert "Urszula Urzędnicza" in progress


def test_the_assignee_is_told_once_per_assignment_with_a_link_to_their_queue(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    official: User,
    expert: User,
    as_user: Login,
    django_capture_on_commit_callbacks: Callable[..., object],
    mailoutbox: list,
) -> None:
    first, second = make_comment(closed_round, "Jedna"), make_comment(closed_round, "Druga")
    official.language = "pl"
    official.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = _assign(as_user(coordinator), closed_round, [first, second], official)
    assert response.status_code == 302
    rows = Outbox.objects.filter(recipient=official, kind="comments_assigned")
    assert rows.count() == 1
    sent = [m for m in mailoutbox if m.to == [official.email]]
    assert len(sent) == 1
    assert "przydzielono" in sent[0].subject.lower()
    for comment in (first, second):
        comment.refresh_from_db()
        assert (comment.registration_number or f"#{comment.pk}") in sent[0].body
    assert "/consultations/my-answers/" in sent[0].body
    # A failed assignment tells nobody.
    with django_capture_on_commit_callbacks(execute=True):
        assert _assign(as_user(coordinator), closed_round, [first], expert).status_code == 400
    assert Outbox.objects.filter(kind="comments_assigned").count() == 1


def test_the_assignee_reads_the_proposed_wording_and_justification_and_no_dead_link(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    official: User,
    as_user: Login,
) -> None:
    """What they are to judge is on the page (the settle page showed it, this one did not);
    the link to manage answer templates, which only the coordinating team may, is not."""
    comment = make_comment(closed_round, "Uwaga z propozycją")
    Comment.objects.filter(pk=comment.pk).update(
        proposed_wording="Nowe brzmienie § 3.", submitter_justification="Bo tak jest jaśniej."
    )
    AnswerTemplate.objects.create(title="Poza zakresem", text="Poza zakresem programu.")
    assert _assign(as_user(coordinator), closed_round, [comment], official).status_code == 302
    page = as_user(official).get(_answer_url(comment)).content.decode()
    assert "Nowe brzmienie § 3." in page and "Bo tak jest jaśniej." in page
    assert "/consultations/answer-templates/" not in page
    settle = as_user(coordinator).get(_settle_url(closed_round)).content.decode()
    assert "Bo tak jest jaśniej." in settle
    assert "/consultations/answer-templates/" in settle
