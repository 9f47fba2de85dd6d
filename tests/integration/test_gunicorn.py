"""The launcher the fault tests use: a real gunicorn serves this test database."""

from __future__ import annotations

import pytest

from .gunicorn import gunicorn_server  # noqa: F401 - fixture

pytestmark = [pytest.mark.integration]


def test_gunicorn_serves_the_test_database_with_debug_off(gunicorn_server):  # noqa: F811
    server = gunicorn_server()
    status, _headers, body = server.get("/healthz")
    assert status == 200, server.output()
    status, _headers, body = server.get("/teams/")
    assert status == 200, server.output()
    # The seeded demo teams come from the test database, not from var/krakow_ngo.sqlite3.
    assert "Zesp" in body.decode()
    status, _headers, _body = server.get("/no-such-page/")
    assert status == 404
