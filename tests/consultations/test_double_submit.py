"""A form sent twice makes one comment: each comment and reply form carries a token issued with
it (``comment-token``/``reply-token``), stored unique on the comment; the second submit is told
that it was already saved."""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test import Client

from consultations import services
from consultations.models import AuthorRole, Comment, Round
from consultations.phases import Phase
from drafts.models import DraftVersion
from teams.models import Meeting, Organisation, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]
HX = {"HTTP_HX_REQUEST": "true"}
ALREADY = "This comment was already saved"


@pytest.fixture
def version(seeded: Meeting) -> DraftVersion:
    return DraftVersion.objects.get(draft__programme=seeded.team.programme, number=1)


def _comment(round_: Round, token: uuid.UUID | str, text: str = "Raz wystarczy.") -> dict:
    return {"comment-text": text, "comment-item": "", "comment-token": str(token)}


def _tokens(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}"[^>]*value="([^"]+)"', html) + re.findall(
        rf'value="([^"]+)"[^>]*name="{name}"', html
    )


def test_the_same_comment_form_sent_twice_saves_one_comment_and_says_so(
    open_round: Round, member: User, as_user: Login
) -> None:
    client = as_user(member)
    page = client.get(open_round.get_absolute_url()).content.decode()
    (token,) = _tokens(page, "comment-token")
    url = f"/consultations/{open_round.pk}/comments/"
    first = client.post(url, _comment(open_round, token))
    second = client.post(url, _comment(open_round, token), follow=True)
    comment = Comment.objects.get(round=open_round)
    assert first.status_code == 302 and first["Location"].endswith(f"#comment-{comment.pk}-message")
    assert second.status_code == 200
    assert second.redirect_chain[0][0].endswith(f"#comment-{comment.pk}-message")
    assert ALREADY in second.content.decode()


def test_a_double_submit_with_htmx_saves_one_comment_and_the_second_answer_says_so(
    open_round: Round, member: User, as_user: Login
) -> None:
    client = as_user(member)
    token = uuid.uuid4()
    url = f"/consultations/{open_round.pk}/comments/"
    first = client.post(url, _comment(open_round, token), **HX)
    second = client.post(url, _comment(open_round, token), **HX)
    comment = Comment.objects.get(round=open_round)
    body = second.content.decode()
    assert first.status_code == second.status_code == 200
    assert ALREADY in body and f"#comment-{comment.pk}" in body
    # The comment is not appended to the list a second time; the form is fresh for the next.
    assert "hx-swap-oob" not in body
    assert str(token) not in body and len(_tokens(body, "comment-token")) == 1


def test_each_form_on_the_round_page_has_its_own_token(
    make_round: Callable[..., Round], version: DraftVersion, member: User, as_user: Login
) -> None:
    round_ = make_round(Phase.OPEN, draft_version=version)
    page = as_user(member).get(round_.get_absolute_url()).content.decode()
    tokens = _tokens(page, "comment-token")
    assert len(tokens) > 2  # the form at the bottom and one per paragraph
    assert len(set(tokens)) == len(tokens)
    assert all(uuid.UUID(t) for t in tokens)


def test_a_cached_page_and_a_cached_blank_form_still_get_fresh_tokens(
    make_round: Callable[..., Round], version: DraftVersion, member: User, as_user: Login
) -> None:
    """The page's content and the blank form sent back after a comment are cached for every
    viewer with the same rights; the tokens in them are each response's own."""
    round_ = make_round(Phase.OPEN, draft_version=version)
    client = as_user(member)
    first = _tokens(client.get(round_.get_absolute_url()).content.decode(), "comment-token")
    second = _tokens(client.get(round_.get_absolute_url()).content.decode(), "comment-token")
    assert len(first) == len(second) > 2
    assert not set(first) & set(second)
    url = f"/consultations/{round_.pk}/comments/"
    answers = [
        client.post(url, _comment(round_, uuid.uuid4(), f"Uwaga {n}"), **HX).content.decode()
        for n in range(2)
    ]
    (after_first,), (after_second,) = (_tokens(a, "comment-token") for a in answers)
    assert after_first != after_second
    assert not {after_first, after_second} & {*first, *second}
    assert round_.comments.count() == 2


def test_a_reply_sent_twice_is_saved_once(
    open_round: Round, make_comment: Callable[..., Comment], expert: User, as_user: Login
) -> None:
    comment = make_comment(open_round, "Wątek")
    client = as_user(expert)
    page = client.get(open_round.get_absolute_url()).content.decode()
    (token,) = _tokens(page, "reply-token")
    url = f"/consultations/comments/{comment.pk}/reply/"
    data = {"reply-text": "Odpowiedź", "reply-token": token}
    assert client.post(url, data).status_code == 302
    second = client.post(url, data, follow=True)
    assert ALREADY in second.content.decode()
    again = client.post(url, data, **HX)
    assert again.status_code == 200 and ALREADY in again.content.decode()
    assert comment.replies.count() == 1


def test_a_form_without_its_token_is_refused_with_a_message_and_nothing_is_stored(
    open_round: Round, member: User, as_user: Login
) -> None:
    data = _comment(open_round, "")
    del data["comment-token"]
    response = as_user(member).post(f"/consultations/{open_round.pk}/comments/", data)
    assert response.status_code == 400
    assert "reload the page" in response.content.decode()
    assert not open_round.comments.exists()


def test_another_persons_token_saves_nothing_and_reveals_nothing(
    open_round: Round, member: User, expert: User, as_user: Login
) -> None:
    token = uuid.uuid4()
    url = f"/consultations/{open_round.pk}/comments/"
    as_user(member).post(url, _comment(open_round, token, "Moja uwaga"))
    response = as_user(expert).post(url, _comment(open_round, token, "Cudza"))
    body = response.content.decode()
    assert response.status_code == 400 and ALREADY not in body
    assert list(open_round.comments.values_list("text", flat=True)) == ["Moja uwaga"]


def test_the_comment_and_reply_forms_disable_their_button_while_htmx_posts(
    open_round: Round, make_comment: Callable[..., Comment], expert: User, as_user: Login
) -> None:
    make_comment(open_round, "Wątek")
    page = as_user(expert).get(open_round.get_absolute_url()).content.decode()
    forms = re.findall(r"<form[^>]*hx-post=\"[^\"]*/(?:comments|reply)/\"[^>]*>", page)
    assert len(forms) == 2
    assert all('hx-disabled-elt="find button[type=submit]"' in form for form in forms)


@pytest.mark.django_db(transaction=True)
def test_two_submits_of_one_form_at_the_same_moment_save_one_comment(
    make_round: Callable[..., Round], member: User
) -> None:
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.fail("needs a file database so that two threads share it")
    round_ = make_round(Phase.OPEN)
    data = _comment(round_, uuid.uuid4())
    barrier = threading.Barrier(2)
    answers: list[tuple[int, str]] = []

    def submit() -> None:
        client = Client()
        client.force_login(member)
        client.cookies["django_language"] = "en"
        barrier.wait()
        try:
            response = client.post(f"/consultations/{round_.pk}/comments/", data, follow=True)
            answers.append((response.status_code, response.content.decode()))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in answers] == [200, 200]
    assert sum(ALREADY in body for _, body in answers) == 1
    assert Comment.objects.filter(round=round_).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_submit_that_finds_the_first_one_still_uncommitted_is_told_once_it_commits(
    make_round: Callable[..., Round], member: User, member_org: Organisation
) -> None:
    """The second submit starts while the first one's transaction is still open: on PostgreSQL
    its insert waits on the unique token and fails when the first commits; on SQLite it waits
    for the write lock. Either way it finds the first comment and saves nothing."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.fail("needs a file database so that two threads share it")
    round_ = make_round(Phase.OPEN)
    token = uuid.uuid4()
    first_inserted = threading.Event()
    outcome: dict[str, object] = {}

    def post(name: str) -> Comment:
        return services.comment_post(
            actor=member,
            round_=round_,
            text=name,
            author_role=AuthorRole.ORGANISATION,
            organisation=member_org,
            token=token,
        )

    def first() -> None:
        try:
            with transaction.atomic():
                outcome["first"] = post("first")
                first_inserted.set()
                time.sleep(0.5)  # the second submit reaches its insert meanwhile
        finally:
            first_inserted.set()
            connection.close()

    def second() -> None:
        first_inserted.wait()
        try:
            post("second")
            outcome["second"] = "saved"
        except services.AlreadySaved as sent:
            outcome["second"] = sent.current
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = Comment.objects.get(round=round_)
    assert saved.text == "first"
    assert outcome["second"] == saved == outcome["first"]


def test_a_form_sent_again_after_the_round_closed_is_told_its_comment_was_saved(
    open_round: Round, expert: User
) -> None:
    """The token is looked up only when a post is refused or its insert fails
    (services._once_per_form): a refusal still yields to "already saved", so nobody is told
    that nothing was saved when their comment was."""
    token = uuid.uuid4()

    def post(text: str, token: uuid.UUID) -> Comment:
        return services.comment_post(
            actor=expert, round_=open_round, text=text, author_role=AuthorRole.EXPERT, token=token
        )

    first = post("Zdążyłam.", token)
    Round.objects.filter(pk=open_round.pk).update(status=Phase.CLOSED)
    open_round.refresh_from_db()
    with pytest.raises(services.AlreadySaved) as sent:
        post("Zdążyłam.", token)
    assert sent.value.current == first
    # Without a token of a saved comment the refusal stands.
    with pytest.raises(services.Refused) as refused:
        post("Za późno.", uuid.uuid4())
    assert not isinstance(refused.value, services.AlreadySaved)
    assert list(open_round.comments.values_list("text", flat=True)) == ["Zdążyłam."]


def test_a_comment_form_retried_just_after_the_deadline_is_told_its_comment_is_there(
    open_round: Round, member: User, as_user: Login
) -> None:
    """The view refuses a closed round before the service is asked; a form whose comment was
    saved is still told so, and a new one that nothing was saved."""
    client = as_user(member)
    token = uuid.uuid4()
    url = f"/consultations/{open_round.pk}/comments/"
    client.post(url, _comment(open_round, token, "Na czas"))
    Round.objects.filter(pk=open_round.pk).update(status=Phase.CLOSED)
    again = client.post(url, _comment(open_round, token, "Na czas"), follow=True)
    comment = Comment.objects.get(round=open_round)
    assert again.redirect_chain[0][0].endswith(f"#comment-{comment.pk}-message")
    assert ALREADY in again.content.decode()
    late = client.post(url, _comment(open_round, uuid.uuid4(), "Za późno"), follow=True)
    body = late.content.decode()
    assert ALREADY not in body and "nothing was saved" in body
    assert open_round.comments.count() == 1


def test_a_reply_form_retried_after_replies_closed_is_told_its_reply_is_there(
    open_round: Round, make_comment: Callable[..., Comment], expert: User, as_user: Login
) -> None:
    comment = make_comment(open_round, "Wątek")
    client = as_user(expert)
    url = f"/consultations/comments/{comment.pk}/reply/"
    data = {"reply-text": "Odpowiedź", "reply-token": str(uuid.uuid4())}
    assert client.post(url, data).status_code == 302
    Round.objects.filter(pk=open_round.pk).update(status=Phase.CLOSED)
    again = client.post(url, data, **HX)
    assert again.status_code == 200 and ALREADY in again.content.decode()
    other = {"reply-text": "Spóźniona", "reply-token": str(uuid.uuid4())}
    late = client.post(url, other, **HX).content.decode()
    assert ALREADY not in late and "Replies are closed" in late
    assert comment.replies.count() == 1


def test_a_reply_sent_after_replies_closed_shows_its_text_back_to_copy(
    open_round: Round, make_comment: Callable[..., Comment], expert: User, as_user: Login
) -> None:
    """As a late comment does: in place of the thread with htmx, on a page of its own without;
    nothing the person wrote is lost."""
    comment = make_comment(open_round, "Wątek")
    client = as_user(expert)
    url = f"/consultations/comments/{comment.pk}/reply/"
    Round.objects.filter(pk=open_round.pk).update(status=Phase.CLOSED)
    typed = "Moja spóźniona odpowiedź <b>z wierszem</b>"
    late = client.post(url, {"reply-text": typed, "reply-token": str(uuid.uuid4())}, **HX)
    body = late.content.decode()
    assert late.status_code == 200 and "Replies are closed" in body
    assert "Moja spóźniona odpowiedź &lt;b&gt;z wierszem&lt;/b&gt;</textarea>" in body
    plain = client.post(url, {"reply-text": typed, "reply-token": str(uuid.uuid4())})
    assert plain.status_code == 409
    assert "Moja spóźniona odpowiedź &lt;b&gt;z wierszem&lt;/b&gt;</textarea>" in (
        plain.content.decode()
    )
    assert comment.replies.count() == 0


def test_a_reply_and_a_support_sent_with_htmx_say_they_were_saved_where_the_person_is(
    open_round: Round,
    make_comment: Callable[..., Comment],
    expert: User,
    other_rep: User,
    as_user: Login,
) -> None:
    """The thread comes back with the message at its top (role="status", focused): without
    it a keyboard or screen-reader user heard nothing and was left on the page's body."""
    comment = make_comment(open_round, "Wątek do poparcia")
    reply = as_user(expert).post(
        f"/consultations/comments/{comment.pk}/reply/",
        {"reply-text": "Odpowiedź", "reply-token": str(uuid.uuid4())},
        **HX,
    )
    assert re.search(r'role="status"[^>]*autofocus>Your reply has been added\.', reply.text)
    organisation = Organisation.objects.get(representations__user=other_rep)
    support = as_user(other_rep).post(
        f"/consultations/comments/{comment.pk}/support/", {"organisation": organisation.pk}, **HX
    )
    assert re.search(
        r'role="status"[^>]*autofocus>Your organisation supports this comment\.', support.text
    )


