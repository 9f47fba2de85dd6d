"""Run axe-core (bundled by axe-playwright-python, works offline) on a Playwright page."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

_axe = Axe()


# Finite CSS transitions and animations still running (a button fading to its hover colour
# just after a click): axe judges the state a reader sees once they end, not a frame between.
_SETTLE = """Promise.all(document.getAnimations()
    .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map(a => a.finished.catch(() => null)))"""


def violations(page: Page) -> list[str]:
    """Violations on the page once its transitions have ended, one readable line each (empty
    list: none)."""
    page.evaluate(_SETTLE)
    results = _axe.run(page, options={**WCAG_21_AA, "resultTypes": ["violations"]})
    lines = []
    for violation in results.response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines
