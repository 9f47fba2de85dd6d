"""The one-click unsubscribe page in Chromium: works with the button, no axe violations."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from krakow_ngo.emails import unsubscribe_token
from krakow_ngo.models import NotificationOptOut
from tests.browser.axe import violations


def test_unsubscribing_from_the_page_records_the_opt_out(live_server, page: Page, member):
    token = unsubscribe_token(user_id=member.pk, kind="round_reminder")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/notifications/unsubscribe/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe")
    assert violations(page) == []
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("status")).to_contain_text(
        "you will no longer receive these e-mails: reminders before a consultation round closes"
    )
    assert violations(page) == []
    assert NotificationOptOut.objects.filter(user=member, kind="round_reminder").exists()
