"""What the ``browser`` marker promises: a test without it starts no browser, so
``pytest -m "not browser"`` runs where no Chromium is installed. tests/conftest.py
applies the marker and enforces it with these."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import BrowserType

TESTS = Path(__file__).resolve().parent.parent
# Folders whose every test drives a browser.
BROWSER_FOLDERS = (TESTS / "e2e", TESTS / "guide_browser")
# pytest-playwright's fixtures that start a browser, or configure how one starts.
BROWSER_FIXTURES = frozenset(
    {"browser", "context", "page", "new_context", "launch_browser", "browser_type_launch_args",
     "devtools_chromium"}
)
# What a test without the marker finds in SHOP_CHROMIUM: a Chromium it tried to start,
# in this process or in a process it starts, stops with this path in its message.
UNMARKED_CHROMIUM = "/tests-without-the-browser-marker-may-not-start-chromium"
PLAYWRIGHT_STARTS = ("launch", "launch_persistent_context", "connect", "connect_over_cdp")


class UnmarkedBrowserLaunch(RuntimeError):
    """A test without the ``browser`` marker tried to start or reach a browser."""


def starts_a_browser(item: pytest.Item) -> bool:
    """Whether ``item`` lives in a browser folder or uses a fixture that starts one."""
    if any(item.path.is_relative_to(folder) for folder in BROWSER_FOLDERS):
        return True
    # a test parametrized over a plain argument that happens to be called ``page`` is not one
    parameters = getattr(getattr(item, "callspec", None), "params", {})
    return any(name in BROWSER_FIXTURES and name not in parameters
               for name in getattr(item, "fixturenames", ()))


def refuse_browsers(monkeypatch: pytest.MonkeyPatch, test_id: str) -> None:
    """For one test: every way Playwright starts or reaches a browser raises, and a child
    process looking for Chromium is sent to a path that does not exist."""

    def refuse(*_args, **_kwargs):
        raise UnmarkedBrowserLaunch(f"{test_id} starts a browser: mark it @pytest.mark.browser")

    for method in PLAYWRIGHT_STARTS:
        monkeypatch.setattr(BrowserType, method, refuse)
    monkeypatch.setenv("SHOP_CHROMIUM", UNMARKED_CHROMIUM)
