"""Accessibility fixtures: the pinned axe-core, the guide once asked for.

The storefront, the browser and the devices are the suite's (tests/conftest.py), shared
with the flows' tests: each server is started at most once per xdist worker, on a free
port, and always stopped. Pages open with the flows' steady settings.
"""

from __future__ import annotations

import pytest

from flows.run.browser import STEADY_CONTEXT, Device
from tests.accessibility.axe import check_vendored_axe
from tests.guide_browser.conftest import guide  # noqa: F401  (on the suite's storefront)


@pytest.fixture(scope="session", autouse=True)
def pinned_axe() -> None:
    """Every audit runs the pinned axe-core release, or none runs."""
    check_vendored_axe()


def context_options(device: Device, base_url: str) -> dict:
    """The device, the flows' steady settings, and the site under test as base URL.

    The storefront's policy refuses inline script, and axe arrives as one: the audit's
    own page context bypasses the policy (tests/security/ checks the policy itself).
    """
    return {**device.options, **STEADY_CONTEXT, "base_url": base_url, "bypass_csp": True}
