"""Flows run in a browser started elsewhere and reached over the Chrome DevTools protocol
(``FLOWS_BROWSER_ENDPOINT=http://...``), with the same results as a local one; a run says
which storefront it drives, how each browser is, and why pictures will differ."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from junitparser import JUnitXml, SystemErr
from playwright.sync_api import Browser, Playwright

from flows.cli import main
from flows.pictures.files import RECORDINGS_DIR
from flows.run.browser import launch
from flows.run.endpoints import local_version, picture_hints
from flows.run.live_server import free_port
from flows.run.runner import run_flow
from flows.settings import FlowsSettings
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


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def test_a_browser_started_without_the_documented_flags_or_of_another_version_gets_a_hint(
    playwright: Playwright, devtools_chromium
):
    here = local_version(FlowsSettings())
    with devtools_chromium(flags=("--headless",)) as bare, devtools_chromium() as documented:
        hints = {}
        for endpoint, local in ((bare, here), (documented, here), (documented, "1.0.0.1")):
            browser = launch(playwright, endpoint=endpoint)
            hints[endpoint, local] = picture_hints(browser, endpoint, local)
            browser.close()

    assert here and hints[documented, here] == []
    [hint] = hints[bare, here]
    assert hint.startswith(f"the browser at {bare} draws a ") and "--hide-scrollbars" in hint
    [hint] = hints[documented, "1.0.0.1"]
    assert hint.startswith(f"the browser at {documented} is Chromium ")
    assert ", this machine's is 1.0.0.1: another version" in hint


def test_a_run_says_its_storefront_then_each_browser_health_and_who_took_a_dead_ones_jobs(
    devtools_chromium, base_url, tmp_path: Path
):
    dead = f"127.0.0.1:{free_port()}"
    with devtools_chromium() as live:
        bare = live.removeprefix("http://")  # no scheme: DevTools answers there, so http://
        status, output = run(
            "run", "coupon-store-expired", "--base-url", base_url, "--no-trace",
            "--endpoint", f"{bare},{dead}", "--output", str(tmp_path),
            "--junit", str(tmp_path / "junit.xml"),
        )

    lines = output.splitlines()
    assert status == 0, output
    assert lines[0] == f"Storefront: {base_url} (--base-url)"
    assert lines[1].startswith(f"Browser {live} at the start: up (HeadlessChrome/")
    assert lines[2] == f"Browser ws://{dead}/ at the start: DOWN (nothing listens: Connection refused)"
    assert f"Browser {live} at the end: up (HeadlessChrome/" in output
    assert f"Browser {live}: ran 2 job(s)" in output
    assert (
        f"warning: the browser at ws://{dead}/ failed after 0 job(s); the other jobs ran on {live}."
        " Its error:\nBrowserType.connect: " in output
    )
    # A dashboard reading only the JUnit file learns it too.
    [suite] = list(JUnitXml.fromfile(str(tmp_path / "junit.xml")))
    assert {p.name: p.value for p in suite.properties()}["failed-browsers"] == "1"
    assert suite.child(SystemErr).text.startswith(
        f"The browser at ws://{dead}/ failed after 0 job(s); the run's other browsers ran the"
        " rest: BrowserType.connect: "
    )


def test_when_no_browser_answers_the_run_fails_with_the_whole_error(base_url, tmp_path: Path):
    dead = f"ws://127.0.0.1:{free_port()}/"

    status, output = run("run", "coupon-store-expired", "--device", "desktop", "--base-url",
                         base_url, "--endpoint", dead, "--output", str(tmp_path))

    assert status == 2
    error = output[output.index("error: the browser at"):]
    assert error.startswith(f"error: the browser at {dead} failed: BrowserType.connect:")
    assert len(error.strip().splitlines()) > 1, "the whole error, not its first line"
