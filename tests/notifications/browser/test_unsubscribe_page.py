"""The one-click unsubscribe page in Chromium: works with the button, no axe violations."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from notifications.emails import DIGEST, unsubscribe_token
from notifications.models import NotificationOptOut, Outbox
from notifications.outbox import outbox_enqueue
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


def test_unsubscribing_from_the_digest_page_stops_what_it_gathers(live_server, page: Page, member):
    token = unsubscribe_token(user_id=member.pk, kind=DIGEST)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/notifications/unsubscribe/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe from the weekly digest")
    assert violations(page) == []
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("status")).to_contain_text(
        "you will no longer receive the weekly digest"
    )
    assert violations(page) == []
    assert NotificationOptOut.objects.filter(user=member, kind="round_announced").exists()


def test_the_failed_e_mails_page_has_no_axe_violations(
    live_server, page: Page, coordinator, seeded
):
    row = outbox_enqueue(
        recipient=coordinator,
        kind="meeting_reminder",
        subject=seeded,
        due_at=timezone.now() + dt.timedelta(days=1),
    )
    assert row is not None
    Outbox.objects.filter(pk=row.pk).update(failed_at=timezone.now(), last_error="Refused")
    client = Client()
    client.force_login(coordinator)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    page.goto(f"{live_server.url}/notifications/failed/")
    expect(page.get_by_role("cell", name="meeting reminders the day before")).to_be_visible()
    assert violations(page) == []
    page.get_by_role("button", name="Send again").click()
    expect(page.get_by_text("The e-mail will be sent again.")).to_be_visible()
    assert violations(page) == []


def test_the_e_mail_settings_page_has_no_axe_violations(live_server, page: Page, member):
    client = Client()
    client.force_login(member)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    page.goto(f"{live_server.url}/notifications/settings/")
    assert violations(page) == []
    page.get_by_label("One weekly digest").check()
    page.get_by_label("replies to your comments").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your e-mail settings have been saved.")).to_be_visible()
    assert violations(page) == []
    assert NotificationOptOut.objects.filter(user=member, kind="comment_reply").exists()
