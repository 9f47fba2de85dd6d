"""With JavaScript, a comment the portal cannot take is not lost and not silent: a refused or
failed send says so next to the form, with the text still in it (static/js/htmx-refused.js);
a send after the session ended shows why, the text to copy, and the way to sign in
(krakow_ngo.middleware.SessionEndedMiddleware)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, Route, expect

from consultations.models import Round
from consultations.phases import Phase
from teams.models import Meeting, User

from .axe import violations
from .test_consultation_flow import _login

TEXT = "Uwaga pisana przez godzinę:\nproszę dopisać termin realizacji."


def test_a_comment_that_cannot_be_taken_stays_and_says_why(
    live_server, page: Page, seeded: Meeting
) -> None:
    base = live_server.url
    member = User.objects.get(email="ngo@example.org")
    round_ = Round.objects.get(status=Phase.ANNOUNCED)  # the demo's open round
    count = round_.comments.count()
    _login(page.context, base, member)
    page.goto(base + round_.get_absolute_url())
    form = page.locator("#comment-form-section")
    form.get_by_label("Your comment").fill(TEXT)

    # The portal answers 503 (its database restarting): a note by the form, the text stays.
    def unavailable(route: Route) -> None:
        route.fulfill(status=503, body="<!DOCTYPE html><title>503</title>")

    page.route(re.compile(r".*/comments/$"), unavailable)
    form.get_by_role("button", name="Send the comment").click()
    note = page.get_by_role("alert").filter(has_text="Nothing was saved")
    expect(note).to_be_visible()
    expect(note).to_be_focused()
    expect(form.get_by_label("Your comment")).to_have_value(TEXT)
    assert violations(page) == []
    page.unroute(re.compile(r".*/comments/$"))

    # The session ends meanwhile (signed out in another window): the page says so, with the
    # text to copy and the way back.
    page.context.clear_cookies(name="sessionid")
    form.get_by_role("button", name="Send the comment").click()
    expect(page.get_by_role("heading", name="You are not logged in")).to_be_focused()
    # The page says so all over: its title, and a header that offers to log in.
    expect(page).to_have_title(re.compile(r"^You are not logged in · "))
    header = page.locator("#site-header")
    expect(header.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    expect(header.get_by_role("button", name="Log out")).to_have_count(0)
    # Named by its field's label, as in the form it came from.
    expect(page.get_by_role("textbox", name="Your comment")).to_have_value(TEXT)
    expect(page.get_by_role("alert")).to_have_count(0)
    assert violations(page) == []
    assert round_.comments.count() == count

    page.get_by_role("link", name="Log in and go back to the page").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.locator("#id_login").fill(member.email)


def test_a_refused_reply_is_told_next_to_its_form_not_at_the_top_of_the_thread(
    live_server, page: Page, seeded: Meeting
) -> None:
    base = live_server.url
    member = User.objects.get(email="ngo@example.org")
    round_ = Round.objects.get(status=Phase.ANNOUNCED)
    comment = round_.comments.filter(parent=None).exclude(author=member).first()
    assert comment is not None
    _login(page.context, base, member)
    page.goto(base + round_.get_absolute_url())
    card = page.locator(f"#comment-{comment.pk}")
    card.get_by_text("Reply", exact=True).click()
    card.get_by_label("Your reply").fill(TEXT)
    page.route(re.compile(r".*/reply/$"), lambda route: route.fulfill(status=500, body="x"))
    card.get_by_role("button", name="Send the reply").click()
    note = page.get_by_role("alert").filter(has_text="Nothing was saved")
    expect(note).to_be_focused()
    # The note stands right before the reply's form, whose text is still there.
    following = note.locator("xpath=following-sibling::*[1]")
    expect(following).to_have_attribute("action", re.compile(rf"/comments/{comment.pk}/reply/$"))
    expect(card.get_by_label("Your reply")).to_have_value(TEXT)
