"""Each notification kind is declared once, by the app that causes it, and everything that
lists kinds reads the registry: the settings page, the unsubscribe pages, the digest."""

from __future__ import annotations

import pytest
from django.template.loader import get_template
from django.test import Client

from notifications import registry
from notifications.models import Outbox
from notifications.outbox import context_for, outbox_enqueue
from teams.models import User

pytestmark = pytest.mark.django_db

DECLARED = {
    "round_announced",
    "round_opened",
    "round_reminder",
    "round_closed",
    "report_published",
    "comment_hidden",
    "comment_shown",
    "comment_settled",
    "comment_reply",
    "comment_supported",
    "comments_assigned",
    "meeting_invitation",
    "meeting_changed",
    "meeting_reminder",
    "minutes_published",
    "team_carried_over",
    "programme_deadline_reminder",
    "programme_deadline_overdue",
    "organisation_verified",
    "representation_decided",
    "membership_decided",
    "proposal_decided",
}


def test_the_apps_declare_every_kind_once_with_its_templates() -> None:
    names = [kind.name for kind in registry.kinds()]
    assert len(names) == len(set(names))
    assert set(names) == DECLARED
    for name in names:
        get_template(f"emails/{name}_subject.txt")
        get_template(f"emails/{name}_body.txt")
    assert {kind.name for kind in registry.kinds() if kind.immediate} == {
        "meeting_invitation",
        "meeting_changed",
        "meeting_reminder",
        "round_reminder",
        "team_carried_over",
        "programme_deadline_reminder",
        "programme_deadline_overdue",
        "organisation_verified",
        "representation_decided",
        "membership_decided",
    }


def test_declaring_a_kind_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        registry.register("round_opened", label="again")


def test_the_settings_page_offers_every_declared_kind(client: Client, member: User) -> None:
    client.force_login(member)
    html = client.get("/notifications/settings/").content.decode()
    for kind in registry.kinds():
        assert f'value="{kind.name}"' in html


def test_an_undeclared_kind_is_never_sent(member: User) -> None:
    row = outbox_enqueue(recipient=member, kind="no_such_kind", subject=member)
    assert isinstance(row, Outbox)
    assert context_for(row) is None


def test_the_settings_page_says_the_language_of_e_mails_and_where_to_change_it(
    client: Client, member: User
) -> None:
    """Every e-mail's footer leads here; the language is set with the name and consent."""
    member.language = "en"
    member.save(update_fields=["language"])
    client.force_login(member)
    html = client.get("/notifications/settings/").content.decode()
    assert '<span lang="en">English</span>' in html
    assert 'href="/my-account/edit/"' in html
    overview = client.get("/my-account/").content.decode()
    assert "Zmień imię i nazwisko, zgody i język e-maili" in overview
    # Where the change leads back to, the account page says it too.
    assert "Język e-maili</dt>" in overview and '<span lang="en">English</span>' in overview
