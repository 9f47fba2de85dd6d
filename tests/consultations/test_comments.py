"""Commenting through the real views: what is stored, what is refused, and what is shown."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from uuid import uuid4

import pytest
import time_machine
from django.test import Client

from actions.models import Action, Goal
from consultations.models import Comment, CommentRevision, Round, Support
from consultations.phases import Phase
from teams.models import Meeting, Organisation, Programme, Representation, Team, User
from tests.confirm import CONFIRMED

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]


def _url(round_: Round) -> str:
    return f"/consultations/{round_.pk}/comments/"


def _post(client: Client, round_: Round, **data: str) -> object:
    payload = {"comment-text": "Dobra propozycja.", "comment-item": "", "comment-token": uuid4()}
    payload.update({f"comment-{k}": v for k, v in data.items()})
    return client.post(_url(round_), payload)


def test_a_member_comments_on_an_action_and_the_comment_shows_the_organisation(
    open_round: Round, member: User, member_org: Organisation, as_user: Login, seeded: Meeting
) -> None:
    action = Action.objects.get(meeting=seeded, number=5)
    client = as_user(member)
    response = _post(
        client,
        open_round,
        text="Brakuje terminu.",
        proposed_wording="do końca 2012 r.",
        item=f"action:{action.pk}",
    )
    comment = Comment.objects.get(round=open_round)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}-message")
    assert (comment.action, comment.organisation, comment.proposed_wording) == (
        action,
        member_org,
        "do końca 2012 r.",
    )
    page = client.get(open_round.get_absolute_url()).content.decode()
    assert member_org.name in page
    assert "Brakuje terminu." in page
    assert member.get_full_name() not in page  # no consent to show the name


def test_the_name_is_shown_only_with_consent(
    open_round: Round, member: User, as_user: Login
) -> None:
    User.objects.filter(pk=member.pk).update(show_name_publicly=True)
    _post(as_user(member), open_round, text="Z nazwiskiem.")
    page = as_user(None).get(open_round.get_absolute_url()).content.decode()
    assert member.get_full_name() in page


def test_a_comment_without_an_item_is_on_the_round_as_a_whole(
    open_round: Round, expert: User, as_user: Login
) -> None:
    _post(as_user(expert), open_round, text="Ogólna uwaga eksperta.")
    comment = Comment.objects.get(round=open_round)
    assert comment.item is None
    assert comment.author_role == "expert"
    assert comment.organisation is None
    page = as_user(None).get(open_round.get_absolute_url()).content.decode()
    assert "The round as a whole" in page and "Expert" in page


def test_a_representative_of_two_organisations_chooses_which_one_comments(
    open_round: Round, member: User, other_rep: User, as_user: Login
) -> None:
    second = Organisation.objects.get(representations__user=other_rep)
    Representation.objects.create(user=member, organisation=second, status="approved")
    client = as_user(member)
    form = client.get(open_round.get_absolute_url()).content.decode()
    assert second.name in form and 'name="comment-on_behalf"' in form
    _post(client, open_round, on_behalf=f"org:{second.pk}")
    assert Comment.objects.get(round=open_round).organisation == second


def test_a_member_cannot_comment_for_an_organisation_they_do_not_represent(
    open_round: Round, member: User, as_user: Login
) -> None:
    stranger = Organisation.objects.create(name="Obca", nip="6794567898")
    response = _post(as_user(member), open_round, on_behalf=f"org:{stranger.pk}")
    assert response.status_code == 400
    assert not Comment.objects.filter(round__title__startswith="Test round").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 2001, "Ensure this value has at most 2000 characters"),
        ("zła\x00treść", "NUL character"),
    ],
)
def test_bad_text_is_refused_with_a_clear_message_and_nothing_is_stored(
    open_round: Round, member: User, as_user: Login, text: str, message: str
) -> None:
    response = _post(as_user(member), open_round, text=text)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.filter(round__title__startswith="Test round").exists()


def test_a_nul_in_the_proposed_wording_is_refused_too(
    open_round: Round, member: User, as_user: Login
) -> None:
    response = _post(as_user(member), open_round, proposed_wording="a\x00b")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert not Comment.objects.filter(round__title__startswith="Test round").exists()


def test_the_form_shows_the_text_limit(open_round: Round, member: User, as_user: Login) -> None:
    page = as_user(member).get(open_round.get_absolute_url()).content.decode()
    assert "At most 2000 characters." in page
    assert 'maxlength="2000"' in page


def test_html_and_script_are_kept_as_text_and_shown_escaped(
    open_round: Round, member: User, as_user: Login
) -> None:
    evil = '<script>alert("x")</script><b>bold</b>'
    _post(as_user(member), open_round, text=evil, proposed_wording="<img src=x onerror=alert(1)>")
    comment = Comment.objects.get(round__title__startswith="Test round")
    assert comment.text == evil
    page = as_user(None).get(open_round.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_an_item_outside_the_round_is_refused(
    open_round: Round, member: User, as_user: Login, seeded: Meeting
) -> None:
    team = Team.objects.exclude(pk=seeded.team_id).first()
    assert team is not None
    other_meeting = Meeting.objects.create(
        team=team, title="Inne", date=dt.date(2011, 7, 7), status="published"
    )
    outside = Action.objects.create(team=team, meeting=other_meeting, number=1, text="Obce")
    response = _post(as_user(member), open_round, item=f"action:{outside.pk}")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Comment.objects.filter(round__title__startswith="Test round").exists()


def test_a_merged_goal_is_not_an_item_of_the_round(
    open_round: Round, member: User, as_user: Login, seeded: Meeting
) -> None:
    kept = Goal.objects.create(team=seeded.team, meeting=seeded, number=1, title="Kept")
    merged = Goal.objects.create(
        team=seeded.team, meeting=seeded, number=2, title="Merged", merged_into=kept
    )
    assert _post(as_user(member), open_round, item=f"goal:{merged.pk}").status_code == 400
    assert _post(as_user(member), open_round, item=f"goal:{kept.pk}").status_code == 302
    assert Comment.objects.get(round__title__startswith="Test round").goal == kept


@pytest.mark.parametrize("who", ["anonymous", "unverified", "moderator", "coordinator"])
def test_people_who_may_not_comment_are_refused_and_nothing_is_stored(
    open_round: Round, as_user: Login, who: str, request: pytest.FixtureRequest
) -> None:
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = as_user(user)
    client.defaults["HTTP_ORIGIN"] = "http://testserver"  # sent from the portal's page
    response = _post(client, open_round)
    assert response.status_code in (302, 403)
    if who == "anonymous":  # the log-in link, and the text back (SessionEndedMiddleware)
        assert response.status_code == 403
        assert 'href="/accounts/login/?next=' in response.content.decode()
    assert not Comment.objects.filter(round__title__startswith="Test round").exists()


@pytest.mark.parametrize("phase", [Phase.ANNOUNCED, Phase.CLOSED, Phase.REPORT_PUBLISHED])
def test_a_member_cannot_comment_outside_the_open_phase(
    make_round: Callable[..., Round], member: User, as_user: Login, phase: str
) -> None:
    round_ = make_round(phase)
    client = as_user(member)
    response = _post(client, round_)
    assert response.status_code == 409
    assert "not open for comments" in response.content.decode()
    assert not Comment.objects.filter(round__title__startswith="Test round").exists()


def test_a_comment_sent_after_the_deadline_is_shown_back_to_its_author_not_lost(
    make_round: Callable[..., Round], member: User, as_user: Login
) -> None:
    """Refused, with the reason and the texts as typed: in place of the form for htmx (not the
    whole round page swapped into it), on a page of its own without JavaScript."""
    round_ = make_round(Phase.CLOSED)
    client = as_user(member)
    typed = {"text": "Moja <uwaga> na czas", "proposed_wording": "Nowe brzmienie § 3"}
    page = _post(client, round_, **typed)
    assert page.status_code == 409
    html = page.content.decode()
    assert "<html" in html and html.count('id="comment-form-section"') == 1
    fragment = client.post(
        _url(round_),
        {f"comment-{k}": v for k, v in {**typed, "item": "", "token": str(uuid4())}.items()},
        HTTP_HX_REQUEST="true",
    )
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "<html" not in html and "<header" not in html
    assert html.startswith("<section") or '<section id="comment-form-section"' in html
    for response in (page, fragment):
        text = response.content.decode()
        assert "not open for comments" in text
        assert "Moja &lt;uwaga&gt; na czas" in text and "Nowe brzmienie § 3" in text
    assert not Comment.objects.filter(round=round_).exists()


def test_a_draft_round_is_404_for_everyone_but_the_coordinating_team(
    make_round: Callable[..., Round], member: User, coordinator: User, as_user: Login
) -> None:
    round_ = make_round(Phase.DRAFT)
    assert as_user(None).get(round_.get_absolute_url()).status_code == 404
    assert as_user(member).get(round_.get_absolute_url()).status_code == 404
    assert as_user(coordinator).get(round_.get_absolute_url()).status_code == 200


def test_a_comment_one_second_after_the_deadline_is_refused(
    make_round: Callable[..., Round], member: User, as_user: Login
) -> None:
    closes = dt.datetime(2026, 12, 1, 16, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    with time_machine.travel(closes - dt.timedelta(days=3), tick=False):
        round_ = make_round(Phase.OPEN, opens_at=closes - dt.timedelta(days=10), closes_at=closes)
    client = as_user(member)
    with time_machine.travel(closes - dt.timedelta(seconds=1), tick=False):
        assert _post(client, round_, text="Na czas.").status_code == 302
    with time_machine.travel(closes, tick=False):
        assert _post(client, round_, text="Równo o czasie.").status_code == 409
    with time_machine.travel(closes + dt.timedelta(seconds=1), tick=False):
        assert _post(client, round_, text="Sekundę po czasie.").status_code == 409
    assert list(round_.comments.values_list("text", flat=True)) == ["Na czas."]


def test_the_deadline_is_16_00_warsaw_time_not_utc(
    make_round: Callable[..., Round], member: User, as_user: Login, settings: object
) -> None:
    from zoneinfo import ZoneInfo

    warsaw = ZoneInfo("Europe/Warsaw")
    closes = dt.datetime(2026, 7, 1, 16, 0, 0, tzinfo=warsaw)  # 14:00 UTC in summer
    with time_machine.travel(closes - dt.timedelta(days=3), tick=False):
        round_ = make_round(Phase.OPEN, opens_at=closes - dt.timedelta(days=10), closes_at=closes)
    with time_machine.travel(dt.datetime(2026, 7, 1, 14, 0, 1, tzinfo=dt.UTC), tick=False):
        assert _post(as_user(member), round_).status_code == 409
    assert not Comment.objects.filter(round__title__startswith="Test round").exists()


def test_the_author_edits_and_the_earlier_text_is_kept(
    open_round: Round, make_comment: Callable[..., Comment], member: User, as_user: Login
) -> None:
    comment = make_comment(open_round, "Pierwsza wersja")
    client = as_user(member)
    url = f"/consultations/comments/{comment.pk}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"text": "Druga wersja", "proposed_wording": "", "version": comment.version}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.text == "Druga wersja"
    assert list(CommentRevision.objects.values_list("text", flat=True)) == ["Pierwsza wersja"]
    assert comment.edited_at is not None
    assert "edited" in as_user(None).get(open_round.get_absolute_url()).content.decode()


def test_an_edit_from_a_stale_page_is_refused_and_nothing_is_lost(
    open_round: Round, make_comment: Callable[..., Comment], member: User, as_user: Login
) -> None:
    comment = make_comment(open_round, "Pierwsza wersja")
    client = as_user(member)
    url = f"/consultations/comments/{comment.pk}/edit/"
    client.post(url, {"text": "Z karty A", "version": comment.version})
    response = client.post(url, {"text": "Z karty B", "version": comment.version})
    assert response.status_code == 400
    assert "changed meanwhile" in response.content.decode()
    comment.refresh_from_db()
    assert comment.text == "Z karty A"


def test_nobody_else_may_edit_or_withdraw(
    open_round: Round, make_comment: Callable[..., Comment], other_rep: User, as_user: Login
) -> None:
    comment = make_comment(open_round, "Moja")
    client = as_user(other_rep)
    assert (
        client.post(f"/consultations/comments/{comment.pk}/edit/", {"text": "x"}).status_code == 403
    )
    assert client.post(f"/consultations/comments/{comment.pk}/withdraw/").status_code == 403
    comment.refresh_from_db()
    assert comment.text == "Moja" and comment.withdrawn_at is None


def test_the_author_cannot_edit_after_the_round_closes(
    make_round: Callable[..., Round],
    make_comment: Callable[..., Comment],
    member: User,
    as_user: Login,
) -> None:
    """Refused, and told why: the edit page says the round has closed (not "log in"), and an
    edit sent from a page opened before the deadline is shown back to be kept."""
    comment = make_comment(make_round(Phase.CLOSED), "Zamknięta")
    client = as_user(member)
    url = f"/consultations/comments/{comment.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 403
    assert "comments can no longer be edited" in page.content.decode()
    response = client.post(url, {"text": "Po czasie", "version": 1})
    assert response.status_code == 409
    assert "Your edit was not saved" in response.content.decode()
    assert "Po czasie" in response.content.decode()
    comment.refresh_from_db()
    assert comment.text == "Zamknięta"
    stranger = as_user(User.objects.create_user("obcy@example.org", password="x" * 12))
    assert stranger.post(url, {"text": "Cudza", "version": 1}).status_code in (403, 404)


def test_a_withdrawn_comment_leaves_the_page_but_stays_on_record(
    open_round: Round, make_comment: Callable[..., Comment], member: User, as_user: Login
) -> None:
    """Asked first (it cannot be undone); then gone for others, marked for its author."""
    comment = make_comment(open_round, "Do wycofania")
    client = as_user(member)
    url = f"/consultations/comments/{comment.pk}/withdraw/"
    page = client.get(open_round.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page  # the button leads to the confirmation page
    for asked in (client.get(url), client.post(url)):  # a POST without the confirmation too
        assert asked.status_code == 200
        assert "Withdraw your comment?" in asked.content.decode()
        assert asked.content.decode().count("cannot be undone") == 1  # said once
    comment.refresh_from_db()
    assert comment.withdrawn_at is None
    done = client.post(url, CONFIRMED)
    assert done.status_code == 302
    # Back to it, where its author still finds it, the message at the top of its thread.
    assert done["Location"] == f"{open_round.get_absolute_url()}#comment-{comment.pk}-message"
    there = client.get(done["Location"]).content.decode()
    article = there[there.index(f'id="comment-{comment.pk}"') :]
    assert "Your comment has been withdrawn." in article[:1500]
    comment.refresh_from_db()
    assert comment.withdrawn_at is not None
    assert "Do wycofania" not in as_user(None).get(open_round.get_absolute_url()).content.decode()
    own = client.get(open_round.get_absolute_url()).content.decode()
    assert "Do wycofania" in own and "You withdrew this comment: only you see it" in own
    mine = client.get("/consultations/my-comments/").content.decode()
    assert "Do wycofania" in mine and "You withdrew this comment." in mine


def test_replies_go_one_level_deep(
    open_round: Round,
    make_comment: Callable[..., Comment],
    other_rep: User,
    official: User,
    as_user: Login,
) -> None:
    comment = make_comment(open_round, "Pytanie")
    response = as_user(official).post(
        f"/consultations/comments/{comment.pk}/reply/",
        {"reply-on_behalf": "official", "reply-text": "Odpowiedź urzędu", "reply-token": uuid4()},
    )
    assert response.status_code == 302
    reply = Comment.objects.get(parent=comment)
    assert reply.author_role == "official"
    other_org = Organisation.objects.get(representations__user=other_rep)
    response = as_user(other_rep).post(
        f"/consultations/comments/{reply.pk}/reply/",
        {
            "reply-on_behalf": f"org:{other_org.pk}",
            "reply-text": "Do odpowiedzi",
            "reply-token": uuid4(),
        },
    )
    assert response.status_code == 409  # not taken, and the text shown back to copy
    assert "Do odpowiedzi" in response.content.decode()
    assert Comment.objects.filter(parent=reply).count() == 0
    page = as_user(None).get(open_round.get_absolute_url()).content.decode()
    assert "Odpowiedź urzędu" in page


def test_another_organisation_supports_a_comment_once(
    open_round: Round, make_comment: Callable[..., Comment], other_rep: User, as_user: Login
) -> None:
    comment = make_comment(open_round, "Wspieramy")
    organisation = Organisation.objects.get(representations__user=other_rep)
    client = as_user(other_rep)
    url = f"/consultations/comments/{comment.pk}/support/"
    assert client.post(url, {"organisation": organisation.pk}).status_code == 302
    client.post(url, {"organisation": organisation.pk})
    assert Support.objects.filter(comment=comment).count() == 1
    page = as_user(None).get(open_round.get_absolute_url()).content.decode()
    assert "Supported by" in page and organisation.name in page


def test_a_round_shorter_than_the_minimum_is_saved_with_a_warning(
    coordinator: User, as_user: Login, seeded: Meeting
) -> None:
    """Kraków's rules are warnings (tests/consultations/test_rules_krakow.py); announcing
    despite them needs a reason."""
    client = as_user(coordinator)
    data = {
        "title": "Krótka",
        "meeting": seeded.pk,
        "goal": "Cel",
        "subject": "Przedmiot",
        "responsible_office": "MOWIS",
        "contact": "mowis@example.org",
        "opens_at": "2026-12-01T08:00",
        "closes_at": "2026-12-05T16:00",
    }
    response = client.post("/consultations/new/", data, follow=True)
    assert "at least 21 days" in response.content.decode()
    assert Round.objects.filter(title="Krótka").exists()


def test_a_round_closing_near_the_legal_deadline_warns_the_coordinators(
    coordinator: User, as_user: Login, seeded: Meeting
) -> None:
    programme = Programme.objects.get()
    year = programme.period_start - 1
    client = as_user(coordinator)
    response = client.post(
        "/consultations/new/",
        {
            "title": "Późna",
            "meeting": seeded.pk,
            "goal": "Cel",
            "subject": "Przedmiot",
            "responsible_office": "MOWIS",
            "contact": "mowis@example.org",
            "opens_at": f"{year}-11-01T08:00",
            "closes_at": f"{year}-11-20T16:00",
        },
        follow=True,
    )
    assert "days before the legal deadline" in response.content.decode()
    early = Round.objects.get(title="Późna")
    assert early.leaves_too_little_time


def test_only_the_coordinating_team_creates_rounds(member: User, as_user: Login) -> None:
    assert as_user(member).get("/consultations/new/").status_code == 403


def test_a_member_comments_on_a_swot_entry_of_the_meeting(
    open_round: Round, member: User, as_user: Login, seeded: Meeting
) -> None:
    from swot.models import SwotEntry, SwotTopic

    topic = SwotTopic.objects.filter(meeting=seeded).first()
    assert topic is not None
    entry = SwotEntry.objects.create(topic=topic, quadrant="W", text="Mało środków")
    client = as_user(member)
    assert f'value="swot:{entry.pk}"' in client.get(open_round.get_absolute_url()).content.decode()
    assert _post(client, open_round, item=f"swot:{entry.pk}").status_code == 302
    assert open_round.comments.get().swot_entry == entry


def test_a_member_cannot_support_on_behalf_of_an_organisation_they_do_not_represent(
    open_round: Round, make_comment: Callable[..., Comment], other_rep: User, as_user: Login
) -> None:
    comment = make_comment(open_round, "Wsparcie")
    stranger = Organisation.objects.create(name="Obca", nip="6794567898")
    as_user(other_rep).post(
        f"/consultations/comments/{comment.pk}/support/", {"organisation": stranger.pk}
    )
    assert not Support.objects.filter(comment=comment).exists()


def test_a_long_item_is_cut_at_a_word_in_the_select_and_marked(
    open_round: Round, member: User, as_user: Login, seeded: Meeting
) -> None:
    """Annex 3's longer actions: "… wykluczeni…" mid-word, without a mark, read as the whole."""
    action = next(a for a in Action.objects.filter(meeting=seeded) if len(a.text) > 100)
    page = as_user(member).get(open_round.get_absolute_url()).content.decode()
    found = re.search(rf'<option value="action:{action.pk}"[^>]*>(.*?)</option>', page, re.S)
    assert found is not None
    label = html.unescape(found.group(1)).strip()
    shown = label.removeprefix(f"{action.number}. ")
    assert shown.endswith("…") and len(shown) <= 91
    kept = shown.removesuffix("…")
    assert action.text.startswith(kept)
    assert action.text[len(kept)] in " ,;:.-–", (kept, action.text)  # cut between words
