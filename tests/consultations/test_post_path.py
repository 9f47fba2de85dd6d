"""What a comment post spends, cut without changing what it does (docs/architecture.md,
"Posting"): the CSRF token masked once per answer, the round's items kept in the process, and
the item's choices built only when needed."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token, rotate_token
from django.test import Client, RequestFactory
from django.utils import timezone
from psycopg.sql import Literal

from consultations import numbering, selectors, services
from consultations.forms import CommentForm
from consultations.models import AuthorRole, Comment, RegistrationCounter, Round
from consultations.permissions import viewer_for
from core import page_cache
from teams.models import Organisation, User

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HX = {"HTTP_HX_REQUEST": "true"}


def test_an_answer_masks_the_csrf_token_once_and_that_token_works(
    open_round: Round, member: User
) -> None:
    """The htmx answer to a comment holds the new thread (its reply form) and a fresh comment
    form: one token for both (Django's processor masked it once per template), and it is
    accepted by the next post."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    url = f"/consultations/{open_round.pk}/comments/"
    (token,) = set(TOKEN.findall(client.get(f"/consultations/{open_round.pk}/").content.decode()))
    first = client.post(
        url,
        {"csrfmiddlewaretoken": token, "comment-text": "Pierwsza", "comment-token": uuid4()},
        **HX,
    )
    assert first.status_code == 200
    tokens = TOKEN.findall(first.content.decode())
    assert len(tokens) >= 2  # the reply form and the fresh comment form
    assert len(set(tokens)) == 1
    second = client.post(
        url,
        {"csrfmiddlewaretoken": tokens[0], "comment-text": "Druga", "comment-token": uuid4()},
        **HX,
    )
    assert second.status_code == 200
    assert open_round.comments.count() == 2


def test_a_secret_rotated_meanwhile_gets_a_token_of_its_own() -> None:
    """A login rotates the CSRF secret: a token masked before it must not be handed out after
    it (it would be refused)."""
    request = RequestFactory().get("/")
    first = page_cache.request_token(request)
    assert page_cache.request_token(request) == first
    assert _unmask_cipher_token(first) == request.META["CSRF_COOKIE"]
    rotate_token(request)
    after = page_cache.request_token(request)
    assert after != first
    assert _unmask_cipher_token(after) == request.META["CSRF_COOKIE"]


class _Counted:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> list[str]:
        self.calls += 1
        return ["value", str(self.calls)]


def test_kept_values_are_computed_once_and_shared_by_the_process() -> None:
    compute = _Counted()
    first = page_cache.kept("test-kept:a", compute)
    assert page_cache.kept("test-kept:a", compute) is first  # not unpickled afresh
    assert compute.calls == 1
    assert page_cache.kept("test-kept:b", compute) == ["value", "2"]  # its own key


def test_kept_values_come_from_the_cache_that_other_processes_filled() -> None:
    page_cache.kept("test-kept:shared", _Counted())
    page_cache._KEPT.clear()  # another process: the cache has it, its memory not
    compute = _Counted()
    assert page_cache.kept("test-kept:shared", compute) == ["value", "1"]
    assert compute.calls == 0


def test_kept_values_go_with_the_cached_copy() -> None:
    """Cleared, deleted or expired in the cache, the process's copy is not used: a value is
    never kept longer than the cache keeps it."""
    compute = _Counted()
    page_cache.kept("test-kept:c", compute, timeout=60)
    cache.clear()
    assert page_cache.kept("test-kept:c", compute, timeout=60) == ["value", "2"]
    cache.delete("kept-token:test-kept:c")
    assert page_cache.kept("test-kept:c", compute, timeout=60) == ["value", "3"]
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=59)):
        assert page_cache.kept("test-kept:c", compute, timeout=60) == ["value", "3"]
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        assert page_cache.kept("test-kept:c", compute, timeout=60) == ["value", "4"]
    # Past its expiry even where the cache still names it (a cache keeping entries longer, or
    # a process whose clock is ahead of the one that stored it).
    token = cache.get("kept-token:test-kept:c")
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=121)):
        cache.set("kept-token:test-kept:c", token, 600)
        assert page_cache.kept("test-kept:c", compute, timeout=60) == ["value", "5"]
    assert compute.calls == 5


def test_a_value_computed_afresh_by_another_process_replaces_the_kept_copy() -> None:
    """Deleted and filled again by another process before this one asked: the cache names a
    new token, so this process reads the new value instead of keeping its own."""
    page_cache.kept("test-kept:d", lambda: "mine")
    expiry = time.time() + 300
    cache.set_many(
        {"kept:test-kept:d": (expiry, "theirs", "new"), "kept-token:test-kept:d": "theirs"}
    )
    assert page_cache.kept("test-kept:d", lambda: "computed") == "new"


