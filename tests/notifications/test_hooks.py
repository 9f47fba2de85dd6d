"""The domain services queue their messages in the same transaction as the change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction
from django.utils import formats, timezone, translation
from icalendar import Calendar

from consultations import services
from consultations.models import AuthorRole, Disposition, Round
from consultations.phases import Phase
from notifications.models import Outbox
from notifications.outbox import outbox_sweep
from teams import meeting_services
from teams.models import Meeting, Membership, User

pytestmark = pytest.mark.django_db


def rows(kind, subject=None):
    query = Outbox.objects.filter(kind=kind)
    if subject is not None:
        query = query.filter(subject_id=str(subject.pk))
    return query


def sent_to(row_ids, kind):
    ids = set(Outbox.objects.filter(pk__in=row_ids, kind=kind).values_list("pk", flat=True))
    return [m for m in mail.outbox if int(m.extra_headers["X-Outbox-Id"]) in ids]


def test_announcing_a_round_tells_team_members_and_representatives(
    make_round, coordinator, member, other_rep, seeded
):
    round_ = make_round(Phase.DRAFT)
    services.round_announce(actor=coordinator, round_=round_, override_reason="Test.")
    recipients = set(rows("round_announced", round_).values_list("recipient__email", flat=True))
    assert {member.email, other_rep.email} <= recipients
    team_members = User.objects.filter(
        memberships__team=seeded.team, memberships__status=Membership.Status.APPROVED
    )
    assert set(team_members.values_list("email", flat=True)) <= recipients


def test_a_failed_change_queues_nothing(make_round, coordinator):
    round_ = make_round(Phase.DRAFT)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.round_announce(actor=coordinator, round_=round_, override_reason="Test.")
        raise RuntimeError("the request failed after the service")
    assert not rows("round_announced", round_).exists()


def test_a_reply_tells_the_author_of_the_comment(open_round, member, other_rep, make_comment):
    comment = make_comment(open_round)
    other_org = other_rep.representations.get().organisation
    reply = services.comment_post(
        actor=other_rep,
        round_=open_round,
        text="I disagree",
        author_role=AuthorRole.ORGANISATION,
        organisation=other_org,
        parent=comment,
    )
    (row,) = rows("comment_reply", reply)
    assert row.recipient == member
    mail.outbox.clear()
    (message,) = sent_to(outbox_sweep().sent, "comment_reply")
    assert "I disagree" in message.body
    assert reply.get_absolute_url() in message.body


def test_a_support_tells_the_author_once_per_organisation(
    open_round, member, other_rep, make_comment
):
    comment = make_comment(open_round, "Proszę o dłuższy termin")
    other_org = other_rep.representations.get().organisation
    services.comment_support(actor=other_rep, comment=comment, organisation=other_org)
    (row,) = rows("comment_supported", comment)
    assert row.recipient == member
    # Taken back and given again: not news a second time.
    services.comment_support_withdraw(actor=other_rep, comment=comment, organisation=other_org)
    services.comment_support(actor=other_rep, comment=comment, organisation=other_org)
    assert rows("comment_supported", comment).count() == 1
    mail.outbox.clear()
    (message,) = sent_to(outbox_sweep().sent, "comment_supported")
    assert message.to == [member.email]
    # Who, in the subject too: a weekly digest lists each message by its subject alone.
    assert other_org.name in message.subject
    assert other_org.name in message.body and "Proszę o dłuższy termin" in message.body
    assert comment.get_absolute_url() in message.body


def test_a_support_taken_back_before_the_e_mail_went_out_sends_nothing(
    open_round, other_rep, make_comment
):
    comment = make_comment(open_round)
    other_org = other_rep.representations.get().organisation
    services.comment_support(actor=other_rep, comment=comment, organisation=other_org)
    services.comment_support_withdraw(actor=other_rep, comment=comment, organisation=other_org)
    (row,) = rows("comment_supported", comment)
    mail.outbox.clear()
    result = outbox_sweep()
    assert row.pk in result.cancelled and row.pk not in result.sent
    assert not sent_to([row.pk], "comment_supported")


def test_a_support_given_again_after_its_e_mail_was_cancelled_is_told(
    open_round, member, other_rep, make_comment
):
    comment = make_comment(open_round)
    other_org = other_rep.representations.get().organisation
    services.comment_support(actor=other_rep, comment=comment, organisation=other_org)
    services.comment_support_withdraw(actor=other_rep, comment=comment, organisation=other_org)
    (first,) = rows("comment_supported", comment)
    assert first.pk in outbox_sweep().cancelled
    services.comment_support(actor=other_rep, comment=comment, organisation=other_org)
    mail.outbox.clear()
    (message,) = sent_to(outbox_sweep().sent, "comment_supported")
    assert message.to == [member.email] and other_org.name in message.body
    # That one went out: taken back and given once more is not news again.
    services.comment_support_withdraw(actor=other_rep, comment=comment, organisation=other_org)
    services.comment_support(actor=other_rep, comment=comment, organisation=other_org)
    assert rows("comment_supported", comment).count() == 2


def test_supporting_ones_own_comment_tells_nobody(open_round, member, member_org, make_comment):
    # An expert's comment, supported by the organisation its author represents.
    member.is_expert = True
    member.save(update_fields=["is_expert"])
    comment = make_comment(open_round, author_role=AuthorRole.EXPERT, organisation=None)
    services.comment_support(actor=member, comment=comment, organisation=member_org)
    assert comment.supports.filter(organisation=member_org).exists()
    assert not rows("comment_supported", comment).exists()


def test_replying_to_oneself_sends_nothing(open_round, member, member_org, make_comment):
    comment = make_comment(open_round)
    services.comment_post(
        actor=member,
        round_=open_round,
        text="Addendum",
        author_role=AuthorRole.ORGANISATION,
        organisation=member_org,
        parent=comment,
    )
    assert not rows("comment_reply").exists()


def test_hiding_a_comment_tells_its_author_the_reason(open_round, moderator, member, make_comment):
    comment = make_comment(open_round)
    member.language = "en"
    member.save()
    services.comment_hide(actor=moderator, comment=comment, reason="Off topic, sorry")
    (row,) = rows("comment_hidden", comment)
    assert row.recipient == member
    mail.outbox.clear()
    (message,) = sent_to(outbox_sweep().sent, "comment_hidden")
    assert "Off topic, sorry" in message.body
    assert message.subject.endswith("Your comment has been hidden")


def test_an_automatic_hide_tells_the_author_it_was_automatic(
    open_round, member, other_rep, expert, make_comment, settings
):
    settings.CONSULTATIONS_AUTO_HIDE_FLAGS = 2
    comment = make_comment(open_round)
    member.language = "en"
    member.save()
    services.comment_flag(actor=other_rep, comment=comment, reason="Spam")
    assert not rows("comment_hidden", comment).exists()
    services.comment_flag(actor=expert, comment=comment, reason="Spam")
    (row,) = rows("comment_hidden", comment)
    assert row.recipient == member
    mail.outbox.clear()
    (message,) = sent_to(outbox_sweep().sent, "comment_hidden")
    assert "hidden automatically after flags from other users" in message.body
    assert "A moderator" not in message.body


def test_showing_a_hidden_comment_again_tells_its_author_the_reason(
    open_round, moderator, member, make_comment
):
    comment = make_comment(open_round)
    member.language = "en"
    member.save()
    services.comment_hide(actor=moderator, comment=comment, reason="Off topic")
    services.comment_unhide(actor=moderator, comment=comment, reason="On topic after all")
    (row,) = rows("comment_shown", comment)
    assert row.recipient == member
    mail.outbox.clear()
    sent = outbox_sweep().sent
    (message,) = sent_to(sent, "comment_shown")
    assert "On topic after all" in message.body
    assert message.subject.endswith("Your comment is shown again")
    assert not sent_to(sent, "comment_hidden")  # shown again before it went out: not sent


def settle(actor, comment, disposition, justification="Uzasadnienie"):
    """Settle ``comment`` as it is stored now (its current version)."""
    comment.refresh_from_db()
    services.comments_settle(
        actor=actor,
        round_=comment.round,
        versions={comment.pk: comment.version},
        disposition=disposition,
        justification=justification,
    )


def test_settling_tells_the_author_the_disposition_and_justification(
    make_round, coordinator, member, make_comment
):
    comment = make_comment(make_round(Phase.CLOSED))
    member.language = "en"
    member.save()
    settle(coordinator, comment, Disposition.PARTLY_ACCEPTED, "Goal 2 now says so")
    mail.outbox.clear()
    (message,) = sent_to(outbox_sweep().sent, "comment_settled")
    assert "Goal 2 now says so" in message.body
    assert "partly accepted" in message.body


def test_a_disposition_changed_after_its_e_mail_went_out_is_e_mailed_as_a_change(
    make_round, coordinator, member, make_comment
):
    comment = make_comment(make_round(Phase.CLOSED))
    member.language = "en"
    member.save()
    settle(coordinator, comment, Disposition.PARTLY_ACCEPTED, "Goal 2 now says so")
    # Changed before the e-mail went out: it goes once, with the decision as it is then.
    settle(coordinator, comment, Disposition.ACCEPTED, "Goal 2 and 3 say so")
    mail.outbox.clear()
    (first,) = sent_to(outbox_sweep().sent, "comment_settled")
    assert "Disposition: accepted" in first.body and "Goal 2 and 3 say so" in first.body
    assert first.subject.endswith("Your comment has been settled")
    # The same decision saved again is not news.
    settle(coordinator, comment, Disposition.ACCEPTED, "Goal 2 and 3 say so")
    assert not sent_to(outbox_sweep().sent, "comment_settled")
    # Changed after it went out: the author is told it changed.
    settle(coordinator, comment, Disposition.NOT_ACCEPTED, "Outside the programme's scope")
    mail.outbox.clear()
    (second,) = sent_to(outbox_sweep().sent, "comment_settled")
    assert second.subject.endswith("The disposition of your comment has changed")
    assert "This replaces the disposition e-mailed to you before." in second.body
    assert "Disposition: not accepted" in second.body
    assert "Outside the programme's scope" in second.body


def test_a_disposition_back_to_the_one_told_cancels_the_change_and_one_being_sent_is_told(
    make_round, coordinator, member, make_comment
):
    comment = make_comment(make_round(Phase.CLOSED))
    settle(coordinator, comment, Disposition.ACCEPTED)
    outbox_sweep()
    settle(coordinator, comment, Disposition.NOT_ACCEPTED)  # a change waits…
    settle(
        coordinator, comment, Disposition.ACCEPTED
    )  # …and the decision is back to the one told: nothing to tell
    assert not sent_to(outbox_sweep().sent, "comment_settled")
    assert rows("comment_settled", comment).filter(cancelled_at__isnull=False).count() == 1
    # A change a sweep holds (it may be on its way with the decision of its moment): a
    # decision saved meanwhile is told after it, not written into its record.
    settle(coordinator, comment, Disposition.NOT_ACCEPTED)
    held = rows("comment_settled", comment).get(sent_at=None, cancelled_at=None)
    Outbox.objects.filter(pk=held.pk).update(claimed_at=timezone.now())
    settle(coordinator, comment, Disposition.PARTLY_ACCEPTED)
    held.refresh_from_db()
    assert held.data["disposition"] == Disposition.NOT_ACCEPTED
    after = rows("comment_settled", comment).get(sent_at=None, claimed_at=None, cancelled_at=None)
    assert after.data == {
        "disposition": Disposition.PARTLY_ACCEPTED,
        "justification": "Uzasadnienie",
        "changed": True,
    }


def test_the_report_links_each_recipient_to_their_own_comments(
    make_round, coordinator, member, other_rep, make_comment
):
    round_ = make_round(Phase.SETTLED)
    mine = make_comment(round_, text="Mine")
    other_org = other_rep.representations.get().organisation
    theirs = make_comment(round_, text="Theirs", author=other_rep, organisation=other_org)
    services.round_publish_report(actor=coordinator, round_=round_)
    assert set(rows("report_published", round_).values_list("recipient", flat=True)) == {
        member.pk,
        other_rep.pk,
    }
    mail.outbox.clear()
    messages = sent_to(outbox_sweep().sent, "report_published")
    (to_member,) = [m for m in messages if m.to == [member.email]]
    assert mine.get_absolute_url() in to_member.body
    assert theirs.get_absolute_url() not in to_member.body
    assert f"/consultations/{round_.pk}/report/" in to_member.body


def test_closing_a_round_tells_those_who_commented(open_round, coordinator, member, make_comment):
    make_comment(open_round)
    services.round_close(actor=coordinator, round_=open_round, reason="Zmiana terminu sesji.")
    # Everyone the round addresses hears it closed (tests/consultations/test_round_audience.py).
    assert rows("round_closed", open_round).filter(recipient=member).count() == 1


def _draft_meeting(seeded) -> Meeting:
    return Meeting.objects.create(
        team=seeded.team,
        title="Spotkanie <robocze>",
        date=timezone.localdate() + dt.timedelta(days=10),
        start_time=dt.time(17, 30),
        end_time=dt.time(19, 0),
        place="ul. Józefińska 14, Kraków",
    )


def test_announcing_a_meeting_invites_the_team_with_a_calendar_file(seeded, moderator, member):
    meeting = _draft_meeting(seeded)
    meeting_services.meeting_advance(
        actor=moderator, meeting=meeting, expected_status=Meeting.Status.DRAFT
    )
    assert rows("meeting_invitation", meeting).filter(recipient=member).exists()
    mail.outbox.clear()
    messages = sent_to(outbox_sweep().sent, "meeting_invitation")
    (to_member,) = [m for m in messages if m.to == [member.email]]
    ((filename, ics, mimetype),) = to_member.attachments
    assert filename == "meeting.ics" and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in ics and "END:VCALENDAR\r\n" in ics
    start = dt.datetime.combine(meeting.date, dt.time(17, 30))
    utc = timezone.make_aware(start).astimezone(dt.UTC)
    assert f"DTSTART:{utc:%Y%m%dT%H%M%SZ}" in ics
    assert "SUMMARY:Spotkanie <robocze>" in ics
    assert "LOCATION:ul. Józefińska 14\\, Kraków" in ics
    with translation.override("pl"):
        day = formats.date_format(meeting.date, "j E Y")
    assert f"{day}, 17:30 (czas warszawski)" in to_member.body


def test_a_meeting_without_a_start_time_is_announced_by_its_day_alone(seeded, moderator, member):
    """Its calendar file is an all-day event; the e-mail said it started at 09:00 (the hour
    its reminder goes out)."""
    meeting = _draft_meeting(seeded)
    Meeting.objects.filter(pk=meeting.pk).update(start_time=None, end_time=None)
    meeting.refresh_from_db()
    meeting_services.meeting_advance(
        actor=moderator, meeting=meeting, expected_status=Meeting.Status.DRAFT
    )
    mail.outbox.clear()
    messages = sent_to(outbox_sweep().sent, "meeting_invitation")
    (to_member,) = [m for m in messages if m.to == [member.email]]
    with translation.override("pl"):
        day = formats.date_format(meeting.date, "j E Y")
    assert f"Zapraszamy na „Spotkanie <robocze>” w dniu {day}." in to_member.body
    assert "09:00" not in to_member.body
    ((_name, ics, _type),) = to_member.attachments
    assert f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}" in ics


def test_a_meeting_with_a_place_and_a_link_keeps_both_in_its_calendar_file(
    seeded, moderator, member
):
    """LOCATION holds one of them: the link to join online was left out when there was a
    place too."""
    meeting = _draft_meeting(seeded)
    Meeting.objects.filter(pk=meeting.pk).update(online_url="https://meet.example.org/zespol")
    meeting.refresh_from_db()
    meeting_services.meeting_advance(
        actor=moderator, meeting=meeting, expected_status=Meeting.Status.DRAFT
    )
    mail.outbox.clear()
    messages = sent_to(outbox_sweep().sent, "meeting_invitation")
    (to_member,) = [m for m in messages if m.to == [member.email]]
    ((_name, ics, _type),) = to_member.attachments
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["LOCATION"]) == "ul. Józefińska 14, Kraków"
    assert "https://meet.example.org/zespol" in str(event["DESCRIPTION"])


def _announced(seeded, moderator) -> Meeting:
    meeting = _draft_meeting(seeded)
    meeting_services.meeting_advance(
        actor=moderator, meeting=meeting, expected_status=Meeting.Status.DRAFT
    )
    mail.outbox.clear()
    outbox_sweep()  # the invitations
    return Meeting.objects.get(pk=meeting.pk)


def _replan(moderator, meeting: Meeting, **data) -> Meeting:
    return meeting_services.meeting_update(
        actor=moderator, meeting=meeting, data=data, expected_version=meeting.version
    )


def test_a_new_place_or_time_of_an_announced_meeting_is_e_mailed_with_the_calendar_update(
    client, seeded, moderator, member
):
    """Invited people would go to the old place at the old time their calendar shows: the
    plan saved with a new place and start tells them, with the same event (same UID) and a
    higher SEQUENCE, so the calendar replaces it."""
    meeting = _announced(seeded, moderator)
    invitation = Calendar.from_ical(meeting_services.notices.meeting_ics(meeting)).walk("VEVENT")[0]
    client.force_login(moderator)
    client.cookies["django_language"] = "en"
    plan = client.get(f"/meetings/{meeting.pk}/plan/").content.decode()
    assert "everyone invited and everyone registered is e-mailed the change" in plan
    response = client.post(
        f"/meetings/{meeting.pk}/plan/",
        {
            "title": meeting.title,
            "date": meeting.date.isoformat(),
            "start_time": "18:00",
            "end_time": "19:30",
            "place": "ul. Inna 5, Kraków",
            "rules": meeting.rules,
            "speaking_time_seconds": meeting.speaking_time_seconds,
            "version": meeting.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert rows("meeting_changed", meeting).filter(recipient=member).exists()
    mail.outbox.clear()
    messages = sent_to(outbox_sweep().sent, "meeting_changed")
    (to_member,) = [m for m in messages if m.to == [member.email]]
    assert "ul. Inna 5, Kraków" in to_member.body and "18:00" in to_member.body
    ((filename, ics, _mimetype),) = to_member.attachments
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert filename == "meeting.ics"
    assert event["UID"] == invitation["UID"]
    assert int(event["SEQUENCE"]) > int(invitation["SEQUENCE"])
    assert str(event["LOCATION"]) == "ul. Inna 5, Kraków"


def test_only_a_change_of_when_or_where_of_an_announced_meeting_is_e_mailed(
    seeded, moderator, member
):
    draft = _draft_meeting(seeded)
    _replan(moderator, draft, place="Gdzie indziej")  # nobody was invited to a draft
    assert not rows("meeting_changed", draft).exists()
    meeting = _announced(seeded, moderator)
    meeting = _replan(moderator, meeting, title="Nowy tytuł")
    assert not rows("meeting_changed", meeting).exists()


def test_of_changes_made_before_the_e_mails_go_out_only_the_last_one_is_sent(
    seeded, moderator, member
):
    """A moderator correcting the place twice in a minute sends one e-mail, with the last
    place; a change undone before the sweep sends nothing."""
    meeting = _announced(seeded, moderator)
    meeting = _replan(moderator, meeting, place="Sala 1")
    meeting = _replan(moderator, meeting, place="Sala 2")
    messages = sent_to(outbox_sweep().sent, "meeting_changed")
    assert [m.body.count("Sala 2") for m in messages if m.to == [member.email]] == [1]
    assert not any("Sala 1" in m.body for m in messages)
    mail.outbox.clear()
    before = meeting.place
    meeting = _replan(moderator, meeting, place="Sala 3")
    meeting = _replan(moderator, meeting, place=before)
    assert sent_to(outbox_sweep().sent, "meeting_changed") == []


def test_a_correction_made_before_the_invitations_go_out_sends_no_change_e_mail(
    seeded, moderator, member
):
    """Announced, then the place corrected before the sweep: the invitation, written when it
    is sent, already gives the corrected place, so no "changed" e-mail follows it."""
    meeting = _draft_meeting(seeded)
    meeting_services.meeting_advance(
        actor=moderator, meeting=meeting, expected_status=Meeting.Status.DRAFT
    )
    meeting = _replan(moderator, Meeting.objects.get(pk=meeting.pk), place="Sala 9")
    mail.outbox.clear()
    sent = outbox_sweep().sent
    (invitation,) = [m for m in sent_to(sent, "meeting_invitation") if m.to == [member.email]]
    assert "Sala 9" in invitation.body
    assert [m for m in sent_to(sent, "meeting_changed") if m.to == [member.email]] == []


def test_the_invitations_calendar_file_escapes_and_folds_any_title(seeded, moderator, member):
    """The attachment comes from the one calendar builder (teams.calendar): a bare CR, a line
    feed, commas and semicolons are escaped, long lines folded, bidi controls dropped."""
    meeting = _draft_meeting(seeded)
    title = "Spotkanie\r(CR)\nlinia, przecinek; średnik \u202eodwrócone " + "długi tytuł " * 8
    Meeting.objects.filter(pk=meeting.pk).update(title=title)
    meeting.refresh_from_db()
    meeting_services.meeting_advance(
        actor=moderator, meeting=meeting, expected_status=Meeting.Status.DRAFT
    )
    mail.outbox.clear()
    messages = sent_to(outbox_sweep().sent, "meeting_invitation")
    (to_member,) = [m for m in messages if m.to == [member.email]]
    ((_filename, ics, _mimetype),) = to_member.attachments
    lines = ics.split("\r\n")
    assert lines[-1] == ""
    for line in lines:
        assert "\r" not in line and "\n" not in line and len(line.encode()) <= 75, line
    unfolded = ics.replace("\r\n ", "")
    assert "SUMMARY:Spotkanie\\n(CR)\\nlinia\\, przecinek\\; średnik odwrócone długi" in unfolded
    expected = title.replace("\r", "\n").replace("\u202e", "")
    (part,) = [p for p in to_member.message().walk() if p.get_content_type() == "text/calendar"]
    for sent in (ics, part.get_payload(decode=True)):  # as built, and as the MIME part carries it
        (event,) = Calendar.from_ical(sent).walk("VEVENT")
        assert str(event["summary"]) == f"{expected} ({meeting.team.name})"


def test_publishing_minutes_tells_the_team(seeded, moderator, member):
    meeting = _draft_meeting(seeded)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PUBLISHED)
    meeting.refresh_from_db()
    meeting_services.minutes_save(
        actor=moderator,
        meeting=meeting,
        minutes="We agreed.",
        expected_version=meeting.version,
        publish=True,
    )
    assert rows("minutes_published", meeting).filter(recipient=member).exists()


def test_saving_draft_minutes_tells_nobody(seeded, moderator):
    meeting = _draft_meeting(seeded)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PUBLISHED)
    meeting.refresh_from_db()
    meeting_services.minutes_save(
        actor=moderator, meeting=meeting, minutes="Draft", expected_version=meeting.version
    )
    assert not rows("minutes_published", meeting).exists()


def test_a_round_opening_by_its_date_is_announced_by_the_sweep(make_round, member):
    round_ = make_round(Phase.ANNOUNCED)
    assert not rows("round_opened", round_).exists()
    outbox_sweep(now=round_.opens_at + dt.timedelta(minutes=1))
    assert rows("round_opened", round_).filter(recipient=member).exists()
    assert Round.objects.get(pk=round_.pk).pk == round_.pk


def test_without_a_broker_the_message_goes_out_right_after_the_commit(
    make_round, coordinator, member, django_capture_on_commit_callbacks
):
    round_ = make_round(Phase.DRAFT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.round_announce(actor=coordinator, round_=round_, override_reason="Test.")
    assert len(callbacks) == 1  # one sweep for the whole audience, not one per recipient
    assert rows("round_announced", round_).filter(sent_at__isnull=True).count() == 0
    assert any(m.to == [member.email] for m in mail.outbox)


def test_the_report_e_mail_links_each_comment_in_html_too(
    make_round, coordinator, member, make_comment
):
    round_ = make_round(Phase.SETTLED)
    mine = make_comment(round_, text="Mine <b>bold</b>")
    services.round_publish_report(actor=coordinator, round_=round_)
    mail.outbox.clear()
    (message,) = sent_to(outbox_sweep().sent, "report_published")
    html = message.alternatives[0][0]
    assert f'{mine.get_absolute_url()}">Mine &lt;b&gt;bold&lt;/b&gt;</a>' in html


def test_replies_by_one_person_under_one_comment_are_e_mailed_once_a_day(
    open_round, member, other_rep, make_comment, time_machine
):
    """Fifteen replies in a second were fifteen e-mails to the comment's author, each quoting
    the reply: one person could fill a stranger's mailbox. Now the first reply of the day by
    a person is e-mailed; their next ones that day are read on the page; the next day's first
    is e-mailed again."""
    # A day of the open round, whatever day the suite runs (a fixed date fell before the round
    # opened once the calendar passed it).
    warsaw = ZoneInfo("Europe/Warsaw")
    day = timezone.localtime(open_round.opens_at, warsaw).date() + dt.timedelta(days=1)
    time_machine.move_to(dt.datetime.combine(day, dt.time(9, 0), tzinfo=warsaw))
    comment = make_comment(open_round)
    other_org = other_rep.representations.get().organisation

    def reply(text):
        return services.comment_post(
            actor=other_rep,
            round_=open_round,
            text=text,
            author_role=AuthorRole.ORGANISATION,
            organisation=other_org,
            parent=comment,
        )

    first = reply("Pierwsza")
    for n in range(5):
        reply(f"Kolejna {n}")
    assert list(
        Outbox.objects.filter(kind="comment_reply").values_list("subject_id", flat=True)
    ) == [str(first.pk)]
    # 23:59 is still the same Warsaw day; 00:00 the next.
    time_machine.move_to(dt.datetime.combine(day, dt.time(23, 59), tzinfo=warsaw))
    reply("Późna")
    assert Outbox.objects.filter(kind="comment_reply").count() == 1
    time_machine.move_to(
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 1), tzinfo=warsaw)
    )
    reply("Nazajutrz")
    assert Outbox.objects.filter(kind="comment_reply", recipient=member).count() == 2


def test_the_invitations_calendar_file_names_the_team_in_each_recipients_language(
    seeded, moderator, member
):
    """The attachment is built in the recipient's language, as the message is, whatever
    language the sweeping process happens to have active."""
    seeded.team.name_en = "for social inclusion"
    seeded.team.save(update_fields=["name_en"])
    User.objects.filter(pk=member.pk).update(language="en")
    meeting = _draft_meeting(seeded)
    meeting_services.meeting_advance(
        actor=moderator, meeting=meeting, expected_status=Meeting.Status.DRAFT
    )
    with translation.override("pl"):
        messages = sent_to(outbox_sweep().sent, "meeting_invitation")
    summaries = {}
    for message in messages:
        # The HTML part says the language it is written in (a screen reader reads it so).
        (html, _type), *_rest = message.alternatives
        expected = "en" if message.to == [member.email] else "pl"
        assert f'<html lang="{expected}">' in html, message.to
        ((_filename, ics, _mimetype),) = message.attachments
        (event,) = Calendar.from_ical(ics).walk("VEVENT")
        summaries[message.to[0]] = str(event["summary"])
    assert summaries[member.email].endswith("(for social inclusion)")
    others = [summary for email, summary in summaries.items() if email != member.email]
    assert others and all(summary.endswith(f"({seeded.team.name})") for summary in others)


def test_the_closing_and_report_e_mails_list_only_the_comments_the_report_counts(
    make_round, coordinator, member, make_comment
):
    """A comment its author withdrew is not in the report: the e-mails listed it with
    "Disposition: —", as if it had been left unanswered. Each listed comment carries its
    registration number, which is how the report names it."""
    round_ = make_round(Phase.SETTLED)
    kept = make_comment(round_, text="Kept comment", registration_number="KZ/2026/0007")
    make_comment(round_, text="Withdrawn comment", withdrawn_at=timezone.now())
    services.round_publish_report(actor=coordinator, round_=round_)
    mail.outbox.clear()
    (message,) = [
        m for m in sent_to(outbox_sweep().sent, "report_published") if m.to == [member.email]
    ]
    assert "Kept comment" in message.body
    assert "KZ/2026/0007: Kept comment" in message.body
    assert "Withdrawn comment" not in message.body
    html = message.alternatives[0][0]
    assert "KZ/2026/0007" in html
    assert "Withdrawn comment" not in html
    assert kept.get_absolute_url() in html
