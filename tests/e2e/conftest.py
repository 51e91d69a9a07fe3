"""End-to-end fixtures: a live storefront per worker, the flows' browser, the devices.

Each fixture does one job and builds on pytest-playwright's own (``--headed``,
``--slowmo``, ``--base-url`` and ``--output`` keep working).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserType, Playwright

from flows.browser import ENDPOINT_VARIABLE, Device, connect, device_profiles
from flows.live_server import live_storefront


@pytest.fixture(scope="session")
def storefront() -> Iterator[str]:
    """A storefront on a free port with its own temporary database (one per xdist worker)."""
    with live_storefront() as url:
        yield url


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> str:
    """The storefront given with ``--base-url`` (or the ini value), else a fresh one."""
    given = pytestconfig.getoption("--base-url") or pytestconfig.getini("base_url")
    if given:
        return str(given).rstrip("/")
    return request.getfixturevalue("storefront")


@pytest.fixture(scope="session")
def browser(browser_type: BrowserType, launch_browser: Callable[[], Browser]) -> Iterator[Browser]:
    """The browser at ``FLOWS_BROWSER_ENDPOINT`` (ws:// or http://) when set, else a local one."""
    endpoint = os.environ.get(ENDPOINT_VARIABLE)
    browser = connect(browser_type, endpoint) if endpoint else launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def devices(playwright: Playwright) -> dict[str, Device]:
    return device_profiles(playwright)


@pytest.fixture
def desktop(devices: dict[str, Device]) -> Device:
    return devices["desktop"]


@pytest.fixture
def flow_output(output_path: str) -> Path:
    """This test's own folder under ``--output``: failure screenshots, diffs and traces."""
    return Path(output_path)


@pytest.fixture(scope="session")
def flow_trace(pytestconfig: pytest.Config) -> bool:
    """Whether a failed flow keeps a Playwright trace: pytest-playwright's ``--tracing``
    (``on`` or ``retain-on-failure``). Off by default, as there: tracing every flow costs
    about an eighth of the suite's time, and a failure always leaves its screenshots,
    diff pictures and a message naming the step."""
    return pytestconfig.getoption("--tracing") in ("on", "retain-on-failure")
