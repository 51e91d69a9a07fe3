"""pytest-playwright's options do in the flow tests what its users expect: ``--video``,
``--tracing`` and ``--screenshot`` keep their artefacts per test under ``--output`` (all of
them with ``on``, a failed test's only with ``retain-on-failure`` / ``only-on-failure``);
``--video`` where Playwright cannot record (no ffmpeg) stops the run saying so; and
``--browser-channel`` launches that browser or fails saying it is missing.

Each case runs pytest on a tiny flow test in a process of its own, with this suite's
fixtures (``tests/conftest.py``, ``tests/e2e/conftest.py``) and this test's storefront.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import video_problem

ROOT = Path(__file__).resolve().parents[2]
TINY_TEST = '''
import pytest

from flows.run.runner import run_flow
from flowspec.paths import load_flows
from flowspec.steps import Step, by_role

FLOW = load_flows()["coupon-store-expired"]
SHORT = FLOW.model_copy(update={"steps": FLOW.steps[:1]})
BROKEN = FLOW.model_copy(update={"steps": (*FLOW.steps[:1], Step(
    id="missing", title="Missing", instruction="Look.", action="observe",
    target=by_role("heading", "Nowhere to be seen")))})


@pytest.mark.parametrize("flow", [SHORT, BROKEN], ids=["passes", "fails"])
def test_flow(browser, desktop, base_url, flow_output, flow_trace, flow_context, flow):
    result = run_flow(browser, flow, desktop, base_url, output_dir=flow_output,
                      trace=flow_trace, open_context=flow_context, timeout_ms=1000)
    assert result.passed
'''
# A conftest's fixtures win over the plugin's, as the suite's own do.
SUITE_FIXTURES = "from tests.conftest import *  # noqa\nfrom tests.e2e.conftest import *  # noqa\n"
ARTEFACTS = ("video.webm", "test-finished-1.png", "trace.zip")


def run_pytest(folder: Path, base_url: str, *options: str) -> subprocess.CompletedProcess[str]:
    """The tiny test, run by pytest in a process of its own with ``options``."""
    test = folder / "test_tiny_flow.py"
    test.write_text(TINY_TEST)
    (folder / "conftest.py").write_text(SUITE_FIXTURES)
    command = [
        sys.executable, "-m", "pytest", str(test), "-c", str(ROOT / "pyproject.toml"),
        "--rootdir", str(folder), "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
        "--base-url", base_url,
        "--output", str(folder / "results"), *options,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=240, check=False)


def kept(folder: Path, test: str) -> set[str]:
    """The artefacts kept for one of the tiny tests (``passes`` or ``fails``)."""
    [test_folder] = [path for path in (folder / "results").iterdir() if test in path.name] or [
        folder / "none"
    ]
    return {path.name for path in test_folder.rglob("*") if path.name in ARTEFACTS}


@pytest.mark.slow
def test_on_keeps_every_tests_screenshot_and_trace(base_url, tmp_path: Path):
    done = run_pytest(tmp_path, base_url, "--screenshot", "on", "--tracing", "on")

    assert "1 failed, 1 passed" in done.stdout, done.stdout + done.stderr
    assert kept(tmp_path, "passes") == {"test-finished-1.png", "trace.zip"}
    assert kept(tmp_path, "fails") == {"test-finished-1.png", "trace.zip"}


@pytest.mark.slow
def test_retain_on_failure_keeps_only_the_failed_tests_artefacts(base_url, tmp_path: Path):
    done = run_pytest(tmp_path, base_url, "--screenshot", "only-on-failure",
                      "--tracing", "retain-on-failure")

    assert "1 failed, 1 passed" in done.stdout, done.stdout + done.stderr
    assert kept(tmp_path, "passes") == set()
    assert kept(tmp_path, "fails") == {"test-finished-1.png", "trace.zip"}


@pytest.mark.slow
@pytest.mark.parametrize("option", ["on", "retain-on-failure"])
def test_video_is_kept_as_asked_or_refused_saying_what_is_missing(
    browser, base_url, tmp_path: Path, option: str
):
    problem = video_problem(browser, tmp_path / "check")

    done = run_pytest(tmp_path, base_url, "--video", option)

    if problem is None:
        assert kept(tmp_path, "fails") == {"video.webm"}
        assert kept(tmp_path, "passes") == ({"video.webm"} if option == "on" else set())
    else:  # Playwright's ffmpeg is not installed: the run stops at once and says so
        assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
        assert f"--video {option} cannot record here: " in done.stdout + done.stderr
        assert "playwright install ffmpeg" in done.stdout + done.stderr


@pytest.mark.skipif(Path("/opt/google/chrome/chrome").exists(), reason="Chrome is installed")
def test_a_browser_channel_that_is_not_installed_fails_saying_so(base_url, tmp_path: Path):
    done = run_pytest(tmp_path, base_url, "--browser-channel", "chrome")

    assert done.returncode != 0
    assert "2 errors" in done.stdout, done.stdout + done.stderr
    assert "Chromium distribution 'chrome' is not found" in done.stdout