def test_an_entry_of_another_shape_is_computed_afresh_and_not_kept() -> None:
    """What the cache holds under a kept key and is not what ``kept`` wrote (an earlier
    release's entry, a half-written pair, a copy past its expiry) is never handed out."""
    cache.set_many({"kept:test-kept:e": ["old shape"], "kept-token:test-kept:e": "t"})
    assert page_cache.kept("test-kept:e", lambda: "computed") == "computed"
    assert page_cache.kept("test-kept:e", lambda: "again") == "computed"
    cache.set_many({"kept:test-kept:f": (0.0, "t", "expired"), "kept-token:test-kept:f": "t"})
    assert page_cache.kept("test-kept:f", lambda: "computed") == "computed"


def test_a_post_is_answered_whatever_the_previous_release_left_in_the_cache(
    open_round: Round, member: User, as_user: Callable[[User | None], Client]
) -> None:
    """Until 6 December 2026 the round's items were cached whole under their state key; a new
    process reading such an entry after a deployment answered every post with a 500."""
    cache.set(selectors.round_items_key(open_round), selectors.round_items(open_round), 300)
    response = as_user(member).post(
        f"/consultations/{open_round.pk}/comments/",
        {"comment-text": "Po wdrożeniu", "comment-token": uuid4()},
        **HX,
    )
    assert response.status_code == 200
    assert open_round.comments.filter(text="Po wdrożeniu").exists()


def test_the_items_of_a_round_are_read_once_per_process(open_round: Round) -> None:
    items = selectors.cached_round_items(open_round)
    assert selectors.cached_round_items(open_round) is items
    open_round.version += 1  # every save of the round bumps it: another key
    assert selectors.cached_round_items(open_round) is not items


def test_a_comment_on_the_round_as_a_whole_is_checked_without_building_the_choices(
    open_round: Round, member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = selectors.round_items(open_round)
    assert items.actions  # the seeded meeting's results are offered
    viewer = viewer_for(member, open_round)

    def refuse(self: Any) -> Any:
        raise AssertionError("choices built")

    data = {"comment-text": "Całość", "comment-item": "", "comment-token": str(uuid4())}
    with monkeypatch.context() as patched:
        patched.setattr(selectors.RoundItems, "choices", refuse)
        form = CommentForm(data, viewer=viewer, items=items, prefix="comment")
        assert form.is_valid(), form.errors
        assert form.cleaned_data["item"] is None
    # A chosen item is still checked against them, and the select still offers them.
    action = items.actions[0]
    chosen = CommentForm(
        {**data, "comment-item": f"action:{action.pk}"},
        viewer=viewer,
        items=items,
        prefix="comment",
    )
    assert chosen.is_valid(), chosen.errors
    assert chosen.cleaned_data["item"] == action
    unknown = CommentForm(
        {**data, "comment-item": "action:999999"}, viewer=viewer, items=items, prefix="comment"
    )
    assert not unknown.is_valid()
    assert "item" in unknown.errors
    assert f'value="action:{action.pk}"' in str(
        CommentForm(viewer=viewer, items=items, prefix="comment")["item"]
    )


def test_the_repeated_comment_check_reads_the_same_texts_however_the_authors_are_spread(
    open_round: Round, member: User, member_org: Organisation
) -> None:
    """The repeated-comment check runs as a prepared statement, planned once for any author:
    within the registration number's UPDATE for a new comment
    (numbering.registration_number_unless), alone for a reply (services.refuse_if_repeated).
    With statistics in which one author wrote nearly every comment, PostgreSQL's generic plan
    used to scan every comment without an organisation (1 ms a post by 3,000 of them): on
    PostgreSQL the hash index on the text (migration 0026) is what it reads now, in both
    statements. SQLite has no such index and needs none (no prepared plans)."""
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Comment._meta.db_table)
    if connection.vendor != "postgresql":
        assert "comment_text_hash" not in indexes
        return
    assert indexes["comment_text_hash"]["index"]
    # As in benchmarks/round_page.py: most comments by one account for its organisation, and
    # some without one.
    Comment.objects.bulk_create(
        [
            Comment(
                round=open_round,
                author=member,
                author_role=AuthorRole.ORGANISATION,
                organisation=member_org,
                text=f"Uwaga organizacji nr {i}",
            )
            for i in range(1500)
        ]
        + [
            Comment(round=open_round, author=member, author_role=AuthorRole.EXPERT, text=f"Nr {i}")
            for i in range(300)
        ]
    )
    comment = Comment(
        round=open_round, author=member, author_role=AuthorRole.EXPERT, text="Ta sama uwaga"
    )
    check = services.repeated_query(comment)
    plans = [_generic_plan(*check), _generic_plan(*numbering.increment_query(2026, check))]
    for plan in plans:
        assert "Index Scan using repeated_check_text_idx" in plan, plan


