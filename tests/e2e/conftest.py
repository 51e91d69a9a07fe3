"""End-to-end fixtures: the storefront the flows drive and where their evidence goes.

The browser, the devices and the live storefront are the suite's (tests/conftest.py),
one per worker; each fixture builds on pytest-playwright's own (``--headed``,
``--slowmo``, ``--base-url`` and ``--output`` keep working).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import BrowserType

from flows.run.browser import launch_options
from flows.run.live_server import answers, free_port, serve

# What Playwright itself adds for a headless Chromium, so screenshots match the baseline.
HEADLESS_ARGS = (
    "--headless",
    "--hide-scrollbars",
    "--mute-audio",
    "--force-color-profile=srgb",
    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,"
    "primaryPointerType=4,availablePointerTypes=4",
)
START_TIMEOUT_S = 30.0


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> str:
    """The storefront given with ``--base-url`` (or the ini value), else a fresh one."""
    given = pytestconfig.getoption("--base-url") or pytestconfig.getini("base_url")
    if given:
        return str(given).rstrip("/")
    return request.getfixturevalue("storefront")


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


def devtools_answers(endpoint: str) -> bool:
    return answers(endpoint, "/json/version")


@pytest.fixture
def devtools_chromium(
    browser_type: BrowserType, tmp_path: Path
) -> Callable[[], AbstractContextManager[str]]:
    """Starts headless Chromiums of their own, each listening for DevTools on loopback
    only; each is polled until it answers (bounded) and always stopped
    (``flows.run.live_server.serve``).

    Profiles live in pytest's ``tmp_path``, which pytest clears in a later session:
    Chromium's helper processes may still be writing to them for a moment after the
    browser has stopped (removing one at once failed one run in twenty)."""
    options = launch_options(browser_type)
    executable = options.get("executable_path") or browser_type.executable_path

    @contextmanager
    def start() -> Iterator[str]:
        port = free_port()
        command = [
            executable,
            *HEADLESS_ARGS,
            *options["args"],
            "--remote-debugging-address=127.0.0.1",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={tmp_path / f'chromium-{port}'}",
            "about:blank",
        ]
        endpoint = f"http://127.0.0.1:{port}"
        with serve(command, endpoint, probe=devtools_answers, timeout_s=START_TIMEOUT_S):
            yield endpoint

    return start
