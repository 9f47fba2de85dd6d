"""The API's descriptions for people (/api/ and the OpenAPI schema behind Swagger UI and ReDoc)
are in the visitor's language: Polish by default, English when chosen."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _client(language: str | None) -> Client:
    client = Client()
    if language:
        client.cookies["django_language"] = language
    return client


def test_the_overview_describes_the_endpoints_in_polish_by_default(seeded) -> None:
    page = _client(None).get("/api/").content.decode()
    assert "Zespoły branżowe" in page
    assert "Tylko wiersze tego zespołu branżowego (jego identyfikator)." in page
    assert "Branch teams" not in page


def test_the_overview_describes_the_endpoints_in_english_when_chosen(seeded) -> None:
    page = _client("en").get("/api/").content.decode()
    assert "Branch teams" in page
    assert "Only rows of this branch team (its id)." in page


def test_the_schema_follows_the_language(seeded) -> None:
    polish = json.loads(_client(None).get("/api/schema/", {"format": "json"}).content)
    english = json.loads(_client("en").get("/api/schema/", {"format": "json"}).content)
    assert polish["info"]["title"] == "API otwartych danych Kraków NGO"
    assert english["info"]["title"] == "Kraków NGO open data API"
    assert polish["paths"]["/api/v1/teams/"]["get"]["summary"] == "Zespoły branżowe"
    assert english["paths"]["/api/v1/teams/"]["get"]["summary"] == "Branch teams"
