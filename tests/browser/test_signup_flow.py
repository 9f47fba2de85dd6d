"""A new person signs up, verifies, registers an organisation and asks to join a team; the
coordinator and the moderator approve. Chromium; no axe violations on any page visited."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from teams import permissions
from teams.models import Meeting, Membership, Organisation, Representation, User

from .axe import violations

EMAIL = "anna.nowak@example.org"
PASSWORD = "a-long-Passw0rd-for-tests"  # noqa: S105
NIP = "5261040828"  # valid, and not the demo organisation's
ORGANISATION = "Fundacja Przykładowa Nowa Huta"
DEMO_PASSWORD = "demo-krakow-2011"  # noqa: S105


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """allauth's rate-limit counters live in the cache, shared by the whole test process."""
    cache.clear()
    yield
    cache.clear()


def field(page: Page, label: str):  # noqa: ANN201
    """The input labelled ``label`` (crispy-forms adds "*" to required fields' labels)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def check(page: Page, visited: list[tuple[str, list[str]]]) -> None:
    visited.append((page.url, violations(page)))


def in_english(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def log_in(page: Page, base: str, email: str, password: str) -> None:
    in_english(page, base + "/accounts/login/")
    field(page, "E-mail").fill(email)
    field(page, "Password").fill(password)
    page.locator("main").get_by_role("button", name="Log in").click()


def test_new_person_signs_up_and_is_approved_by_coordinator_and_moderator(
    live_server, browser: Browser, seeded: Meeting
) -> None:
    base = live_server.url
    team = seeded.team
    visited: list[tuple[str, list[str]]] = []

    # --- The newcomer -------------------------------------------------------------------------
    newcomer_context = browser.new_context()
    page = newcomer_context.new_page()
    in_english(page, base + "/")
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    expect(
        page.get_by_role("link", name="Full information clause (privacy notice)")
    ).to_be_visible()
    check(page, visited)
    field(page, "E-mail").fill(EMAIL)
    field(page, "First name (optional)").fill("Anna")
    field(page, "Last name (optional)").fill("Nowak")
    field(page, "Password").fill(PASSWORD)
    field(page, "Password (again)").fill(PASSWORD)
    page.get_by_label("Show my name next to my contributions").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    check(page, visited)

    body = mail.outbox[-1].body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", body)
    assert link, body
    page.goto(link.group(0))
    check(page, visited)
    page.get_by_role("button", name="Confirm").click()

    log_in(page, base, EMAIL, PASSWORD)
    expect(page).to_have_url(base + "/my-account/")
    expect(page.locator("#contribution-status")).to_contain_text("Not yet")
    check(page, visited)

    page.get_by_role("link", name="Register a new organisation").click()
    check(page, visited)
    field(page, "Name").fill(ORGANISATION)
    field(page, "Legal form").select_option("foundation")
    field(page, "NIP").fill("526-104-08-28")
    field(page, "KRS (optional)").fill("359731")
    field(page, "Address").fill("ul. Przykładowa 2, 31-000 Kraków")
    page.get_by_role("button", name="Register the organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    expect(page.locator("#verification-status")).to_contain_text("Awaiting verification")
    check(page, visited)

    page.goto(base + team.get_absolute_url())
    page.get_by_role("button", name="Ask to join this team").click()
    expect(page.locator("#membership-status")).to_contain_text("requested")
    check(page, visited)

    page.get_by_role("link", name="My account").click()
    expect(page.locator("#contribution-status")).to_contain_text("Not yet")
    check(page, visited)

    user = User.objects.get(email=EMAIL)
    organisation = Organisation.objects.get(nip=NIP)
    assert organisation.krs == "0000359731"
    assert user.show_name_publicly is True
    assert permissions.can_contribute(user) is False

    # --- The coordinator verifies the organisation and approves the representative ------------
    coordinator_context = browser.new_context()
    page = coordinator_context.new_page()
    log_in(page, base, "koordynator@example.org", DEMO_PASSWORD)
    page.get_by_role("link", name="Coordination").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coordination")
    check(page, visited)
    page.get_by_role("button", name=f"Verify: {ORGANISATION}").click()
    expect(page.get_by_text(f"{ORGANISATION} is now verified.")).to_be_visible()
    page.get_by_label("Reason (optional)").first.fill("Checked in the register")
    # The coordinating team sees who asks by the name they gave, beside the address.
    page.get_by_role(
        "button", name=f"Approve: Anna Nowak ({EMAIL}) represents {ORGANISATION}"
    ).click()
    expect(page.get_by_text(f"{EMAIL} now represents {ORGANISATION}.")).to_be_visible()
    check(page, visited)
    coordinator_context.close()

    # --- The moderator approves the membership ---------------------------------------------
    moderator_context = browser.new_context()
    page = moderator_context.new_page()
    log_in(page, base, "moderator@example.org", DEMO_PASSWORD)
    page.goto(base + team.get_absolute_url())
    expect(page.get_by_role("link", name="Plan a meeting")).to_be_visible()
    check(page, visited)
    page.get_by_role("link", name=re.compile("Members and requests")).click()
    check(page, visited)
    page.get_by_role("button", name=f"Approve: {EMAIL}").click()
    expect(page.get_by_text(f"{EMAIL} is now a member of the team.")).to_be_visible()
    check(page, visited)
    moderator_context.close()

    # --- Back to the newcomer: now they may contribute -------------------------------------
    page = newcomer_context.pages[0]
    page.goto(base + "/my-account/")
    expect(page.locator("#contribution-status")).to_contain_text("Yes.")
    check(page, visited)
    newcomer_context.close()

    assert Representation.objects.get(user=user).status == Representation.Status.APPROVED
    assert Membership.objects.get(user=user, team=team).status == Membership.Status.APPROVED
    assert permissions.can_contribute(user) and permissions.is_team_member(user, team.pk)
    problems = [(url, found) for url, found in visited if found]
    assert problems == [], problems
    assert len(visited) == 14


def test_account_organisation_and_coordination_pages_have_no_axe_violations(
    live_server, browser: Browser, seeded: Meeting
) -> None:
    base = live_server.url
    visited: list[tuple[str, list[str]]] = []

    visitor = browser.new_context().new_page()
    in_english(visitor, base + "/accounts/password/reset/")
    check(visitor, visited)
    field(visitor, "E-mail").fill("nobody-here@example.org")
    visitor.get_by_role("button", name="Reset my password").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Password reset")
    check(visitor, visited)
    visitor.goto(base + "/organisations/")
    check(visitor, visited)

    page = browser.new_context().new_page()
    log_in(page, base, "ngo@example.org", DEMO_PASSWORD)
    for path in [
        "/my-account/",
        "/my-account/edit/",
        "/my-account/delete/",
        "/accounts/email/",
        "/accounts/password/change/",
    ]:
        page.goto(base + path)
        check(page, visited)
    page.goto(base + "/organisations/?q=856-734-62-15")
    expect(page.get_by_role("link", name=re.compile("Razem w Krakowie"))).to_be_visible()
    check(page, visited)
    page.goto(base + "/organisations/new/")
    field(page, "Name").fill("Duplikat")
    field(page, "NIP").fill("8567346215")
    field(page, "KRS (optional)").fill("12345678901")
    page.get_by_role("button", name="Register the organisation").click()
    expect(page.locator("#duplicate-organisation")).to_be_visible()
    expect(page.get_by_text("A KRS number has exactly 10 digits")).to_be_visible()
    check(page, visited)

    page = browser.new_context().new_page()
    log_in(page, base, "koordynator@example.org", DEMO_PASSWORD)
    team = seeded.team
    for path in [
        "/coordination/",
        "/coordination/people/",
        "/coordination/teams/new/",
        f"/teams/{team.slug}/edit/",
        f"/teams/{team.slug}/members/",
        team.get_absolute_url(),
    ]:
        page.goto(base + path)
        check(page, visited)
    page.goto(base + "/coordination/teams/new/")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    check(page, visited)

    problems = [(url, found) for url, found in visited if found]
    assert problems == [], problems
    assert len(visited) == 17