def test_the_same_comment_sent_again_from_a_page_the_back_button_brought_back_is_not_added(
    open_round: Round, member: User, as_user: Login
) -> None:
    """Without JavaScript: sent, then Back (the page is loaded afresh: a new token, the text
    restored by the browser), then sent again. The second is told it was there already."""
    client = as_user(member)
    url = f"/consultations/{open_round.pk}/comments/"
    text = "Druga próba powrotu"
    assert client.post(url, _comment(open_round, uuid.uuid4(), text)).status_code == 302
    first = Comment.objects.get(round=open_round, text=text)
    again = client.post(url, _comment(open_round, uuid.uuid4(), text), follow=True)
    assert again.redirect_chain[0][0].endswith(f"#comment-{first.pk}-message")
    assert "You already sent this same comment" in again.content.decode()
    htmx = client.post(url, _comment(open_round, uuid.uuid4(), text), **HX).content.decode()
    assert "You already sent this same comment" in htmx
    assert f'href="#comment-{first.pk}"' in htmx
    assert Comment.objects.filter(round=open_round, text=text).count() == 1
    # Another text, or the same once the first is withdrawn, is a new comment.
    client.post(url, _comment(open_round, uuid.uuid4(), text + "!"))
    services.comment_withdraw(actor=member, comment=first)
    client.post(url, _comment(open_round, uuid.uuid4(), text))
    assert Comment.objects.filter(round=open_round, text__startswith=text).count() == 3


