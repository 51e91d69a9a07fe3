"""The ``browser`` marker keeps its promise: ``pytest -m "not browser"`` starts no Chromium.

tests/conftest.py marks every test that uses a browser fixture or lives in a browser
folder, and refuses a browser to every test left unmarked.
"""

import os
import subprocess
import sys

import pytest
from playwright.sync_api import BrowserType

from flows.chromium import BrowserSetupError, find_chromium
from flows.run.live_server import ROOT
from tests.support.browser_marker import (
    UNMARKED_CHROMIUM,
    UnmarkedBrowserLaunch,
    starts_a_browser,
)


def test_a_test_without_the_marker_cannot_start_a_browser_through_playwright():
    with pytest.raises(UnmarkedBrowserLaunch, match=r"mark it @pytest\.mark\.browser$"):
        BrowserType.launch(None)  # refused before Playwright is even asked
    with pytest.raises(UnmarkedBrowserLaunch):
        BrowserType.connect_over_cdp(None, "http://127.0.0.1:9")


def test_a_test_without_the_marker_cannot_start_chromium_in_a_child_process():
    with pytest.raises(BrowserSetupError) as raised:
        find_chromium(os.environ, None)
    assert UNMARKED_CHROMIUM in str(raised.value)

    # the way a recorder or a CLI started by a test would look for Chromium
    child = subprocess.run(
        [sys.executable, "-c", "import os; from flows.run.browser import find_chromium; "
                               "find_chromium(os.environ, None)"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert child.returncode != 0
    assert f"SHOP_CHROMIUM is set to {UNMARKED_CHROMIUM}, which does not exist" in child.stderr


@pytest.mark.browser
def test_a_marked_test_is_left_its_browser():
    assert os.environ.get("SHOP_CHROMIUM") != UNMARKED_CHROMIUM
    assert BrowserType.launch.__qualname__ == "BrowserType.launch"  # Playwright's own


def test_every_collected_test_that_uses_a_browser_fixture_is_marked(request):
    unmarked = [
        item.nodeid for item in request.session.items
        if starts_a_browser(item) and not item.get_closest_marker("browser")
    ]
    assert unmarked == []


@pytest.mark.parametrize("page", ["guide/pages/tutorial.py"])
def test_an_argument_named_page_is_not_a_browser(page):
    assert os.environ.get("SHOP_CHROMIUM") == UNMARKED_CHROMIUM
