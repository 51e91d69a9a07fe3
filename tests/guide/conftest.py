"""Fixtures for the guide: a small recording written to a temporary folder per test.

Every path the guide reads is pointed at the test's own ``tmp_path`` (and the
storefront at a port where nothing answers), so tests can run in parallel.
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.guide.guide_fixtures import APP, EVERY_PATH, UNREACHABLE, write_recordings


@pytest.fixture
def guide_env(tmp_path, monkeypatch) -> Path:
    """Point the guide at this test's folders; nothing recorded yet, no storefront."""
    recordings = tmp_path / "recordings"
    recordings.mkdir()
    monkeypatch.setenv("GUIDE_RECORDINGS_DIR", str(recordings))
    monkeypatch.setenv("GUIDE_RUN_REPORT", str(tmp_path / "latest-run.json"))
    monkeypatch.setenv("GUIDE_STOREFRONT_URL", UNREACHABLE)
    return recordings


@pytest.fixture
def recorded(guide_env) -> dict:
    """Two flows of three steps each, recorded on desktop and phone."""
    return write_recordings(guide_env)


@pytest.fixture
def recorded_every_path(guide_env) -> dict:
    return write_recordings(guide_env, EVERY_PATH)


def new_app() -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=30)


@pytest.fixture
def app():
    """A fresh AppTest of the guide; call ``.run()`` (after ``switch_page`` if needed)."""
    return new_app()


@pytest.fixture
def open_page():
    """Open the guide on a page, e.g. ``open_page("guide/pages/export.py")``."""

    def opener(page: str, state: dict | None = None) -> AppTest:
        at = new_app()
        for key, value in (state or {}).items():
            at.session_state[key] = value
        at.run()
        if page != "guide/pages/tutorial.py":
            at.switch_page(page).run()
        return at

    return opener


@pytest.fixture
def page_text():
    """Everything written on the page, for ``in`` checks."""
    return texts


def texts(at: AppTest) -> str:
    """Everything written on the page, for ``in`` checks."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success", "text"):
        parts.extend(str(e.value) for e in getattr(at, kind))
    return "\n".join(parts)


@pytest.fixture
def storefront(guide_env, monkeypatch):
    """A stand-in storefront on a free port; the guide is pointed at it."""
    from tests.guide.guide_fixtures import FakeStorefront

    fake = FakeStorefront()
    monkeypatch.setenv("GUIDE_STOREFRONT_URL", fake.start())
    yield fake
    fake.stop()
