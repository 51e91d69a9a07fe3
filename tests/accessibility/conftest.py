"""Accessibility fixtures: a live storefront per worker, the guide once asked for, devices.

Both servers are started at most once per xdist worker, on free ports, and always
stopped. Pages are opened in the flows' Chromium (``tests/conftest.py``), desktop and
phone, with the flows' steady settings.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Playwright

from flows.browser import STEADY_CONTEXT, Device, device_profiles
from flows.live_server import live_storefront
from tests.accessibility.axe import check_vendored_axe
from tests.guide_browser.conftest import guide  # noqa: F401  (on the storefront above)


@pytest.fixture(scope="session", autouse=True)
def pinned_axe() -> None:
    """Every audit runs the pinned axe-core release, or none runs."""
    check_vendored_axe()


@pytest.fixture(scope="session")
def storefront() -> Iterator[str]:
    """A storefront on a free port with its own temporary database."""
    with live_storefront(timeout_s=60) as url:
        yield url


@pytest.fixture(scope="session")
def devices(playwright: Playwright) -> dict[str, Device]:
    return device_profiles(playwright)


def context_options(device: Device, base_url: str) -> dict:
    """The device, the flows' steady settings, and the site under test as base URL.

    The storefront's policy refuses inline script, and axe arrives as one: the audit's
    own page context bypasses the policy (tests/security/ checks the policy itself).
    """
    return {**device.options, **STEADY_CONTEXT, "base_url": base_url, "bypass_csp": True}
