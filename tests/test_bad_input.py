"""Hostile input in URLs, query strings and form bodies: refused with 400 or 404 before any
view runs, the same on SQLite and PostgreSQL, never a 500, and nothing stored."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from consultations.models import Comment, Round
from consultations.phases import Phase
from core.ids import ID_MAX, IdConverter
from teams.models import Meeting, User

pytestmark = pytest.mark.django_db

# -- ids in URLs ---------------------------------------------------------------------------------

# A converter placeholder (<id:pk>) in a route, and a regex group in DRF's router's routes.
_PLACEHOLDER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_ID = "(?P<pk>[^/.]+)"
_REGEX_META = re.compile(r"[\\^$()\[\]?*+{}|]")


@dataclass(frozen=True)
class IdRoute:
    """A URL of the site with a slot for an id: ``template.format(id=...)``."""

    template: str

    def url(self, value: str) -> str:
        return "/" + self.template.format(id=quote(value, safe=""))


def _fragment(pattern: RoutePattern | RegexPattern) -> tuple[str, bool] | None:
    """The pattern as a piece of a path with ``{id}`` where an id goes, and whether it has one;
    None for a regex this walk cannot fill in (admin's, format suffixes)."""
    text = str(pattern)
    if isinstance(pattern, RoutePattern):
        has_id = False

        def fill(match: re.Match[str]) -> str:
            nonlocal has_id
            if match["converter"] in ("id", "int"):
                has_id = True
                return "{id}"
            return "x"  # slugs and strings: any valid value; the id decides the answer

        escaped = text.replace("{", "{{").replace("}", "}}")
        return _PLACEHOLDER.sub(fill, escaped), has_id
    has_id = _REGEX_ID in text
    stripped = text.removeprefix("^").removesuffix("$").replace(_REGEX_ID, "{id}")
    if _REGEX_META.search(stripped.replace("{id}", "")):
        return None
    return stripped, has_id


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", has_id: bool = False
) -> Iterator[IdRoute]:
    for entry in patterns:
        piece = _fragment(entry.pattern)
        if piece is None:
            continue
        fragment, own_id = piece
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + fragment, has_id or own_id)
        elif has_id or own_id:
            yield IdRoute(prefix + fragment)


ID_ROUTES = sorted(set(_walk(get_resolver().url_patterns)), key=lambda route: route.template)

# Values that can never name a row: out of the 64-bit range, zero, negative, or not a number
# at all (NUL and other control characters, letters, spaces, signs).
NOT_AN_ID = st.one_of(
    st.integers(max_value=0).map(str),
    st.integers(min_value=ID_MAX + 1).map(str),
    st.text(min_size=1, max_size=30).filter(lambda s: not (s.isascii() and s.isdigit())),
)
# Ids in range that name nothing in the test database.
MISSING_ID = st.integers(min_value=10**12, max_value=ID_MAX).map(str)


def test_the_walk_finds_every_kind_of_id_route() -> None:
    templates = {route.template for route in ID_ROUTES}
    assert "consultations/{id}/" in templates
    assert "meetings/{id}/agenda/{id}/delete/" in templates
    assert "programme-draft/versions/{id}.pdf" in templates
    assert "api/v1/rounds/{id}/" in templates
    assert len(ID_ROUTES) > 60


def test_no_route_takes_an_unbounded_integer() -> None:
    """Django's <int:…> matches any number of digits, and a number past the database's
    integer range fails inside the database (SQLite) instead of finding nothing."""

    def converters(patterns: list[URLPattern | URLResolver]) -> Iterator[tuple[str, object]]:
        for entry in patterns:
            for name, converter in getattr(entry.pattern, "converters", {}).items():
                yield f"{entry.pattern} {name}", converter
            if isinstance(entry, URLResolver):
                yield from converters(entry.url_patterns)

    unbounded = [
        where for where, c in converters(get_resolver().url_patterns) if type(c) is IntConverter
    ]
    assert unbounded == []


def test_the_id_converter_takes_exactly_the_database_range() -> None:
    converter = IdConverter()
    assert converter.to_python("1") == 1
    assert converter.to_python(str(ID_MAX)) == ID_MAX
    for value in ["0", str(ID_MAX + 1), "99999999999999999999999"]:
        with pytest.raises(ValueError, match="id"):
            converter.to_python(value)


@pytest.mark.parametrize(
    "url",
    [
        "/consultations/99999999999999999999999/",
        f"/consultations/{ID_MAX + 1}/",
        f"/consultations/{ID_MAX + 1}/report/",
        f"/consultations/{ID_MAX}/",
        "/meetings/99999999999999999999999/",
        "/consultations/0/",
    ],
)
def test_a_huge_or_impossible_id_is_not_found(client: Client, seeded: Meeting, url: str) -> None:
    client.raise_request_exception = False
    assert client.get(url).status_code == 404


@pytest.fixture
def coordinator_client(coordinator: User) -> Client:
    """The coordinating team may see and do most things, so its requests go deepest."""
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    return client


