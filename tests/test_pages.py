from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.fixtures import Settings

from actions.models import Action
from swot.models import SwotEntry
from teams.models import ContextSection, Meeting, Team, User

from .pages import crawl
from .seeds import annex_3_actions

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/teams/",
    "/actions/",
    "/programme/context/",
    "/accessibility/",
    "/privacy/",
    "/accounts/login/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_renders_for_anonymous_visitors(
    client: Client, seeded: Meeting, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="pl">' in body
    assert reverse("accessibility") in body
    assert reverse("privacy") in body


def test_pages_render_without_any_data(client: Client, unseeded: None) -> None:
    for url in ["/", "/teams/", "/actions/", "/programme/context/"]:
        assert client.get(url).status_code == 200


def test_every_seeded_text_is_reachable_from_home(client: Client, seeded: Meeting) -> None:
    pages = crawl(client)
    everything = " ".join(pages.values())
    # No template syntax leaks into a page (a {# … #} comment over two lines is printed).
    leaked = {url: [mark for mark in ("{#", "{%") if mark in page] for url, page in pages.items()}
    assert not any(leaked.values()), {url: marks for url, marks in leaked.items() if marks}
    expected = [seeded.title, seeded.team.other_names, seeded.annex_title]
    expected += [team.name for team in Team.objects.all()]
    expected += [item.title for item in seeded.agenda_items.all()]
    expected += [topic.title for topic in seeded.swot_topics.all()]
    expected += seeded.rule_list + seeded.next_step_list
    for section in ContextSection.objects.all():
        expected.append(section.title)
        for point in section.points:
            expected.append(point["text"])
            expected.extend(point["subpoints"])
    expected += annex_3_actions()
    missing = [text for text in expected if text not in everything]
    assert not missing, f"not reachable from home: {missing}"
    # The crawl reached every team page and the annex.
    for team in Team.objects.all():
        assert team.get_absolute_url() in pages
    assert reverse("actions:meeting-actions", args=[seeded.pk]) in pages


def test_home_shows_the_legal_deadline_and_the_current_step(
    client: Client, seeded: Meeting
) -> None:
    body = client.get("/").content.decode()
    assert "30 listopada 2011" in body
    assert 'aria-current="step"' in body
    assert "Upublicznienie wypracowanych dokumentów" in body


def test_annex_lists_the_18_actions_in_order(client: Client, seeded: Meeting) -> None:
    body = client.get(reverse("actions:meeting-actions", args=[seeded.pk])).content.decode()
    assert "Załącznik nr 3" in body
    positions = [body.index(f'id="action-{n}"') for n in range(1, 19)]
    assert positions == sorted(positions)
    for text in annex_3_actions():
        assert text in body


def test_meeting_page_shows_a_2x2_swot_board_per_topic(client: Client, seeded: Meeting) -> None:
    for topic in seeded.swot_topics.all():  # a topic without entries says so in one line
        SwotEntry.objects.create(topic=topic, quadrant="S", text="Wpis")
    body = client.get(seeded.get_absolute_url()).content.decode()
    for quadrant in ["Silne strony", "Słabe strony", "Szanse", "Zagrożenia"]:
        assert body.count(quadrant) == 2  # one per topic
    assert "Zasady współpracy podczas spotkania" in body
    assert "Dalsze kroki" in body


