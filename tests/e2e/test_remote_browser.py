"""Flows run in a browser started elsewhere and reached over the Chrome DevTools protocol
(``FLOWS_BROWSER_ENDPOINT=http://...``), with the same results as a local one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright

from flows.pictures.files import RECORDINGS_DIR
from flows.run.browser import launch
from flows.run.runner import run_flow
from flowspec.paths import load_flows

# Starts a Chromium of its own (not through Playwright), so the marker is spelled out.
pytestmark = pytest.mark.browser

@pytest.fixture
def devtools_endpoint(devtools_chromium) -> Iterator[str]:
    """A headless Chromium of its own, listening for DevTools on loopback only."""
    with devtools_chromium() as endpoint:
        yield endpoint


@pytest.fixture
def remote_browser(playwright: Playwright, devtools_endpoint: str) -> Iterator[Browser]:
    """Connected the way the CLI connects (``flows.run.browser.launch`` with an endpoint).

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
