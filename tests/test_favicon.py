"""Browsers ask for /favicon.ico whatever the page links: it answers with the portal's icon."""

from __future__ import annotations

from django.test import Client


def test_favicon_ico_answers_with_an_icon() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file's header: reserved 0, type 1 (icon)
