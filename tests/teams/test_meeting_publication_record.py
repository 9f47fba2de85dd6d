"""A published meeting's page shows the publication record of its results, the same one as its
annex page ({% publication_record "meeting-actions" %}): who published, when, the file and
the errata, which the coordinating team adds there. Pages of unpublished meetings do not look
for one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.models import Publication
from teams.models import Meeting, User

from ..confirm import CONFIRMED
from ..swot.helpers import add_entry, english, make_meeting

pytestmark = pytest.mark.django_db

REASON = "Spotkanie odwołane z braku kworum; publikujemy dla porządku."


def _publish(
    client: Client, moderator: User, meeting: Meeting, capture: Callable, reason: str = ""
) -> Publication:
    """Publish through the moderator's confirmation, its commit callbacks run (the annex is
    frozen after the commit, documents.warming)."""
    client.force_login(moderator)
    with capture(execute=True):
        response = client.post(
            reverse("teams:meeting-advance", args=[meeting.pk]),
            {**CONFIRMED, "status": "closed", "reason": reason},
        )
    assert response.status_code == 302
    client.logout()
    return Publication.objects.get(kind="meeting-actions", object_id=str(meeting.pk))


def _publication_queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if '"documents_publication' in q["sql"]]


def test_a_meeting_published_without_results_shows_who_published_it_when_and_why(
    client: Client,
    moderator: User,
    seeded: Meeting,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    meeting = make_meeting(seeded.team, status=Meeting.Status.CLOSED)
    publication = _publish(
        client, moderator, meeting, django_capture_on_commit_callbacks, reason=REASON
    )
    body = english(client).get(meeting.get_absolute_url()).content.decode()
    assert f'id="{publication.anchor}"' in body
    assert "Publication record" in body
    assert f"<bdi>{moderator}</bdi>" in body  # the responsible person
    assert "Published without results" in body and REASON in body
    # The same record as the annex page's.
    annex = client.get(reverse("actions:meeting-actions", args=[meeting.pk])).content.decode()
    assert f'id="{publication.anchor}"' in annex and f"<bdi>{moderator}</bdi>" in annex


def test_an_erratum_added_on_the_meeting_page_is_shown_where_it_lands(
    client: Client,
    moderator: User,
    coordinator: User,
    seeded: Meeting,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    meeting = make_meeting(seeded.team, status=Meeting.Status.CLOSED)
    add_entry(meeting, moderator, "Mocna strona")
    publication = _publish(client, moderator, meeting, django_capture_on_commit_callbacks)
    english(client).force_login(coordinator)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'action="{reverse("documents:erratum", args=[publication.pk])}"' in page
    response = client.post(
        reverse("documents:erratum", args=[publication.pk]),
        {"text": "Data spotkania to 14 września 2011 r."},
    )
    assert response["Location"] == f"{meeting.get_absolute_url()}#{publication.anchor}"
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "Data spotkania to 14 września 2011 r." in body


def test_the_record_costs_a_published_meeting_page_two_queries_and_others_none(
    client: Client,
    moderator: User,
    coordinator: User,
    seeded: Meeting,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    planned = make_meeting(seeded.team, status=Meeting.Status.PLANNED)
    assert _publication_queries(client, planned.get_absolute_url()) == []
    meeting = make_meeting(seeded.team, status=Meeting.Status.CLOSED, date="2011-09-15")
    add_entry(meeting, moderator, "Mocna strona")
    publication = _publish(client, moderator, meeting, django_capture_on_commit_callbacks)
    url = meeting.get_absolute_url()
    client.get(url)
    assert len(_publication_queries(client, url)) == 2  # the publication, its errata
    for n in range(3):
        publication.changes.create(text=f"Erratum {n}", by_name=str(coordinator))
    assert len(_publication_queries(client, url)) == 2
