"""The site search: public rows only, every kind, a label on its box, clear errors."""

from __future__ import annotations

from django.test import Client

from opendata.polish import fold

from .conftest import World, assert_no_secret


def unmarked(html: str) -> str:
    """The page without the marks around matching words."""
    return html.replace("<mark>", "").replace("</mark>", "")


def test_search_finds_public_actions_goals_swot_entries_and_comments(
    client: Client, world: World
) -> None:
    response = client.get("/search/", {"q": "źródła"})
    assert response.status_code == 200
    html = unmarked(response.content.decode())
    for text in [
        "Public źródła finansowania action",
        "Public źródła finansowania goal",
        "Public źródła finansowania swot entry",
        "Public comment about źródła",
    ]:
        assert text in html
    assert world.visible_comment.get_absolute_url() in html


def test_search_never_shows_drafts_unpublished_results_or_hidden_comments(
    client: Client, world: World
) -> None:
    for query in ["SECRET", "Personname", "secret.person@example.org"]:
        html = client.get("/search/", {"q": query}).content.decode()
        assert "0 results for" in html, query
    for query in ["comment", "swot entry", "goal", "action", "disposition"]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        assert "0 results for" not in response.content.decode(), query
        assert_no_secret(response.content.decode())


def test_search_tells_a_too_short_query_and_searches_nothing(client: Client, world: World) -> None:
    response = client.get("/search/", {"q": "a"})
    assert response.status_code == 400
    assert "Type at least 2 characters." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_every_page_has_a_labelled_search_box(client: Client, world: World) -> None:
    html = client.get("/").content.decode()
    assert '<label for="site-search-q"' in html
    assert 'id="site-search-q"' in html
    assert 'action="/search/"' in html


def test_search_ignores_polish_diacritics_and_case_on_every_database(
    client: Client, world: World
) -> None:
    html = client.get("/search/", {"q": "zrodla finansowania"}).content.decode()
    assert "Public <mark>źródła</mark> <mark>finansowania</mark> action" in html
    html = client.get("/search/", {"q": "ŹRÓDŁA"}).content.decode()
    assert "Public <mark>źródła</mark> finansowania goal" in html
    html = unmarked(client.get("/search/", {"q": "źródła FINANSOWANIA"}).content.decode())
    assert "Public źródła finansowania goal" in html


def test_search_finds_paragraphs_of_the_newest_published_programme_version(
    client: Client, world: World
) -> None:
    from drafts.models import DraftVersion

    version = DraftVersion.objects.order_by("-number").first()
    assert version is not None, "seed_demo publishes version 1"
    paragraph = next(
        p for s in version.snapshot["sections"] for p in s["paragraphs"] if len(p["text"]) > 30
    )
    words = paragraph["text"].split()[:3]
    html = client.get("/search/", {"q": " ".join(words).upper()}).content.decode()
    assert f"/programme-draft/versions/{version.pk}/#p-{paragraph['uid']}" in html
    assert fold("Źródła ŁÓDŹ") == "zrodla lodz"