@pytest.mark.parametrize("route", ID_ROUTES, ids=lambda route: route.template)
@settings(
    max_examples=8,
    deadline=None,
    database=None,  # nothing written into the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(value=st.one_of(NOT_AN_ID, MISSING_ID))
@example(value="99999999999999999999999")
@example(value=str(ID_MAX + 1))
@example(value=str(ID_MAX))
@example(value="1\x00")
@example(value="-1")
@example(value="0")
def test_no_id_in_any_url_gives_a_server_error(
    coordinator_client: Client, route: IdRoute, value: str
) -> None:
    """Every route with an id, for GET and POST, as the coordinating team: an id that names
    nothing is not found (or the method is not allowed, or the API's throttle answers)."""
    url = route.url(value)
    for method in (coordinator_client.get, coordinator_client.post):
        status = method(url).status_code
        assert status in (404, 405, 429), (method.__name__, url, status)


# -- text in query strings and form bodies ---------------------------------------------------------


@pytest.mark.parametrize("query", ["q=ab%00cd", "q=%00", "q=ab%FFcd", "q=ab\xffcd"])
def test_search_for_a_nul_or_broken_text_is_a_bad_request(
    client: Client, seeded: Meeting, query: str
) -> None:
    client.raise_request_exception = False
    client.cookies["django_language"] = "en"
    response = client.get("/search/", QUERY_STRING=query)
    assert response.status_code == 400
    assert "not valid text" in response.content.decode()


def test_any_page_refuses_a_nul_in_its_query_string(client: Client, seeded: Meeting) -> None:
    client.raise_request_exception = False
    for url in ["/", "/teams/", "/api/v1/comments/", "/actions.csv", "/consultations/"]:
        assert client.get(url, QUERY_STRING="page=1%002").status_code == 400, url


def test_a_nul_in_a_cookie_is_a_bad_request_before_the_session_is_read(seeded: Meeting) -> None:
    """A quoted cookie value may spell a NUL as an octal escape, which Django decodes; the
    session key was then looked up on PostgreSQL and failed there."""
    client = Client(raise_request_exception=False, HTTP_COOKIE='sessionid="abcdefgh\\000ijklmnop"')
    assert client.get("/").status_code == 400


def test_a_search_in_polish_still_works(client: Client, seeded: Meeting) -> None:
    assert client.get("/search/", {"q": "źródła zażółć"}).status_code == 200


@pytest.fixture
def open_seed_round(seeded: Meeting) -> Round:
    round_ = Round.objects.get(status=Phase.ANNOUNCED)
    assert round_.phase == Phase.OPEN
    return round_


def _raw_post(client: Client, url: str, body: bytes, content_type: str) -> int:
    return client.generic("POST", url, body, content_type=content_type).status_code


URLENCODED = "application/x-www-form-urlencoded"


def _token() -> bytes:
    """A fresh submission token, so that a 400 below is the text's, not a missing token's."""
    return f"comment-token={uuid.uuid4()}".encode()


@pytest.mark.parametrize(
    "text",
    [b"raw\xff\xfe", b"raw%FF%FE", b"ok\xc3"],
    ids=["raw-bytes", "percent-encoded", "cut-sequence"],
)
def test_a_comment_in_broken_utf8_is_refused_and_not_stored(
    member: User, open_seed_round: Round, text: bytes
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(member)
    client.cookies["django_language"] = "en"
    before = Comment.objects.count()
    response = client.generic(
        "POST",
        f"/consultations/{open_seed_round.pk}/comments/",
        _token() + b"&comment-item=&comment-text=" + text,
        content_type=URLENCODED,
    )
    assert response.status_code == 400
    assert "not valid text" in response.content.decode()
    assert Comment.objects.count() == before


def test_a_nul_in_a_comment_is_refused_by_the_form_which_keeps_what_was_typed(
    member: User, open_seed_round: Round
) -> None:
    client = Client()
    client.force_login(member)
    client.cookies["django_language"] = "en"
    before = Comment.objects.count()
    response = client.generic(
        "POST",
        f"/consultations/{open_seed_round.pk}/comments/",
        _token() + b"&comment-item=&comment-text=Wklejone%00z+innego+programu",
        content_type=URLENCODED,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Remove it and send again." in page
    assert "Wklejone" in page  # the form is shown again with the text
    assert Comment.objects.count() == before


def test_a_comment_in_broken_utf8_is_refused_in_a_multipart_body(
    member: User, open_seed_round: Round
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(member)
    boundary = "BoUnDaRy"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="comment-token"\r\n\r\n'
            f"{uuid.uuid4()}\r\n"
            f'--{boundary}\r\nContent-Disposition: form-data; name="comment-item"\r\n\r\n\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="comment-text"\r\n\r\n'
        ).encode()
        + b"raw\xff\xfe\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    before = Comment.objects.count()
    response = client.generic(
        "POST",
        f"/consultations/{open_seed_round.pk}/comments/",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert Comment.objects.count() == before


def test_the_same_comment_in_valid_utf8_is_stored(member: User, open_seed_round: Round) -> None:
    client = Client()
    client.force_login(member)
    response = client.generic(
        "POST",
        f"/consultations/{open_seed_round.pk}/comments/",
        _token() + "&comment-item=&comment-text=Zażółć gęślą jaźń".encode(),
        content_type=URLENCODED,
    )
    assert response.status_code == 302
    assert Comment.objects.filter(text="Zażółć gęślą jaźń").exists()


def test_a_signup_in_broken_utf8_is_refused_and_not_stored(seeded: Meeting) -> None:
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "pl"
    password = b"a-long-Passw0rd-for-tests"
    body = (
        b"email=anna%40example.org&password1="
        + password
        + b"&password2="
        + password
        + b"&first_name=Anna\xff\xfe&last_name=Nowak"
    )
    response = client.generic("POST", "/accounts/signup/", body, content_type=URLENCODED)
    assert response.status_code == 400
    assert "nie są poprawnym tekstem" in response.content.decode()
    assert not User.objects.filter(email="anna@example.org").exists()
