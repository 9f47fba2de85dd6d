"""Schemathesis against the live schema: generated requests to every operation find no server
error and no response that breaks the schema (a bounded number of examples each)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from rest_framework.throttling import AnonRateThrottle

from .conftest import World

EXAMPLES = 15


def test_generated_requests_find_no_server_error_and_no_schema_violation(
    live_server, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute"})
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 21  # list and detail of 10 endpoints, and the round archive

    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case) -> None:
            case.call_and_validate(base_url=live_server.url)

        check()
