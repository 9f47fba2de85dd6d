"""Rules written once and asked everywhere: what a comment is on (its label), who sees which
comment, and the limits of the small forms of the comment list."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from consultations import permissions as perms
from consultations import selectors
from consultations.forms import FlagForm, ModerationForm, ReplyForm
from consultations.models import Comment, Round
from consultations.phases import Phase
from swot.models import SwotEntry, SwotTopic
from teams.models import Meeting, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def test_the_report_statistics_name_an_item_as_the_comment_does(
    make_round: Callable[..., Round], make_comment: Callable[..., Comment], seeded: Meeting
) -> None:
    round_ = make_round(Phase.CLOSED)
    topic = SwotTopic.objects.filter(meeting=seeded).first()
    assert topic is not None
    entry = SwotEntry.objects.create(topic=topic, quadrant="W", text="Długi opis słabości " * 8)
    comments = [
        make_comment(round_, swot_entry=entry),
        make_comment(round_, goal=seeded.goals.first()),
        make_comment(round_, action=seeded.actions.first()),
        make_comment(round_),
    ]
    labels = {bar.label for bar in selectors.report_statistics(round_)["by_item"]}
    assert labels == {Comment.objects.get(pk=c.pk).item_label for c in comments}


def test_the_round_page_lists_each_viewer_exactly_the_comments_they_may_see_or_find_hidden(
    open_round: Round,
    make_comment: Callable[..., Comment],
    member: User,
    other_rep: User,
    moderator: User,
    coordinator: User,
    expert: User,
) -> None:
    now = timezone.now()
    shown = make_comment(open_round, "shown")
    hidden = make_comment(open_round, "hidden", hidden_at=now, hidden_reason="x")
    withdrawn = make_comment(open_round, "withdrawn", withdrawn_at=now)
    others = make_comment(open_round, "other's hidden", author=expert, hidden_at=now)
    both = make_comment(open_round, "hidden, then withdrawn", hidden_at=now, withdrawn_at=now)
    hidden_reply = make_comment(open_round, "hidden reply", parent=shown, hidden_at=now)
    comments = [shown, hidden, withdrawn, others, both, hidden_reply]
    everyone = {c.pk for c in comments}
    for user in (None, member, other_rep, moderator, coordinator, expert):
        viewer = perms.viewer_for(user or AnonymousUser(), open_round)
        listed = {
            c.pk
            for top in selectors.round_comments(open_round, viewer)
            for c in (top, *top.replies.all())
        }
        expected = {c.pk for c in comments if perms.can_list_comment(viewer, c)}
        assert listed & everyone == expected, user
        read = Comment.objects.visible_to(
            user_id=viewer.active_user_id, moderator=viewer.is_moderator
        ).values_list("pk", flat=True)
        assert set(read) & everyone == {c.pk for c in comments if perms.can_see_comment(viewer, c)}


def test_the_comment_list_takes_its_limits_from_the_forms(
    open_round: Round,
    make_comment: Callable[..., Comment],
    other_rep: User,
    coordinator: User,
    as_user: Login,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_comment(open_round)
    monkeypatch.setattr(ReplyForm.base_fields["text"], "max_length", 1234)
    monkeypatch.setattr(FlagForm.base_fields["reason"], "max_length", 321)
    monkeypatch.setattr(ModerationForm.base_fields["reason"], "max_length", 123)
    page = as_user(other_rep).get(open_round.get_absolute_url()).content.decode()
    assert 'maxlength="1234"' in page
    assert 'maxlength="321"' in page
    assert "At most 2000 characters." in page  # the reply's help, from the same field
    page = as_user(coordinator).get(open_round.get_absolute_url()).content.decode()
    assert 'maxlength="123"' in page
