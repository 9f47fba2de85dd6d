"""A queued message is written in the language, and sent to the address, its recipient has when
it goes out (a digest waits up to a week), not those they had when it was queued; each message
says its language in a Content-Language header."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from icalendar import Calendar

from notifications.models import DigestChoice, Outbox
from notifications.outbox import outbox_enqueue, outbox_sweep
from teams.meeting_services import meeting_advance
from teams.models import Meeting, User
from teams.services import user_delete_account

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
WEDNESDAY = dt.datetime(2027, 3, 24, 15, 0, tzinfo=WARSAW)
THURSDAY = dt.datetime(2027, 3, 25, 15, 0, tzinfo=WARSAW)
MONDAY_8 = dt.datetime(2027, 3, 29, 8, 0, tzinfo=WARSAW)


def in_language(language: str, message: str, **values: object) -> str:
    with translation.override(language):
        return gettext(message) % values


def switch(user: User, **fields: object) -> None:
    """What the account page does: the stored account changes, the queued rows do not."""
    User.objects.filter(pk=user.pk).update(**fields)


def sent(row: Outbox) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if str(row.pk) in m.extra_headers["X-Outbox-Id"].split(",")]


@pytest.mark.parametrize(("queued", "now"), [("en", "pl"), ("pl", "en")])
def test_it_sends_a_queued_message_in_the_language_and_to_the_address_of_sending_time(
    member, open_round, queued, now
):
    switch(member, language=queued)
    member.refresh_from_db()
    later = timezone.now() + dt.timedelta(hours=1)
    row = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round, due_at=later)
    assert row is not None and (row.language, row.email) == (queued, member.email)
    switch(member, language=now, email="new-address@example.org")
    mail.outbox.clear()
    assert row.pk in outbox_sweep(now=later).sent
    (message,) = sent(row)
    assert message.to == ["new-address@example.org"]
    title = open_round.title
    subject = in_language(now, "Consultation open for comments: %(title)s", title=title)
    old_subject = in_language(queued, "Consultation open for comments: %(title)s", title=title)
    assert subject != old_subject
    assert message.subject.endswith(subject)
    opening = "The consultation round %(title)s is open for comments."
    assert in_language(now, opening, title=title) in message.body
    assert in_language(queued, opening, title=title) not in message.body
    (html, _mimetype), *_rest = message.alternatives
    assert f'<html lang="{now}">' in html
    assert message.extra_headers["Content-Language"] == now
    assert message.message()["Content-Language"] == now
    # The row keeps what it was queued with, as a record.
    row.refresh_from_db()
    assert (row.language, row.email) == (queued, member.email)


def test_a_digest_of_rows_queued_in_two_languages_is_in_the_recipients_current_one(
    member, open_round, make_comment
):
    DigestChoice.objects.create(user=member)
    comment = make_comment(open_round)
    switch(member, language="en")
    member.refresh_from_db()
    with time_machine.travel(WEDNESDAY, tick=False):
        announced = outbox_enqueue(recipient=member, kind="round_announced", subject=open_round)
    switch(member, language="pl")
    member.refresh_from_db()
    with time_machine.travel(THURSDAY, tick=False):
        settled = outbox_enqueue(recipient=member, kind="comment_settled", subject=comment)
    assert announced is not None and settled is not None
    assert (announced.language, settled.language) == ("en", "pl")
    assert announced.digest and settled.digest
    switch(member, email="moved@example.org")
    mail.outbox.clear()
    assert {announced.pk, settled.pk} <= set(outbox_sweep(now=MONDAY_8).sent)
    (digest,) = sent(announced)
    assert digest.to == ["moved@example.org"]
    assert digest.extra_headers["Content-Language"] == "pl"
    assert digest.message()["Content-Language"] == "pl"
    with translation.override("pl"):
        frame = ngettext(
            "Your weekly digest: %(count)s update", "Your weekly digest: %(count)s updates", 2
        ) % {"count": 2}
    assert digest.subject.endswith(frame)
    title = open_round.title
    for language, present in (("pl", True), ("en", False)):
        lines = [
            in_language(language, "What happened on the portal this week:"),
            in_language(language, "Consultation announced: %(title)s", title=title),
            in_language(language, "Your comment has been settled"),
        ]
        assert [line in digest.body for line in lines] == [present] * 3, language
    (html, _mimetype), *_rest = digest.alternatives
    assert '<html lang="pl">' in html


def test_a_message_to_a_deleted_account_is_cancelled_not_sent(member, open_round):
    later = timezone.now() + dt.timedelta(hours=1)
    row = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round, due_at=later)
    assert row is not None
    user_delete_account(actor=member)
    mail.outbox.clear()
    result = outbox_sweep(now=later)
    assert row.pk in result.cancelled and row.pk not in result.sent
    assert sent(row) == []


def test_held_rows_of_accounts_that_are_gone_are_cancelled(open_round):
    """Rows whose account was removed outright (erased on request in the admin, a sign-up
    purged) have no recipient: nobody is written to at the address they were queued with, as
    for an account closed by its owner."""
    people = [User.objects.create_user(f"gone{i}@example.org", language="pl") for i in range(2)]
    rows = []
    for person in people:
        DigestChoice.objects.create(user=person)
        with time_machine.travel(WEDNESDAY, tick=False):
            row = outbox_enqueue(recipient=person, kind="round_announced", subject=open_round)
        assert row is not None and row.digest
        rows.append(row)
    Outbox.objects.filter(pk__in=[row.pk for row in rows]).update(recipient=None)
    mail.outbox.clear()
    result = outbox_sweep(now=MONDAY_8)
    assert {row.pk for row in rows} <= set(result.cancelled)
    assert [m.to for row in rows for m in sent(row)] == []


def test_a_row_of_an_account_whose_address_was_cleared_is_cancelled(member, open_round):
    later = timezone.now() + dt.timedelta(hours=1)
    row = outbox_enqueue(recipient=member, kind="round_opened", subject=open_round, due_at=later)
    assert row is not None
    User.objects.filter(pk=member.pk).update(email="")
    mail.outbox.clear()
    result = outbox_sweep(now=later)
    assert row.pk in result.cancelled and sent(row) == []


def test_what_a_kind_builds_for_the_message_is_in_the_language_of_sending_time(
    seeded, moderator, member
):
    """The context (here the calendar file's team name) is built in the same language as the
    message, the recipient's when it goes."""
    seeded.team.name_en = "for social inclusion"
    seeded.team.save(update_fields=["name_en"])
    switch(member, language="pl")
    meeting = Meeting.objects.create(
        team=seeded.team,
        title="Spotkanie robocze",
        date=timezone.localdate() + dt.timedelta(days=10),
        start_time=dt.time(17, 30),
        end_time=dt.time(19, 0),
        place="ul. Józefińska 14, Kraków",
    )
    meeting_advance(actor=moderator, meeting=meeting, expected_status=Meeting.Status.DRAFT)
    (row,) = Outbox.objects.about(meeting).filter(kind="meeting_invitation", recipient=member)
    assert row.language == "pl"
    switch(member, language="en")
    mail.outbox.clear()
    with translation.override("pl"):  # whatever the sweeping process has active
        assert row.pk in outbox_sweep().sent
    (message,) = sent(row)
    assert message.extra_headers["Content-Language"] == "en"
    ((_filename, ics, _mimetype),) = message.attachments
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["summary"]).endswith("(for social inclusion)")
