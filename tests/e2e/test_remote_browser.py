"""Flows run in a browser started elsewhere and reached over the Chrome DevTools protocol
(``FLOWS_BROWSER_ENDPOINT=http://...``), with the same results as a local one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserType, Playwright

from flows.browser import launch, launch_options
from flows.live_server import answers, free_port, serve
from flows.manifest import RECORDINGS_DIR
from flows.paths import load_flows
from flows.runner import run_flow

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
# Starts a Chromium of its own (not through Playwright), so the marker is spelled out.
pytestmark = pytest.mark.browser


def devtools_answers(endpoint: str) -> bool:
    return answers(endpoint, "/json/version")


@pytest.fixture
def devtools_endpoint(browser_type: BrowserType, tmp_path: Path) -> Iterator[str]:
    """A headless Chromium of its own, listening for DevTools on loopback only; polled until
    it answers (bounded) and always stopped (``flows.live_server.serve``).

    Its profile lives in pytest's ``tmp_path``, which pytest clears in a later session:
    Chromium's helper processes may still be writing to it for a moment after the
    browser has stopped (removing it at once failed one run in twenty)."""
    options = launch_options(browser_type)
    executable = options.get("executable_path") or browser_type.executable_path
    port = free_port()
    profile = tmp_path / "chromium-profile"
    command = [
        executable,
        *HEADLESS_ARGS,
        *options["args"],
        "--remote-debugging-address=127.0.0.1",
        f"--remote-debugging-port={port}",
        f"--user-data-dir={profile}",
        "about:blank",
    ]
    endpoint = f"http://127.0.0.1:{port}"
    with serve(command, endpoint, probe=devtools_answers, timeout_s=START_TIMEOUT_S):
        yield endpoint


@pytest.fixture
def remote_browser(playwright: Playwright, devtools_endpoint: str) -> Iterator[Browser]:
    """Connected the way the CLI connects (``flows.browser.launch`` with an endpoint).

    Not ``open_session``: it starts a second sync Playwright, which cannot run beside
    the plugin's own in one process.
    """
    browser = launch(playwright, endpoint=devtools_endpoint)
    yield browser
    browser.close()


def test_a_flow_passes_in_a_browser_reached_over_devtools(
    remote_browser, desktop, base_url, flow_output: Path
):
    result = run_flow(
        remote_browser,
        load_flows()["pre-verification"],
        desktop,
        base_url,
        baseline_dir=RECORDINGS_DIR,
        output_dir=flow_output,
    )

    assert result.passed, [step.message for step in result.failures]
