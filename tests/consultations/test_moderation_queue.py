"""The moderation queue: flagged comments that nobody has reviewed yet reach the moderators
(a badge in the header, one COUNT per request) and the queue page, where one step hides the
comment with a reason or dismisses its flags (kept as records, marked reviewed); both audited,
and nobody decides on their own comment."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations import services
from consultations.models import AuthorRole, Comment, Flag, Round
from consultations.phases import Phase
from core.models import AuditEntry
from teams.models import User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
QUEUE = "/consultations/moderation/"


@pytest.fixture
def flagged(
    open_round: Round, make_comment: Callable[..., Comment], other_rep: User, expert: User
) -> Comment:
    comment = make_comment(open_round, "Obraźliwy wpis")
    services.comment_flag(actor=other_rep, comment=comment, reason="Obraża innych")
    services.comment_flag(actor=expert, comment=comment, reason="Spam")
    return comment


def _badge(client: Client) -> str:
    page = client.get("/consultations/").content.decode()
    start = page.find('id="moderation-badge"')
    return page[start : page.find("<", start)] if start >= 0 else ""


def test_moderators_see_the_count_of_flagged_comments_in_the_header(
    flagged: Comment, as_user: Login, coordinator: User, moderator: User, member: User
) -> None:
    assert _badge(as_user(coordinator)).endswith(">1")
    assert _badge(as_user(moderator)).endswith(">1")
    assert _badge(as_user(member)) == ""
    assert _badge(as_user(None)) == ""


def test_the_badge_costs_one_query_however_many_fragments_a_page_renders(
    flagged: Comment, open_round: Round, as_user: Login, moderator: User
) -> None:
    client = as_user(moderator)
    for url in ("/consultations/", open_round.get_absolute_url()):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counting = [q for q in queries if "COUNT" in q["sql"] and "consultations_flag" in q["sql"]]
        assert len(counting) == 1, url


def test_while_no_flag_waits_the_badge_skips_the_count(
    flagged: Comment, as_user: Login, coordinator: User, moderator: User
) -> None:
    Flag.objects.update(reviewed_at=flagged.created_at)
    for user in (coordinator, moderator):
        client = as_user(user)
        with CaptureQueriesContext(connection) as queries:
            assert _badge(client) == ""
        assert not [q for q in queries if "COUNT" in q["sql"] and "consultations_flag" in q["sql"]]
    Flag.objects.update(reviewed_at=None)
    assert _badge(as_user(coordinator)).endswith(">1")


def test_the_queue_lists_flagged_comments_with_their_reasons(
    flagged: Comment, as_user: Login, coordinator: User, member: User
) -> None:
    page = as_user(coordinator).get(QUEUE).content.decode()
    assert "Obraźliwy wpis" in page
    assert "Obraża innych" in page and "Spam" in page
    assert as_user(member).get(QUEUE).status_code == 403
    assert as_user(None).get(QUEUE).status_code == 302  # to the login page


def test_dismissing_keeps_the_comment_and_marks_its_flags_reviewed(
    flagged: Comment, as_user: Login, coordinator: User
) -> None:
    client = as_user(coordinator)
    response = client.post(f"{QUEUE}{flagged.pk}/", {"decision": "dismiss", "reason": ""})
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert not flagged.is_hidden
    assert Flag.objects.filter(comment=flagged).count() == 2  # kept as records
    assert not Flag.objects.filter(comment=flagged, reviewed_at=None).exists()
    assert set(Flag.objects.filter(comment=flagged).values_list("reviewed_by", flat=True)) == {
        coordinator.pk
    }
    assert AuditEntry.objects.filter(action="comment.flags_dismiss", actor=coordinator).exists()
    assert "Obraźliwy wpis" not in client.get(QUEUE).content.decode()
    assert _badge(client) == ""


def test_hiding_from_the_queue_needs_a_reason_and_is_audited(
    flagged: Comment, as_user: Login, moderator: User
) -> None:
    client = as_user(moderator)
    response = client.post(f"{QUEUE}{flagged.pk}/", {"decision": "hide", "reason": " "})
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    flagged.refresh_from_db()
    assert not flagged.is_hidden
    assert not Flag.objects.filter(comment=flagged).exclude(reviewed_at=None).exists()
    response = client.post(f"{QUEUE}{flagged.pk}/", {"decision": "hide", "reason": "Obraźliwy"})
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.is_hidden and flagged.hidden_reason == "Obraźliwy"
    assert not Flag.objects.filter(comment=flagged, reviewed_at=None).exists()
    assert AuditEntry.objects.filter(action="comment.hide", actor=moderator).exists()


def test_nobody_decides_on_their_own_flagged_comment(
    open_round: Round, as_user: Login, moderator: User, other_rep: User
) -> None:
    User.objects.filter(pk=moderator.pk).update(is_expert=True)
    own = Comment.objects.create(
        round=open_round, author=moderator, author_role=AuthorRole.EXPERT, text="Mój wpis"
    )
    services.comment_flag(actor=other_rep, comment=own, reason="Nie na temat")
    client = as_user(moderator)
    page = client.get(QUEUE).content.decode()
    assert "Mój wpis" in page and "another moderator" in page
    for decision in ("dismiss", "hide"):
        response = client.post(f"{QUEUE}{own.pk}/", {"decision": decision, "reason": "Mój"})
        assert response.status_code == 403
    own.refresh_from_db()
    assert not own.is_hidden
    assert Flag.objects.filter(comment=own, reviewed_at=None).count() == 1
    assert AuditEntry.objects.filter(action="comment.own_decision_denied").count() == 2


def test_a_moderator_of_another_team_does_not_see_the_comment(
    flagged: Comment, as_user: Login, seeded: object
) -> None:
    from teams.models import Membership, Team

    team = Team.objects.exclude(pk=flagged.round.meeting.team_id).first()
    stranger = User.objects.create_user("mod2@example.org", "pw-mod2-12345")
    Membership.objects.create(user=stranger, team=team, role="moderator", status="approved")
    client = as_user(stranger)
    assert "Obraźliwy wpis" not in client.get(QUEUE).content.decode()
    assert client.post(f"{QUEUE}{flagged.pk}/", {"decision": "dismiss"}).status_code in (403, 404)
    assert Flag.objects.filter(comment=flagged, reviewed_at=None).count() == 2


def test_an_unknown_decision_is_refused_and_nothing_changes(
    flagged: Comment, as_user: Login, coordinator: User
) -> None:
    response = as_user(coordinator).post(f"{QUEUE}{flagged.pk}/", {"decision": "delete"})
    assert response.status_code == 400
    assert Flag.objects.filter(comment=flagged, reviewed_at=None).count() == 2


def test_a_comment_in_a_finished_round_leaves_the_queue(
    flagged: Comment, as_user: Login, coordinator: User
) -> None:
    Round.objects.filter(pk=flagged.round_id).update(status=Phase.REPORT_PUBLISHED)
    assert "Obraźliwy wpis" not in as_user(coordinator).get(QUEUE).content.decode()


def test_the_queue_page_costs_the_same_queries_for_2_comments_as_for_12(
    open_round: Round,
    make_comment: Callable[..., Comment],
    other_rep: User,
    as_user: Login,
    coordinator: User,
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_user(coordinator).get(QUEUE).status_code == 200
        return len(captured)

    for number in range(2):
        services.comment_flag(actor=other_rep, comment=make_comment(open_round, f"A {number}"))
    few = queries()
    for number in range(10):
        services.comment_flag(actor=other_rep, comment=make_comment(open_round, f"B {number}"))
    assert queries() == few


def _badge_on(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    start = page.find('id="moderation-badge"')
    return page[start : page.find("<", start)] if start >= 0 else ""


def test_on_the_round_page_the_badge_reuses_the_teams_the_page_read(
    flagged: Comment, open_round: Round, as_user: Login, moderator: User, expert: User
) -> None:
    """The round page reads the teams the viewer moderates once (permissions.viewer_for);
    the badge asks nothing more of someone who moderates none, and still counts for a
    moderator."""
    url = open_round.get_absolute_url()
    assert _badge_on(as_user(moderator), url).endswith(">1")
    client = as_user(expert)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    memberships = [q for q in queries if '"teams_membership"' in q["sql"]]
    assert len(memberships) == 1
    assert _badge_on(client, url) == ""


def test_the_badge_tells_a_screen_reader_the_count_in_polish_grammar(
    flagged: Comment,
    open_round: Round,
    make_comment: Callable[..., Comment],
    as_user: Login,
    coordinator: User,
    expert: User,
) -> None:
    """ "1 zgłoszona uwaga", "2 zgłoszone uwagi", "5 zgłoszonych uwag": not "1 zgłoszonych"."""
    client = as_user(coordinator)
    client.cookies["django_language"] = "pl"

    def hidden() -> str:
        page = client.get("/consultations/").content.decode()
        start = page.find('id="moderation-badge"')
        return re.search(r'visually-hidden">\s*([^<]*?)\s*<', page[start:]).group(1)

    assert hidden() == "zgłoszona uwaga do rozpatrzenia"
    second = make_comment(open_round, "Druga do sprawdzenia")
    services.comment_flag(actor=expert, comment=second, reason="Spam")
    assert hidden() == "zgłoszone uwagi do rozpatrzenia"