def _generic_plan(sql: str, params: list[Any]) -> str:
    """PostgreSQL's generic plan of ``sql`` (with the comments in a copy of their table)."""
    # Planned on a copy of the table (its indexes too), so that the statistics faked below and
    # the plan asked for reach no other test: ANALYZE's row count outlives a rollback, and a
    # prepared statement the session.
    table = connection.ops.quote_name(Comment._meta.db_table)
    numbered = sql.replace(table, "repeated_check")
    for number in range(1, len(params) + 1):
        numbered = numbered.replace("%s", f"${number}", 1)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE repeated_check (LIKE {table} INCLUDING ALL)")
        cursor.execute(f"INSERT INTO repeated_check SELECT * FROM {table}")  # noqa: S608
        # One author for every comment, as far as the planner knows; the plan kept for any.
        cursor.execute("ALTER TABLE repeated_check ALTER COLUMN author_id SET (n_distinct = 1)")
        cursor.execute("ANALYZE repeated_check")
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table still: the indexes
        cursor.execute(f"PREPARE repeated AS {numbered}")
        try:
            # The values written in (psycopg leaves a string's type to the server to infer,
            # which EXECUTE's arguments do not allow).
            literals = [Literal(param).as_string(connection.connection) for param in params]
            cursor.execute(f"EXPLAIN EXECUTE repeated({', '.join(literals)})")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("DEALLOCATE repeated")
            cursor.execute("DROP TABLE repeated_check")
    return plan


def _expert_post(round_: Round, expert: User, text: str) -> Comment:
    return services.comment_post(
        actor=expert, round_=round_, text=text, author_role=AuthorRole.EXPERT, token=uuid4()
    )


def test_a_number_is_taken_unless_the_query_finds_a_row(open_round: Round, expert: User) -> None:
    """numbering.registration_number_unless: the counter moves only when the query finds
    nothing, also for a year without a counter yet, which it then does not create."""
    year = numbering.round_year(open_round)
    RegistrationCounter.objects.filter(year=year).delete()
    finds = ("SELECT 1", [])
    finds_nothing = ("SELECT 1 WHERE 1 = 0", [])
    assert numbering.registration_number_unless(open_round, finds) is None
    assert not RegistrationCounter.objects.filter(year=year).exists()
    assert numbering.registration_number_unless(open_round, finds_nothing) == f"KZ/{year}/0001"
    assert numbering.registration_number_unless(open_round, finds) is None
    assert numbering.registration_number_unless(open_round, finds_nothing) == f"KZ/{year}/0002"
    assert RegistrationCounter.objects.get(year=year).last == 2


def test_a_repeated_comment_takes_no_number_and_the_next_one_follows_on(
    open_round: Round, expert: User
) -> None:
    first = _expert_post(open_round, expert, "Uwaga raz")
    with pytest.raises(services.AlreadySaved) as repeated:
        _expert_post(open_round, expert, "Uwaga raz")
    assert repeated.value.current == first
    second = _expert_post(open_round, expert, "Uwaga dwa")
    assert int(second.registration_number[-4:]) == int(first.registration_number[-4:]) + 1


def test_a_repeat_withdrawn_while_it_is_checked_lets_the_comment_be_numbered_and_saved(
    open_round: Round, expert: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The number's statement found the earlier comment; by the time the repeat is named, its
    author has withdrawn it (another tab): the comment is new after all."""
    first = _expert_post(open_round, expert, "Uwaga wycofana")
    check = services.refuse_if_repeated

    def withdrawn_meanwhile(comment: Comment) -> None:
        Comment.objects.filter(pk=first.pk).update(withdrawn_at=timezone.now())
        check(comment)

    monkeypatch.setattr(services, "refuse_if_repeated", withdrawn_meanwhile)
    again = _expert_post(open_round, expert, "Uwaga wycofana")
    assert again.pk != first.pk
    assert int(again.registration_number[-4:]) == int(first.registration_number[-4:]) + 1
