"""The guide in a real browser: a live storefront and ``streamlit run app.py`` per worker.

The guide reads the committed recordings (``flows/recordings``, read only) and its
practice page talks to the live storefront (the suite's, tests/conftest.py). Both
servers are started once per xdist worker, on free ports, and always stopped.
pytest-playwright's ``page`` opens the guide (``base_url``), with the flows' Chromium
and launch flags.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from flows.run.browser import STEADY_CONTEXT
from flows.run.live_server import ROOT, answers, free_port, serve

RECORDINGS = ROOT / "flows" / "recordings"
HEALTH_PATH = "/_stcore/health"
DESKTOP_VIEWPORT = {"width": 1400, "height": 900}


def guide_command(port: int, storefront_url: str, recordings: Path = RECORDINGS) -> list[str]:
    """``streamlit run app.py`` on ``port``, pointed at ``recordings`` and the storefront."""
    return [
        "env",  # the variables go to the guide only, not to this test process
        f"GUIDE_RECORDINGS_DIR={recordings}",
        f"GUIDE_STOREFRONT_URL={storefront_url}",
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        # Other people edit guide/ while tests run; a "source changed" prompt would get in the way.
        "--server.fileWatcherType", "none",
    ]


def guide_is_healthy(base_url: str) -> bool:
    return answers(base_url, HEALTH_PATH)


@contextlib.contextmanager
def running_guide(storefront_url: str) -> Iterator[str]:
    """The Streamlit guide on a free port, once ``/_stcore/health`` answers (bounded)."""
    port = free_port()
    with serve(guide_command(port, storefront_url), f"http://127.0.0.1:{port}",
               probe=guide_is_healthy, timeout_s=60) as url:
        yield url


@pytest.fixture(scope="session")
def guide(storefront: str) -> Iterator[str]:
    """The Streamlit guide, talking to the ``storefront`` fixture in scope (tests/accessibility/ has its own)."""
    with running_guide(storefront) as url:
        yield url


@pytest.fixture(scope="session")
def manifest() -> dict:
    """The committed recordings manifest the guide shows (docs/architecture.md)."""
    return json.loads((RECORDINGS / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def base_url(guide: str) -> str:
    """``page.goto("/tutorial")`` opens the guide started above."""
    return guide


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict, base_url: str) -> dict:
    """A desktop-sized window with the flows' steady settings (no animations, UTC, en-US).

    ``base_url`` is set here too: the plugin's own value is cached per session, and another
    folder's tests may have made it first with another base URL.
    """
    return {**browser_context_args, **STEADY_CONTEXT, "viewport": DESKTOP_VIEWPORT,
            "base_url": base_url}


@pytest.fixture(autouse=True)
def patient_expectations() -> Iterator[None]:
    """Streamlit answers each click with a rerun; on two busy cores one may take seconds."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)