def test_user_text_is_escaped(client: Client, seeded: Meeting) -> None:
    Action.objects.filter(meeting=seeded, number=1).update(text="<script>alert(1)</script>")
    body = client.get(reverse("actions:meeting-actions", args=[seeded.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_a_draft_meeting_is_hidden_from_visitors_like_a_missing_one(
    client: Client, seeded: Meeting, coordinator, member
) -> None:
    draft = Meeting.objects.create(
        team=seeded.team, title="Szkic", date="2011-09-01", status=Meeting.Status.DRAFT
    )
    missing = client.get("/meetings/999999/")
    hidden = client.get(draft.get_absolute_url())
    assert hidden.status_code == missing.status_code == 404
    assert client.get(reverse("actions:meeting-actions", args=[draft.pk])).status_code == 404
    client.force_login(member)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(coordinator)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_the_moderator_of_the_team_sees_its_draft_meeting(
    client: Client, seeded: Meeting, moderator
) -> None:
    draft = Meeting.objects.create(
        team=seeded.team, title="Szkic", date="2011-09-01", status=Meeting.Status.DRAFT
    )
    other = Meeting.objects.create(
        team=Team.objects.get(slug="kultura"), title="Inny", date="2011-09-02"
    )
    client.force_login(moderator)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404


def test_language_switch_serves_english_and_back(client: Client, seeded: Meeting) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/teams/"})
    assert response.status_code == 302
    assert response["Location"] == "/teams/"
    body = client.get("/teams/").content.decode()
    assert '<html lang="en">' in body
    assert "Branch teams" in body
    # A team's name has an English version (Team.name_en); other seeded content stays Polish.
    assert "for education" in body and "ds. edukacji" not in body
    assert '<bdi lang="pl">ds. Wykluczenia Społecznego</bdi>' in body
    client.post("/i18n/setlang/", {"language": "pl", "next": "/"})
    assert '<html lang="pl">' in client.get("/").content.decode()


def test_the_language_switch_on_a_page_answering_a_form_returns_to_where_the_form_was(
    client: Client, seeded: Meeting
) -> None:
    """A comment refused without JavaScript is answered at the form's address, which a GET
    cannot open (405): switching the language there goes back to the page the form was sent
    from, or home; never to another host."""
    from consultations.models import Round

    client.force_login(User.objects.get(email="ngo@example.org"))
    round_ = next(r for r in Round.objects.all() if r.phase == "open")
    page = f"http://testserver{round_.get_absolute_url()}"
    url = f"/consultations/{round_.pk}/comments/"
    refused = client.post(url, {"comment-text": " "}, HTTP_REFERER=page)
    assert refused.status_code == 400
    assert f'name="next" value="{page}"' in refused.content.decode()
    assert 'name="next" value="/"' in client.post(url, {"comment-text": " "}).content.decode()
    elsewhere = client.post(url, {"comment-text": " "}, HTTP_REFERER="https://evil.example/x")
    assert 'name="next" value="/"' in elsewhere.content.decode()
    assert f'name="next" value="{round_.get_absolute_url()}"' in (
        client.get(round_.get_absolute_url()).content.decode()
    )


def test_healthz_answers_json_when_the_database_answers(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_fails(client: Client, db: None, monkeypatch) -> None:
    def broken(self: CursorWrapper, sql: str, params: object = None) -> None:
        raise OperationalError("down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_meeting_page_query_count_does_not_grow_with_actions(
    client: Client, seeded: Meeting
) -> None:
    url = seeded.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(19, 119):
        Action.objects.create(team=seeded.team, meeting=seeded, number=n, text=f"Działanie {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    # The first visit freezes the annex of the demo's meeting, published before publications
    # existed (documents.publications); the count is of every visit after it.
    client.get(reverse("actions:meeting-actions", args=[seeded.pk]))
    with CaptureQueriesContext(connection) as annex:
        client.get(reverse("actions:meeting-actions", args=[seeded.pk]))
    assert len(annex) <= 6


def test_polish_is_served_whatever_the_browser_asks_for(client: Client, seeded: Meeting) -> None:
    body = client.get("/teams/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="pl">' in body
    assert "Zespoły branżowe" in body


def test_pages_load_htmx_without_the_debug_script_that_replaces_pages_on_errors(
    client: Client, seeded: Meeting, settings: Settings
) -> None:
    """Under DEBUG (the demo) django-htmx's tag adds a script that replaces the whole page
    with a refused request's error page; the portal shows a note by the form instead, and
    keeps the text in it (static/js/htmx-refused.js)."""
    settings.DEBUG = True
    body = client.get("/").content.decode()
    assert "django_htmx/htmx-2.min.js" in body and "htmx-refused.js" in body
    assert "django-htmx.js" not in body
