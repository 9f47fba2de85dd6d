"""Anonymous API clients are rate limited: 429 with Retry-After."""

from __future__ import annotations

from django.test import Client
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


def test_anonymous_client_gets_429_with_retry_after_past_the_limit(
    client: Client, db: None, monkeypatch
) -> None:
    assert api_settings.DEFAULT_THROTTLE_RATES["anon"]  # configured in settings
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [client.get("/api/v1/teams/").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    response = client.get("/api/v1/teams/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    # Another client (another address) is not affected.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.get("/api/v1/teams/").status_code == 200


def test_forwarded_for_header_does_not_escape_the_limit(
    client: Client, db: None, monkeypatch
) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    for n in range(2):
        assert (
            client.get("/api/v1/teams/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == 200
        )
    response = client.get("/api/v1/teams/", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429


def test_a_throttled_client_is_told_how_long_to_wait_in_its_language(
    client: Client, db: None, monkeypatch
) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1/minute"})
    client.cookies.pop("django_language")  # this folder's client is English: Polish by default
    assert client.get("/api/v1/teams/").status_code == 200
    polish = client.get("/api/v1/teams/")
    assert polish.status_code == 429
    wait = int(polish["Retry-After"])
    # Polish plurals: 1 sekundę, 2–4 (but not 12–14) sekundy, else sekund.
    unit = (
        "sekundę"
        if wait == 1
        else "sekundy"
        if wait % 10 in (2, 3, 4) and wait % 100 not in (12, 13, 14)
        else "sekund"
    )
    assert polish.json()["detail"] == (
        f"Zbyt wiele zapytań z tego adresu. Spróbuj ponownie za {wait} {unit}."
    )
    client.cookies["django_language"] = "en"
    english = client.get("/api/v1/teams/")
    assert english.status_code == 429
    assert english.json()["detail"].startswith("Too many requests from this address. Try again in ")
    assert "Expected available" not in english.json()["detail"]
