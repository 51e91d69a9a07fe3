"""Suite-wide pytest configuration: markers, and the Chromium every browser test launches."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import BrowserType

from flows.browser import launch_options

TESTS = Path(__file__).parent

# Starlette's test client sends ``Host: testserver``; the storefront answers only the
# hosts it is told to (SHOP_ALLOWED_HOSTS), so the tests add that name to the loopback ones.
os.environ.setdefault("SHOP_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under ``tests/e2e/`` as ``e2e`` so ``-m "not e2e"`` skips them."""
    e2e = TESTS / "e2e"
    for item in items:
        if item.path.is_relative_to(e2e):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, browser_type: BrowserType) -> dict:
    """The plugin's options (``--headed``, ``--slowmo``) plus the flows' executable and flags."""
    ours = launch_options(browser_type)
    args = [*browser_type_launch_args.get("args", []), *ours.pop("args")]
    return {**browser_type_launch_args, **ours, "args": args}
