"""In Chromium: while htmx sends a comment, its button is disabled, so a second click sends
nothing; the comment is saved once."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from playwright.sync_api import Page, Route, expect

from consultations.models import Comment, Round
from consultations.phases import Phase
from teams.models import Meeting, User
from tests.browser.conftest import (  # noqa: F401 - fixtures for Debian's Chromium
    _browser_tests_are_marked,
    browser_type_launch_args,
)


def test_the_send_button_is_disabled_while_htmx_posts_the_comment(
    live_server, page: Page, seeded: Meeting, member: User, make_round: Callable[..., Round]
) -> None:
    round_ = make_round(Phase.OPEN, title="Double click")
    client = Client()
    client.force_login(member)
    base = live_server.url
    session = client.cookies["sessionid"].value
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": base},
            {"name": "django_language", "value": "en", "url": base},
        ]
    )
    held: list[Route] = []
    page.route("**/comments/", lambda route: held.append(route))  # hold the POST in flight

    page.goto(base + round_.get_absolute_url())
    page.get_by_label("Your comment").fill("Kliknięte dwa razy.")
    button = page.get_by_role("button", name="Send the comment")
    button.click()
    page.wait_for_timeout(100)
    expect(button).to_be_disabled()
    button.click(force=True)  # a second click on the disabled button sends nothing
    page.wait_for_timeout(200)
    assert len(held) == 1
    held[0].continue_()
    expect(page.get_by_text("Your comment has been added.")).to_be_visible()
    expect(page.get_by_role("button", name="Send the comment")).to_be_enabled()
    assert Comment.objects.filter(round=round_).count() == 1
