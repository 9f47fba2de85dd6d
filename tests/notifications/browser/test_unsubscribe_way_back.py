"""After unsubscribing, a person finds the way back to the e-mail settings (through the log-in
page) in Chromium; the browser's icon request is answered too."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from notifications.emails import unsubscribe_token
from tests.browser.axe import violations


def test_after_unsubscribing_the_settings_are_one_link_away(live_server, page: Page, member):
    token = unsubscribe_token(user_id=member.pk, kind="round_reminder")
    page.goto(f"{live_server.url}/notifications/unsubscribe/{token}/")
    page.get_by_role("button", name="Wypisz się").click()
    expect(page.get_by_role("status")).to_contain_text("nie będziesz już otrzymywać")
    assert violations(page) == []
    page.get_by_role("link", name="Wybierz ponownie w ustawieniach wiadomości e-mail").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/notifications/settings/")
    icon = page.request.get(f"{live_server.url}/favicon.ico")
    assert icon.status == 200
    assert icon.headers["content-type"] == "image/x-icon"
