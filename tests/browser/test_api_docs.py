"""Every page of the API documentation passes axe like the rest of the portal: the overview
(/api/), Swagger UI (/api/docs/) in the states a reader brings it to, and ReDoc (/api/redoc/),
which also loads nothing from another host and breaks nothing in the Content-Security-Policy."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, Request, expect

from tests.browser.axe import violations


def test_swagger_ui_has_no_axe_violations_as_a_reader_uses_it(
    live_server, page: Page, seeded
) -> None:
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "pl"
    assert violations(page) == []
    # An operation opened, tried out and run: its parameters, the request and the response.
    page.locator("#operations-v1-v1_actions_list .opblock-summary-control").click()
    operation = page.locator("#operations-v1-v1_actions_list")
    expect(operation.locator(".parameters")).to_be_visible()
    assert violations(page) == []
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table")).to_be_visible()
    assert violations(page) == []
    # A schema opened, and a nested one inside it.
    page.locator("section.models .model-box-control").first.click()
    nested = page.locator("section.models tr.property-row .model-box-control").first
    nested.click()
    expect(nested).to_have_attribute("aria-expanded", "true")
    assert violations(page) == []


def test_redoc_has_no_axe_violations(live_server, page: Page, seeded) -> None:
    page.goto(live_server.url + "/api/redoc/")
    expect(page.locator("h1").first).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "pl"
    assert violations(page) == []


def test_redoc_asks_no_other_host_for_anything_and_breaks_no_policy(
    live_server, page: Page, seeded
) -> None:
    """ReDoc's bundle fetched its "API docs by Redocly" logo from cdn.redoc.ly: refused by the
    policy, an error on the console and a report to the portal on every visit. The page now
    uses the copy made by scripts/vendor_redoc.py, without that logo."""
    own_host = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []

    def note_elsewhere(request: Request) -> None:
        url = urlsplit(request.url)
        if url.scheme in ("http", "https") and url.netloc != own_host:
            elsewhere.append(request.url)

    page.on("request", note_elsewhere)
    # Chromium fires this event for every refusal; the report to /csp-report/ is made from it.
    page.add_init_script(
        """window.__violations = [];
        document.addEventListener("securitypolicyviolation", (event) => {
            window.__violations.push(event.violatedDirective + " " + event.blockedURI);
        });"""
    )
    page.goto(live_server.url + "/api/redoc/")
    expect(page.locator("h1").first).to_be_visible()
    # The side menu and its closing link to Redocly, where the logo was, are on the page.
    expect(page.get_by_role("link", name="API docs by Redocly")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []
    assert elsewhere == []


def test_the_api_documentation_pages_say_english_when_english_is_chosen(
    live_server, page: Page, seeded
) -> None:
    page.goto(live_server.url + "/api/")
    page.get_by_role("button", name="English").click()
    for path in ["/api/docs/", "/api/redoc/"]:
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "en", path
    page.goto(live_server.url + "/api/")
    assert violations(page) == []
