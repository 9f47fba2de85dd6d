"""The settle page asked for again with nothing changed comes from the cache
(settle_views.round_settle, core.page_cache.shared_html), and is never stale: each change
that the page shows, made whichever way, shows on the very next request; what depends on the
viewer or on the working copy is the viewer's own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from consultations import services, settle_services
from consultations.models import AnswerDraft, AnswerTemplate, Comment, Disposition, Round, Support
from consultations.phases import Phase
from drafts.models import DraftElement, DraftParagraph, ProgrammeDraft
from teams.models import Meeting, Organisation, User

from .test_apply_wording import PROPOSAL, propose

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
BODY = "consultations/partials/settle_body.html"


def _url(round_: Round, query: str = "") -> str:
    return f"/consultations/{round_.pk}/settle/" + (f"?{query}" if query else "")


def _page(client: Client, round_: Round, query: str = "") -> tuple[str, bool]:
    """The page and whether its content was rendered for this request (not from the cache)."""
    response: HttpResponse = client.get(_url(round_, query))
    assert response.status_code == 200
    rendered = BODY in [template.name for template in response.templates]  # type: ignore[attr-defined]
    return response.content.decode(), rendered


def test_the_same_page_asked_again_comes_from_the_cache_and_each_filter_has_its_own(
    closed_round: Round, make_comment: Callable[..., Comment], coordinator: User, as_user: Login
) -> None:
    make_comment(closed_round, "Pierwsza uwaga")
    make_comment(closed_round, "Druga uwaga")
    client = as_user(coordinator)
    first, rendered = _page(client, closed_round)
    assert rendered and "Pierwsza uwaga" in first
    again, rendered = _page(client, closed_round)
    assert not rendered
    assert "Pierwsza uwaga" in again and "Druga uwaga" in again
    found, rendered = _page(client, closed_round, "q=Druga")
    assert rendered
    assert "Druga uwaga" in found and "Pierwsza uwaga" not in found


def test_a_settled_comment_shows_at_once(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    second_coordinator: User,
    as_user: Login,
) -> None:
    comment = make_comment(closed_round, "Uwaga do rozpatrzenia")
    client = as_user(coordinator)
    assert "not settled yet" in _page(client, closed_round)[0]
    services.comments_settle(
        actor=second_coordinator,
        round_=closed_round,
        versions={comment.pk: comment.version},
        disposition=Disposition.ACCEPTED,
        justification="Uwzględniona w całości.",
    )
    page, rendered = _page(client, closed_round)
    assert rendered and "Uwzględniona w całości." in page


def test_supports_replies_and_names_changed_elsewhere_show_at_once(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    other_rep: User,
    as_user: Login,
) -> None:
    comment = make_comment(closed_round, "Uwaga")
    client = as_user(coordinator)
    _page(client, closed_round)
    other = Organisation.objects.get(representations__user=other_rep)
    Support.objects.create(comment=comment, organisation=other)  # as the admin would
    page, rendered = _page(client, closed_round)
    assert rendered and other.name in page
    other.name = "Fundacja Przemianowana"
    other.save()
    assert "Fundacja Przemianowana" in _page(client, closed_round)[0]


def test_an_assignment_and_a_draft_show_at_once(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    official: User,
    as_user: Login,
) -> None:
    comment = make_comment(closed_round, "Uwaga do przydzielenia")
    client = as_user(coordinator)
    assert "Assigned to <bdi>" not in _page(client, closed_round)[0]
    settle_services.comments_assign(
        actor=coordinator,
        round_=closed_round,
        versions={comment.pk: comment.version},
        assignee=official,
    )
    page, rendered = _page(client, closed_round)
    assert rendered and "Assigned to <bdi>" in page
    draft = AnswerDraft.objects.get(comment=comment)
    settle_services.answer_draft_save(
        actor=official,
        draft=draft,
        version=draft.version,
        disposition=Disposition.NOT_ACCEPTED,
        justification="Projekt odpowiedzi urzędnika.",
    )
    page, rendered = _page(client, closed_round)
    assert rendered and "Projekt odpowiedzi urzędnika." in page


def test_a_new_answer_template_is_offered_at_once_on_a_cached_page(
    closed_round: Round, make_comment: Callable[..., Comment], coordinator: User, as_user: Login
) -> None:
    make_comment(closed_round, "Uwaga")
    client = as_user(coordinator)
    _page(client, closed_round)
    settle_services.answer_template_create(
        actor=coordinator, title="Poza zakresem", text="Uwaga wykracza poza zakres programu."
    )
    page, rendered = _page(client, closed_round)
    assert not rendered  # the list of comments is unchanged; the decision form is not cached
    assert "Poza zakresem" in page


def test_each_coordinator_sees_their_own_comment_as_theirs_on_the_same_cached_page(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    second_coordinator: User,
    as_user: Login,
) -> None:
    own = make_comment(closed_round, "Uwaga koordynatora", author=coordinator)
    checkbox = f'id="choose-{own.pk}"'
    assert checkbox not in _page(as_user(coordinator), closed_round)[0]
    assert "Your own comment" in _page(as_user(coordinator), closed_round)[0]
    assert checkbox in _page(as_user(second_coordinator), closed_round)[0]


def test_rights_are_checked_for_each_request_and_follow_the_phase(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    member: User,
    as_user: Login,
) -> None:
    comment = make_comment(closed_round, "Uwaga")
    page, _rendered = _page(as_user(coordinator), closed_round)
    assert f'id="choose-{comment.pk}"' in page and "Mark the round as settled" in page
    assert as_user(member).get(_url(closed_round)).status_code == 403
    # Published: the coordinating team still reads the page, but settles nothing any more.
    Round.objects.filter(pk=closed_round.pk).update(status=Phase.REPORT_PUBLISHED)
    page, rendered = _page(as_user(coordinator), closed_round)
    assert rendered
    assert f'id="choose-{comment.pk}"' not in page and "Mark the round as settled" not in page


def test_the_wording_tools_follow_the_working_copy_on_a_cached_page(
    make_round: Callable[..., Round],
    seeded: Meeting,
    member: User,
    coordinator: User,
    as_user: Login,
) -> None:
    draft = ProgrammeDraft.objects.get(programme=seeded.team.programme)
    paragraph = DraftParagraph.objects.get(
        section__draft=draft, section__element=DraftElement.PRINCIPLES
    )
    round_ = make_round(Phase.CLOSED, draft_version=draft.versions.get(number=1))
    propose(round_, paragraph, member)
    client = as_user(coordinator)
    page, _rendered = _page(client, round_)
    assert "Apply the proposed wording" in page
    # Edited in the drafts editor: not a change to any comment.
    DraftParagraph.objects.filter(pk=paragraph.pk).update(text=PROPOSAL + " Zmienione.")
    page, rendered = _page(client, round_)
    assert not rendered
    assert "The paragraph changed since the consulted version." in page
    assert "Apply the proposed wording" not in page


def test_the_days_left_follow_the_calendar(
    closed_round: Round, make_comment: Callable[..., Comment], coordinator: User, as_user: Login
) -> None:
    make_comment(closed_round, "Uwaga")
    client = as_user(coordinator)
    # Two minutes apart (well within the cache's lifetime), across midnight in Warsaw.
    evening = (timezone.localtime() + dt.timedelta(days=1)).replace(hour=23, minute=59)
    with time_machine.travel(evening, tick=False):
        before = _page(client, closed_round)[0]
    with time_machine.travel(evening + dt.timedelta(minutes=2), tick=False):
        after, rendered = _page(client, closed_round)
    assert rendered
    days = [line for line in before.splitlines() if "until the report is due" in line]
    assert days and days[0] not in after


def test_a_form_sent_back_with_errors_is_rendered_afresh_with_the_ticked_comments(
    closed_round: Round, make_comment: Callable[..., Comment], coordinator: User, as_user: Login
) -> None:
    comment = make_comment(closed_round, "Uwaga")
    client = as_user(coordinator)
    _page(client, closed_round)
    response = client.post(
        _url(closed_round),
        {"comments": [comment.pk], f"version-{comment.pk}": comment.version, "disposition": ""},
    )
    assert response.status_code == 400
    assert BODY in [t.name for t in response.templates]  # type: ignore[attr-defined]
    html = response.content.decode()
    start = html.index(f'id="choose-{comment.pk}"')
    assert "checked" in html[html.rindex("<input", 0, start) : html.index(">", start)]
    assert AnswerTemplate.objects.count() == 0
