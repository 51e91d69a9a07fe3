"""End-to-end fixtures: the storefront the flows drive and where their evidence goes.

The browser, the devices and the live storefront are the suite's (tests/conftest.py),
one per worker; each fixture builds on pytest-playwright's own (``--headed``,
``--slowmo``, ``--base-url`` and ``--output`` keep working).
"""

from __future__ import annotations

from pathlib import Path

import pytest


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
