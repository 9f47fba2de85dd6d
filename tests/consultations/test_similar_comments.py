"""Similar comments together: a campaign letter sent by many organisations is recognised and
offered as one group to settle at once; each comment keeps its own submitter in the report."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations.models import AuthorRole, Comment, Disposition, Round
from consultations.phases import Phase
from consultations.similarity import normalise, similar_groups
from teams.models import Organisation, User

pytestmark = pytest.mark.django_db

Login = Callable[[User | None], Client]

LETTER = (
    "Szanowni Państwo, wnosimy o zwiększenie środków na wkład własny organizacji "
    "pozarządowych w projektach finansowanych ze źródeł zewnętrznych, ponieważ obecny limit "
    "uniemożliwia małym stowarzyszeniom udział w konkursach unijnych i rządowych. Prosimy też "
    "o uproszczenie rozliczeń dotacji poniżej dziesięciu tysięcy złotych."
)


def _letter(signature: str) -> str:
    return f"{LETTER} Z poważaniem, {signature}"


def test_normalising_ignores_case_spacing_and_punctuation() -> None:
    assert normalise("  Ta SAMA,   uwaga!\n") == normalise("ta sama uwaga")
    assert normalise("Łódź — źle.") == "łódź źle"


def test_identical_and_nearly_identical_texts_are_grouped_and_others_are_not() -> None:
    texts = {
        1: _letter("Fundacja Alfa"),
        2: _letter("Stowarzyszenie Beta z Nowej Huty").upper(),
        3: _letter("Klub Gamma").replace("ponieważ", "gdyż"),
        4: "Prosimy o dłuższe godziny otwarcia Centrum Obywatelskiego.",
        5: "Prosimy o dłuższe godziny otwarcia Centrum Obywatelskiego!",
        6: "Zupełnie inna uwaga o konsultacjach społecznych i ich terminach.",
        7: "",
    }
    groups = similar_groups(list(texts.items()))
    assert sorted(sorted(group) for group in groups) == [[1, 2, 3], [4, 5]]


def test_grouping_a_big_round_compares_each_comment_with_few_others() -> None:
    # 3,000 comments, a third of them one letter: linear work, not 4.5 million comparisons.
    texts = [
        (i, _letter(f"Organizacja {i}") if i % 3 == 0 else f"Uwaga numer {i} o sprawie {i * 7}")
        for i in range(3000)
    ]
    groups = similar_groups(texts)
    assert [len(group) for group in groups] == [1000]


def test_a_text_is_compared_with_every_group_in_its_bucket_not_only_the_first_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three texts share their smallest shingle (one bucket); the first is like neither of
    the others, which are like each other: they must still be grouped."""
    from consultations import similarity

    shingles = {
        1: frozenset({1, 2, 3, 4, 100}),
        2: frozenset({1, 2, 3, 4, 5}),
        3: frozenset({1, 2, 3, 4, 5, 6}),
    }
    monkeypatch.setattr(similarity, "PERMUTATIONS", [(1, 0)])
    monkeypatch.setattr(similarity, "_shingles", lambda text: shingles[int(text)])
    assert similarity.similar_groups([(pk, str(pk)) for pk in shingles]) == [[2, 3]]


def _campaign(round_: Round, n: int) -> list[Comment]:
    organisations = [
        Organisation.objects.create(name=f"Stowarzyszenie Kampanijne {i}", nip="") for i in range(n)
    ]
    return [
        Comment.objects.create(
            round=round_,
            author_role=AuthorRole.ORGANISATION,
            organisation=organisation,
            text=_letter(organisation.name),
        )
        for organisation in organisations
    ]


def _similar_url(round_: Round) -> str:
    return f"/consultations/{round_.pk}/settle/similar/"


