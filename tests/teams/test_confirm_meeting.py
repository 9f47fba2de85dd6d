"""Guard rails on a meeting's irreversible steps (issue 13, item 5): announce, open, close and
publish ask first on a page of their own that says what will happen and who will be told; a
meeting without results is published only with a reason, stored and shown."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Goal
from core.errors import ConflictError
from core.models import AuditEntry
from notifications.models import Outbox
from swot.models import Quadrant, SwotEntry, SwotTopic
from teams import meeting_services, notices
from teams.models import Meeting, User

from ..confirm import CONFIRMED
from ..swot.helpers import add_entry, english, make_meeting

pytestmark = pytest.mark.django_db

STEPS = [
    (Meeting.Status.DRAFT, "announce", Meeting.Status.PLANNED),
    (Meeting.Status.PLANNED, "open", Meeting.Status.OPEN),
    (Meeting.Status.OPEN, "close", Meeting.Status.CLOSED),
    (Meeting.Status.CLOSED, "publish", Meeting.Status.PUBLISHED),
]


def confirm_url(meeting: Meeting, step: str) -> str:
    return reverse("teams:meeting-advance-confirm", args=[meeting.pk, step])


def advance_url(meeting: Meeting) -> str:
    return reverse("teams:meeting-advance", args=[meeting.pk])


def announced_count(body: str) -> int:
    """The number of people the confirmation page says will be e-mailed (0: nobody)."""
    if "Nobody will be e-mailed" in body:
        return 0
    found = re.search(r"(?:An e-mail will|E-mails will) be sent to (\d+) (?:person|people)", body)
    assert found, body
    return int(found.group(1))


def empty_meeting(seeded: Meeting, status: str = Meeting.Status.CLOSED) -> Meeting:
    return Meeting.objects.create(
        team=seeded.team, title="Puste spotkanie", date="2011-10-01", status=status
    )


@pytest.mark.parametrize(("status", "step", "after"), STEPS)
def test_it_confirms_each_step_and_tells_the_audience_the_step_then_emails(
    client: Client, moderator: User, seeded: Meeting, status: str, step: str, after: str
) -> None:
    meeting = make_meeting(seeded.team, status=status, date=timezone.localdate())
    add_entry(meeting, moderator, "Mocna strona")  # a result: published without a reason
    english(client).force_login(moderator)
    button = client.get(reverse("teams:meeting-workspace", args=[meeting.pk])).content.decode()
    assert f'href="{confirm_url(meeting, step)}"' in button  # a link, not a one-click form
    page = client.get(confirm_url(meeting, step))
    assert page.status_code == 200
    body = page.content.decode()
    assert f'action="{advance_url(meeting)}"' in body
    assert 'name="confirmed" value="yes"' in body
    promised = announced_count(body)
    outbox_before = Outbox.objects.count()

    response = client.post(advance_url(meeting), {**CONFIRMED, "status": status})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == after
    sent = Outbox.objects.filter(subject_id=str(meeting.pk), kind="meeting_invitation")
    assert Outbox.objects.count() - outbox_before == sent.count() == promised
    if step == "announce":
        assert promised > 0
        assert f"members of team {meeting.team.name_en}" in body  # an English page
        assert set(sent.values_list("recipient", flat=True)) == {
            user.pk for user in notices.advance_audience(meeting, after)
        }


@pytest.mark.parametrize(("status", "step", "after"), STEPS)
def test_a_post_without_the_confirmation_changes_nothing(
    client: Client, moderator: User, seeded: Meeting, status: str, step: str, after: str
) -> None:
    meeting = make_meeting(seeded.team, status=status, date=timezone.localdate())
    english(client).force_login(moderator)
    audits, outbox = AuditEntry.objects.count(), Outbox.objects.count()

    response = client.post(advance_url(meeting), {"status": status}, follow=True)

    assert response.redirect_chain == [(confirm_url(meeting, step), 302)]
    assert "Please confirm this step first" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == status
    assert (AuditEntry.objects.count(), Outbox.objects.count()) == (audits, outbox)


@pytest.mark.parametrize(("status", "step", "after"), STEPS)
def test_a_member_may_neither_see_the_confirmation_nor_take_the_step(
    client: Client, member: User, seeded: Meeting, status: str, step: str, after: str
) -> None:
    meeting = make_meeting(seeded.team, status=status, date=timezone.localdate())
    client.force_login(member)
    expected = 404 if status == Meeting.Status.DRAFT else 403  # a draft is hidden from members
    assert client.get(confirm_url(meeting, step)).status_code == expected
    response = client.post(advance_url(meeting), {**CONFIRMED, "status": status})
    assert response.status_code == expected
    meeting.refresh_from_db()
    assert meeting.status == status


def test_an_unknown_step_is_not_found_and_a_past_one_goes_back_with_a_message(
    client: Client, moderator: User, seeded: Meeting
) -> None:
    meeting = make_meeting(seeded.team, status=Meeting.Status.OPEN)
    english(client).force_login(moderator)
    assert client.get(confirm_url(meeting, "reopen")).status_code == 404
    response = client.get(confirm_url(meeting, "open"), follow=True)
    workspace = reverse("teams:meeting-workspace", args=[meeting.pk])
    assert response.redirect_chain == [(workspace, 302)]
    assert "This meeting was changed meanwhile" in response.content.decode()


def test_two_moderators_confirming_the_announcement_at_once_invite_once(
    client: Client, moderator: User, coordinator: User, seeded: Meeting
) -> None:
    meeting = make_meeting(seeded.team, status=Meeting.Status.DRAFT, date=timezone.localdate())
    other = Client()
    english(client).force_login(moderator)
    english(other).force_login(coordinator)
    # Both have the confirmation page open.
    assert client.get(confirm_url(meeting, "announce")).status_code == 200
    assert other.get(confirm_url(meeting, "announce")).status_code == 200
    client.post(advance_url(meeting), {**CONFIRMED, "status": "draft"})
    invitations = Outbox.objects.filter(subject_id=str(meeting.pk)).count()

    response = other.post(advance_url(meeting), {**CONFIRMED, "status": "draft"}, follow=True)

    assert "This meeting was changed meanwhile" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED  # not moved on twice
    assert AuditEntry.objects.filter(action="meeting.planned", target_id=str(meeting.pk)).count()
    assert AuditEntry.objects.filter(action="meeting.open").count() == 0
    assert Outbox.objects.filter(subject_id=str(meeting.pk)).count() == invitations


# --- A meeting without results ---------------------------------------------------------------


def test_a_meeting_has_results_once_anything_is_recorded_not_planned(
    seeded: Meeting, member: User
) -> None:
    meeting = empty_meeting(seeded)
    assert not meeting.has_results()
    meeting.minutes = "  \n"
    assert not meeting.has_results()  # blank minutes are no minutes
    meeting.minutes = "Protokół"
    assert meeting.has_results()
    meeting.minutes = ""
    # The plan is not a result: an agenda and SWOT topics with nothing recorded on them.
    meeting.agenda_items.create(position=1, title="Punkt")
    topic = SwotTopic.objects.create(meeting=meeting, position=1, title="Temat")
    assert not meeting.has_results()
    SwotEntry.objects.create(topic=topic, quadrant=Quadrant.STRENGTHS, text="Mocna", author=member)
    assert meeting.has_results()
    meeting.swot_topics.all().delete()
    goal = Goal.objects.create(team=meeting.team, meeting=meeting, number=1, title="Cel")
    assert meeting.has_results()
    goal.delete()
    Action.objects.create(team=meeting.team, meeting=meeting, number=1, text="Działanie")
    assert meeting.has_results()


def test_an_empty_meeting_is_not_published_without_a_reason(
    client: Client, moderator: User, seeded: Meeting
) -> None:
    meeting = empty_meeting(seeded)
    english(client).force_login(moderator)
    page = client.get(confirm_url(meeting, "publish")).content.decode()
    assert "This meeting has no results" in page
    assert 'name="reason"' in page
    audits = AuditEntry.objects.count()

    response = client.post(advance_url(meeting), {**CONFIRMED, "status": "closed", "reason": " "})

    assert response.status_code == 400
    assert "give the reason for publishing it anyway" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    assert meeting.published_at is None and meeting.empty_results_reason == ""
    assert AuditEntry.objects.count() == audits


def test_an_empty_meeting_is_published_with_its_reason_stored_shown_and_audited(
    client: Client, moderator: User, seeded: Meeting
) -> None:
    meeting = empty_meeting(seeded)
    english(client).force_login(moderator)
    reason = "Spotkanie odwołane z braku kworum; publikujemy dla porządku."

    response = client.post(
        advance_url(meeting), {**CONFIRMED, "status": "closed", "reason": reason}
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.empty_results_reason == reason
    entry = AuditEntry.objects.get(action="meeting.published", target_id=str(meeting.pk))
    assert entry.data["reason"] == reason and entry.actor == moderator
    client.logout()  # anyone reads it
    body = english(client).get(meeting.get_absolute_url()).content.decode()
    assert "Published without results" in body and reason in body


def test_a_meeting_with_results_needs_no_reason(
    client: Client, moderator: User, seeded: Meeting
) -> None:
    meeting = make_meeting(seeded.team, status=Meeting.Status.CLOSED)
    add_entry(meeting, moderator, "Mocna strona")
    english(client).force_login(moderator)
    assert 'name="reason"' not in client.get(confirm_url(meeting, "publish")).content.decode()
    client.post(advance_url(meeting), {**CONFIRMED, "status": "closed"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED and meeting.empty_results_reason == ""
    entry = AuditEntry.objects.get(action="meeting.published", target_id=str(meeting.pk))
    assert "reason" not in entry.data


def test_a_moderator_holding_the_meeting_as_it_was_loses_to_the_one_who_announced_it(
    moderator: User, coordinator: User, seeded: Meeting
) -> None:
    meeting = make_meeting(seeded.team, status=Meeting.Status.DRAFT, date=timezone.localdate())
    stale = Meeting.objects.get(pk=meeting.pk)
    meeting_services.meeting_advance(actor=moderator, meeting=meeting, expected_status="draft")
    with pytest.raises(ConflictError):
        meeting_services.meeting_advance(actor=coordinator, meeting=stale, expected_status="draft")
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED


@pytest.mark.parametrize(
    ("status", "step", "days", "said"),
    [
        (Meeting.Status.DRAFT, "announce", -1, "has passed: change it before announcing"),
        (Meeting.Status.CLOSED, "publish", 1, "its results can be published from that day"),
    ],
)
def test_a_past_meeting_is_not_announced_nor_a_future_one_published(
    client: Client,
    moderator: User,
    seeded: Meeting,
    status: str,
    step: str,
    days: int,
    said: str,
) -> None:
    """Invitations to a day that has passed, or results of a meeting not yet held, are refused:
    the confirmation page says so, and the step changes nothing and e-mails nobody."""
    day = timezone.localdate() + dt.timedelta(days=days)
    meeting = make_meeting(seeded.team, status=status, date=day)
    english(client).force_login(moderator)
    audits, outbox = AuditEntry.objects.count(), Outbox.objects.count()
    page = client.get(confirm_url(meeting, step)).content.decode()
    assert said in page
    # Said instead of the step: no button, no count of people to e-mail, a way back.
    assert 'type="submit" class="btn btn-warning"' not in page
    assert "will be sent to" not in page and "Nobody will be e-mailed" not in page
    assert f'href="{reverse("teams:meeting-workspace", args=[meeting.pk])}">Back</a>' in page
    response = client.post(advance_url(meeting), {**CONFIRMED, "status": status}, follow=True)
    assert said in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == status and meeting.published_at is None
    assert (AuditEntry.objects.count(), Outbox.objects.count()) == (audits, outbox)
    with pytest.raises(meeting_services.Refused, match="nothing was"):
        meeting_services.meeting_advance(actor=moderator, meeting=meeting, expected_status=status)


def test_the_meeting_plan_page_starts_its_heading_and_labels_with_capitals(
    client: Client, moderator: User, seeded: Meeting
) -> None:
    """The models' names are lowercase ("tematy analizy SWOT"); a heading or a label is not."""
    meeting = make_meeting(seeded.team, status=Meeting.Status.DRAFT)
    client.force_login(moderator)
    client.cookies["django_language"] = "pl"
    page = client.get(reverse("teams:meeting-edit", args=[meeting.pk])).content.decode()
    assert ">Tematy analizy SWOT</h2>" in page
    assert re.search(r"<label[^>]*>\s*Temat analizy SWOT", page)
    assert re.search(r"<label[^>]*>\s*Link do spotkania online", page)
