"""Without JavaScript, a step on a comment returns to its thread with the message focused.

The answer is a redirect to the round page at the thread. The message at the top of the
thread has ``autofocus``, which a browser skips on a page opened at a fragment, so it was shown
but neither focused nor read out: the address now names the message itself, and a browser
focuses the focusable element a fragment names."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from consultations.models import Round
from consultations.phases import Phase
from teams.models import Meeting, User

from .test_consultation_flow import _login


def test_a_reply_sent_without_javascript_focuses_its_message(
    live_server, browser: Browser, seeded: Meeting
) -> None:
    base = live_server.url
    round_ = Round.objects.get(status=Phase.ANNOUNCED)  # the demo's open round
    comment = round_.comments.filter(parent=None, withdrawn_at=None, hidden_at=None).first()
    assert comment is not None
    context = browser.new_context(java_script_enabled=False)
    _login(context, base, User.objects.get(email="ekspert@example.org"))
    page = context.new_page()
    page.goto(base + round_.get_absolute_url())
    thread = page.locator(f"#comment-{comment.pk}")
    thread.locator("summary", has_text="Reply").click()
    thread.get_by_label("Your reply").fill("Odpowiedź bez JavaScriptu.")
    thread.get_by_role("button", name="Send the reply").click()

    message = page.locator(f"#comment-{comment.pk}-message")
    expect(message).to_have_text("Your reply has been added.")
    expect(message).to_be_focused()
    assert page.url.endswith(f"#comment-{comment.pk}-message")
    context.close()