def test_the_coordinating_team_settles_a_group_at_once_and_the_report_keeps_each_submitter(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    coordinator: User,
    as_user: Login,
) -> None:
    letters = _campaign(closed_round, 4)
    other = make_comment(closed_round, "Inna, osobna uwaga o lokalach.")
    client = as_user(coordinator)
    html = client.get(_similar_url(closed_round)).content.decode()
    assert "4 similar comments" in html
    for letter in letters:
        assert re.search(rf'<input[^>]*value="{letter.pk}"[^>]*checked', html)
    assert f'value="{other.pk}"' not in html
    response = client.post(
        _similar_url(closed_round),
        {
            "comments": [c.pk for c in letters],
            **{f"version-{c.pk}": c.version for c in letters},
            "disposition": Disposition.PARTLY_ACCEPTED,
            "justification": "Uwzględniono częściowo w rozdziale 5.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _similar_url(closed_round)
    for letter in letters:
        letter.refresh_from_db()
        assert letter.disposition == Disposition.PARTLY_ACCEPTED
    other.refresh_from_db()
    assert other.disposition == ""
    # Settled groups leave the page; the report lists every letter under its own submitter.
    assert "4 similar comments" not in client.get(_similar_url(closed_round)).content.decode()
    report = client.get(f"/consultations/{closed_round.pk}/report/").content.decode()
    for letter in letters:
        assert letter.organisation.name in report  # type: ignore[union-attr]


def test_a_group_refused_is_summed_up_on_its_own_form_focused(
    closed_round: Round, coordinator: User, as_user: Login
) -> None:
    """As on the settle page: the group's form comes back with a focused summary on top, each
    error linking to its field, and the rest of the page unchanged."""
    letters = _campaign(closed_round, 3)
    response = as_user(coordinator).post(
        _similar_url(closed_round),
        {
            "comments": [c.pk for c in letters],
            **{f"version-{c.pk}": c.version for c in letters},
            "disposition": Disposition.ACCEPTED,
            "justification": "",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    legend = html.index('id="similar-1"')
    start = html.rindex("<form", 0, legend)
    form = html[start : html.index("</form>", legend)]
    assert 'class="alert alert-danger" role="alert" tabindex="-1" autofocus' in form
    assert 'href="#group-1-justification"' in form
    assert html.count("autofocus") == 1
    assert not Comment.objects.filter(pk__in=[c.pk for c in letters]).exclude(disposition="")


def test_a_group_with_ones_own_comment_saves_nothing(
    closed_round: Round,
    make_comment: Callable[..., Comment],
    member: User,
    as_user: Login,
    coordinator: User,
) -> None:
    letters = _campaign(closed_round, 2)
    Comment.objects.filter(pk=letters[0].pk).update(author=coordinator)
    response = as_user(coordinator).post(
        _similar_url(closed_round),
        {
            "comments": [c.pk for c in letters],
            **{f"version-{c.pk}": c.version for c in letters},
            "disposition": Disposition.ACCEPTED,
            "justification": "Tak.",
        },
    )
    assert response.status_code == 403
    assert not Comment.objects.filter(pk__in=[c.pk for c in letters]).exclude(disposition="")


def test_the_similar_page_costs_as_many_queries_with_300_comments_as_with_30(
    make_round: Callable[..., Round], coordinator: User, as_user: Login
) -> None:
    small = make_round(Phase.CLOSED, title="Small")
    large = make_round(Phase.CLOSED, title="Large")
    _campaign(small, 10)
    _campaign(large, 100)
    for round_, n in ((small, 20), (large, 200)):
        Comment.objects.bulk_create(
            Comment(
                round=round_,
                author_role=AuthorRole.EXPERT,
                text=f"Uwaga ekspercka {i}: {i * 13} " + "słowo " * (i % 7),
            )
            for i in range(n)
        )
    client = as_user(coordinator)

    def count(round_: Round) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_similar_url(round_)).status_code == 200
        return len(queries)

    assert count(small) == count(large)


@pytest.mark.parametrize("who", [None, "member", "moderator", "official"])
def test_only_the_coordinating_team_sees_the_groups(
    closed_round: Round, as_user: Login, who: str | None, request: pytest.FixtureRequest
) -> None:
    letters = _campaign(closed_round, 2)
    client = as_user(request.getfixturevalue(who) if who else None)
    assert client.get(_similar_url(closed_round)).status_code in (302, 403, 404)
    response = client.post(
        _similar_url(closed_round),
        {
            "comments": [c.pk for c in letters],
            **{f"version-{c.pk}": c.version for c in letters},
            "disposition": Disposition.ACCEPTED,
            "justification": "Tak.",
        },
    )
    assert response.status_code in (302, 403, 404)
    assert not Comment.objects.filter(round=closed_round).exclude(disposition="")