@pytest.mark.parametrize("on_behalf", ["org:99999", "org:abc", "official"])
def test_a_hidden_choice_changed_by_hand_says_the_form_expired(
    open_round: Round, expert: User, as_user: Login, on_behalf: str
) -> None:
    """The expert has one choice, sent in a hidden field. Changed, it was refused with
    "correct what is marked" and nothing marked; the page now says what to do."""
    client = as_user(expert)
    data = {**_comment(open_round, uuid.uuid4(), "Uwaga eksperta"), "comment-on_behalf": on_behalf}
    response = client.post(f"/consultations/{open_round.pk}/comments/", data)
    assert response.status_code == 400
    assert "This form has expired: reload the page" in response.content.decode()
    assert not Comment.objects.filter(text="Uwaga eksperta").exists()


def test_a_repeat_is_the_same_comment_in_every_respect_and_nothing_less(
    make_round: Callable[..., Round],
    version: DraftVersion,
    member: User,
    member_org: Organisation,
    expert: User,
) -> None:
    """services.refuse_if_repeated, field by field: a comment differing from an earlier one
    in any of REPEATED_FIELDS (empty or not, an id, a paragraph's uuid, a text) is new; only
    the very same one is refused, and the earlier one is named."""
    round_ = make_round(Phase.OPEN, meeting=None, draft_version=version, title="Powtórki")
    paragraphs = [p for s in version.snapshot["sections"] for p in s["paragraphs"]]
    first, second = (uuid.UUID(str(p["uid"])) for p in paragraphs[:2])

    def post(**kwargs: object) -> Comment:
        fields = {
            "actor": member,
            "round_": round_,
            "text": "Ta sama treść.",
            "author_role": AuthorRole.ORGANISATION,
            "organisation": member_org,
            "token": uuid.uuid4(),
        } | kwargs
        return services.comment_post(**fields)  # type: ignore[arg-type]

    def refused(**kwargs: object) -> Comment:
        with pytest.raises(services.AlreadySaved) as raised:
            post(**kwargs)
        return raised.value.current

    plain = post()
    assert refused() == plain
    on_paragraph = post(paragraph_uid=first)
    assert refused(paragraph_uid=first) == on_paragraph
    assert post(paragraph_uid=second) != on_paragraph  # another paragraph's uuid
    as_expert = {"actor": expert, "author_role": AuthorRole.EXPERT, "organisation": None}
    by_expert = post(**as_expert)  # another author, in another role, for no organisation
    assert refused(**as_expert) == by_expert
    with_wording = post(proposed_wording="Nowe brzmienie.", paragraph_uid=first)
    assert refused(proposed_wording="Nowe brzmienie.", paragraph_uid=first) == with_wording
    reply = post(parent=plain)
    assert refused(parent=plain) == reply
    assert post(parent=on_paragraph) != reply  # a reply to another comment
    post(text="Ta sama treść!")  # another text
    assert Comment.objects.filter(round=round_).count() == 8
