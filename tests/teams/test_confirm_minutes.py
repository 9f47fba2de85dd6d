"""Publishing the minutes asks first, as every irreversible step does: "Save and publish" saves
a draft and shows a page that says what will happen and how many people are e-mailed; only that
page's POST publishes, once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from notifications.models import Outbox
from teams import notices
from teams.audit import TeamsAudit
from teams.models import Attendance, Meeting, User

from ..confirm import CONFIRMED
from ..swot.helpers import english, make_meeting
from .test_confirm_meeting import announced_count

pytestmark = pytest.mark.django_db


def edit_url(meeting: Meeting) -> str:
    return reverse("teams:meeting-minutes-edit", args=[meeting.pk])


def confirm_url(meeting: Meeting) -> str:
    return reverse("teams:meeting-minutes-publish-confirm", args=[meeting.pk])


def publish_url(meeting: Meeting) -> str:
    return reverse("teams:meeting-minutes-publish", args=[meeting.pk])


def published_rows(meeting: Meeting):
    return Outbox.objects.filter(kind="minutes_published", subject_id=str(meeting.pk))


def publications() -> int:
    return AuditEntry.objects.filter(action=TeamsAudit.MEETING_MINUTES_PUBLISH).count()


@pytest.fixture
def results(seeded: Meeting) -> Meeting:
    """A meeting whose results are published: its minutes may be published."""
    return make_meeting(seeded.team, status=Meeting.Status.PUBLISHED)


def test_save_and_publish_saves_a_draft_and_goes_to_the_confirmation(
    client: Client, moderator: User, results: Meeting
) -> None:
    english(client).force_login(moderator)
    response = client.post(
        edit_url(results),
        {"minutes": "Przyjęto analizę.", "version": results.version, "publish": "1"},
    )
    assert response.status_code == 302
    assert response.url == confirm_url(results)
    results.refresh_from_db()
    assert results.minutes == "Przyjęto analizę."  # nothing typed is lost
    assert results.minutes_published_at is None
    assert not published_rows(results).exists()
    assert publications() == 0


def test_a_publish_post_without_the_confirmation_publishes_and_sends_nothing(
    client: Client, moderator: User, results: Meeting
) -> None:
    english(client).force_login(moderator)
    client.post(edit_url(results), {"minutes": "Szkic.", "version": results.version})
    results.refresh_from_db()
    audits, outbox = AuditEntry.objects.count(), Outbox.objects.count()

    response = client.post(publish_url(results), {"version": results.version}, follow=True)

    assert response.redirect_chain == [(confirm_url(results), 302)]
    assert "Please confirm this step first" in response.content.decode()
    results.refresh_from_db()
    assert results.minutes_published_at is None
    assert (AuditEntry.objects.count(), Outbox.objects.count()) == (audits, outbox)


def test_the_confirmation_page_counts_the_people_then_emailed(
    client: Client, moderator: User, expert: User, results: Meeting
) -> None:
    # Someone registered for the meeting who is not in the team is told too.
    Attendance.objects.create(meeting=results, user=expert)
    english(client).force_login(moderator)
    client.post(
        edit_url(results), {"minutes": "Protokół.", "version": results.version, "publish": "1"}
    )
    page = client.get(confirm_url(results))
    assert page.status_code == 200
    body = page.content.decode()
    assert f'action="{publish_url(results)}"' in body
    assert 'name="confirmed" value="yes"' in body
    assert "Nobody can change them afterwards" in body
    promised = announced_count(body)
    outbox_before = Outbox.objects.count()
    results.refresh_from_db()

    response = client.post(publish_url(results), {**CONFIRMED, "version": results.version})

    assert response.url == reverse("teams:meeting-minutes", args=[results.pk])
    results.refresh_from_db()
    assert results.minutes_published_at is not None
    assert results.minutes == "Protokół."
    rows = published_rows(results)
    assert promised > 1
    assert Outbox.objects.count() - outbox_before == rows.count() == promised
    assert set(rows.values_list("recipient", flat=True)) == {
        user.pk for user in notices.minutes_audience(results)
    }
    assert rows.filter(recipient=expert).exists()


def test_confirming_twice_publishes_and_emails_once(
    client: Client, moderator: User, results: Meeting
) -> None:
    english(client).force_login(moderator)
    client.post(edit_url(results), {"minutes": "Protokół.", "version": results.version})
    results.refresh_from_db()
    confirmation = {**CONFIRMED, "version": results.version}
    client.post(publish_url(results), confirmation)
    results.refresh_from_db()
    published_at, rows = results.minutes_published_at, published_rows(results).count()
    assert published_at is not None and rows > 0

    again = client.post(publish_url(results), confirmation, follow=True)

    assert again.redirect_chain == [(reverse("teams:meeting-minutes", args=[results.pk]), 302)]
    assert "already published" in again.content.decode()
    results.refresh_from_db()
    assert results.minutes_published_at == published_at
    assert published_rows(results).count() == rows
    assert publications() == 1


def test_minutes_saved_meanwhile_are_not_published_unseen(
    client: Client, moderator: User, coordinator: User, results: Meeting
) -> None:
    english(client).force_login(moderator)
    client.post(edit_url(results), {"minutes": "Wersja A", "version": results.version})
    results.refresh_from_db()
    seen = results.version  # the version the confirmation page was shown for
    other = english(Client())
    other.force_login(coordinator)
    other.post(edit_url(results), {"minutes": "Wersja B", "version": seen})

    response = client.post(publish_url(results), {**CONFIRMED, "version": seen})

    assert response.url == edit_url(results)
    results.refresh_from_db()
    assert results.minutes == "Wersja B"
    assert results.minutes_published_at is None
    assert not published_rows(results).exists()


def test_a_stale_save_and_publish_keeps_the_text_and_asks_nothing(
    client: Client, moderator: User, results: Meeting
) -> None:
    english(client).force_login(moderator)
    stale = results.version
    client.post(edit_url(results), {"minutes": "Wersja A", "version": stale})

    response = client.post(
        edit_url(results), {"minutes": "Wersja B", "version": stale, "publish": "1"}
    )

    assert response.status_code == 409
    body = response.content.decode()
    assert "Wersja A" in body and "Wersja B" in body
    results.refresh_from_db()
    assert results.minutes == "Wersja A"
    assert results.minutes_published_at is None


@pytest.mark.parametrize("status", [Meeting.Status.CLOSED, Meeting.Status.PUBLISHED])
def test_only_a_moderator_of_published_results_may_publish_the_minutes(
    client: Client, moderator: User, member: User, seeded: Meeting, status: str
) -> None:
    meeting = make_meeting(seeded.team, status=status, minutes="Szkic.")
    for user, allowed in ((member, False), (moderator, status == Meeting.Status.PUBLISHED)):
        client.force_login(user)
        assert client.get(confirm_url(meeting)).status_code == (200 if allowed else 403)
        if not allowed:
            response = client.post(publish_url(meeting), {**CONFIRMED, "version": meeting.version})
            assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is None
    assert not published_rows(meeting).exists()


def test_empty_minutes_are_not_published(client: Client, moderator: User, results: Meeting) -> None:
    english(client).force_login(moderator)
    page = client.get(confirm_url(results), follow=True)
    assert page.redirect_chain == [(edit_url(results), 302)]
    assert "Write and save the minutes first" in page.content.decode()

    response = client.post(publish_url(results), {**CONFIRMED, "version": results.version})

    assert response.url == edit_url(results)
    results.refresh_from_db()
    assert results.minutes_published_at is None
    assert not published_rows(results).exists()
