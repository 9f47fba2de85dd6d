"""Browser tests of the implementation pages: the same Chromium set-up as tests/browser/."""

from tests.browser.conftest import _browser_tests_are_marked, browser_type_launch_args

__all__ = ["_browser_tests_are_marked", "browser_type_launch_args"]
