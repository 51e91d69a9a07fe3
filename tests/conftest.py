"""Suite-wide pytest configuration: the ``browser`` marker (applied and enforced), the one
Chromium each worker shares, a live storefront per worker, the hypothesis profiles, and
the databases a test may run on (the ``database_kind`` parameter)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from playwright.sync_api import Browser, BrowserType, Playwright

from flows.run.browser import Device, connect, device_profiles, launch_options
from flows.run.live_server import live_storefront
from flows.settings import FlowsSettings
from tests.support.browser_marker import refuse_browsers, starts_a_browser
from tests.support.databases import (
    POSTGRESQL_URL_VARIABLE,
    DatabaseKind,
    DatabaseServer,
    PostgresqlUnavailable,
    check_postgresql,
    database_kinds,
    open_database_server,
    postgresql_required,
)

TESTS = Path(__file__).parent
# ``HYPOTHESIS_PROFILE=ci`` (the default in scripts/run_tests.sh when CI is set) tries a
# quarter of the examples, ``nightly`` ten times as many; property tests scale their own
# counts alike (tests/support/examples.py).
settings.register_profile("ci", max_examples=25, print_blob=True)
settings.register_profile("nightly", max_examples=1000, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Starlette's test client sends ``Host: testserver``; the storefront answers only the
# hosts it is told to (SHOP_ALLOWED_HOSTS), so the tests add that name to the loopback ones.
os.environ.setdefault("SHOP_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
# Every storefront a test starts serves tests from one address, each making copies of its
# own: the per-client limit on new copies is tested on its own (tests/mock_site/web).
os.environ.setdefault("SHOP_PRACTICE_COPIES_PER_MINUTE", "100000")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: the test is about SQLite itself; it runs on SQLite alone")
    config.stash[POSTGRESQL_VERSION] = None
    if not postgresql_required():
        return
    try:
        config.stash[POSTGRESQL_VERSION] = check_postgresql()
    except PostgresqlUnavailable as error:
        # A run that was to cover PostgreSQL and cannot fails: it never skips it quietly.
        raise pytest.UsageError(str(error)) from None


POSTGRESQL_VERSION = pytest.StashKey[str | None]()


def pytest_report_header(config: pytest.Config) -> str:
    version = config.stash.get(POSTGRESQL_VERSION, None)
    if version:
        return f"databases: sqlite and postgresql {version} ({POSTGRESQL_URL_VARIABLE})"
    return (f"databases: sqlite only ({POSTGRESQL_URL_VARIABLE} is not set; scripts/run_tests.sh"
            " starts a PostgreSQL server and runs on both)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that uses a database of the storefront's runs once per database kind."""
    if "database_kind" in metafunc.fixturenames:
        kinds = database_kinds()
        if metafunc.definition.get_closest_marker("sqlite_only"):
            kinds = [DatabaseKind.SQLITE]
        metafunc.parametrize("database_kind", kinds, indirect=True, scope="session",
                             ids=[kind.value for kind in kinds])


@pytest.fixture(scope="session")
def database_kind(request: pytest.FixtureRequest) -> DatabaseKind:
    return request.param


@pytest.fixture(scope="session")
def database_server(database_kind, tmp_path_factory, worker_id) -> Iterator[DatabaseServer]:
    """Fresh databases of this kind for this test process; all thrown away at the end."""
    server = open_database_server(database_kind, tmp_path_factory.mktemp(f"db-{database_kind}"),
                                  worker_id)
    yield server
    server.close()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that starts a browser ``browser`` (and ``tests/e2e/`` also ``e2e``),
    before ``-m`` selects: ``-m "not browser"`` then starts no Chromium at all."""
    for item in items:
        if item.path.is_relative_to(TESTS / "e2e"):
            item.add_marker(pytest.mark.e2e)
        if starts_a_browser(item):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def no_browser_unless_marked(request: pytest.FixtureRequest,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold the marker to its promise: a test without it cannot start Chromium, neither
    through Playwright in this process nor (SHOP_CHROMIUM) in a process it starts."""
    if not request.node.get_closest_marker("browser"):
        refuse_browsers(monkeypatch, request.node.nodeid)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, browser_type: BrowserType) -> dict:
    """The plugin's options (``--headed``, ``--slowmo``, ``--browser-channel``) plus the
    flows' flags, and their executable unless a channel names the browser to launch (which
    must then be installed: Playwright says how when it is not)."""
    ours = launch_options(browser_type, headless=browser_type_launch_args.get("headless", True))
    if browser_type_launch_args.get("channel"):
        ours.pop("executable_path", None)
    args = [*browser_type_launch_args.get("args", []), *ours.pop("args")]
    return {**browser_type_launch_args, **ours, "args": args}


@pytest.fixture(scope="session")
def browser(
    browser_type: BrowserType, launch_browser: Callable[[], Browser], pytestconfig: pytest.Config
) -> Iterator[Browser]:
    """One browser per worker for every folder: the one at ``FLOWS_BROWSER_ENDPOINT``
    (ws://, http:// or host:port) when set, else a local one with the flows' flags."""
    endpoint = next(iter(FlowsSettings().endpoints()), None)
    channel = pytestconfig.getoption("--browser-channel", None)
    if endpoint and channel:
        raise pytest.UsageError(
            f"--browser-channel {channel} launches a local browser, but FLOWS_BROWSER_ENDPOINT"
            f" names one to use ({endpoint}): give one or the other"
        )
    browser = connect(browser_type, endpoint) if endpoint else launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def devices(playwright: Playwright) -> dict[str, Device]:
    return device_profiles(playwright)


@pytest.fixture
def desktop(devices: dict[str, Device]) -> Device:
    return devices["desktop"]


@pytest.fixture(scope="session")
def storefront() -> Iterator[str]:
    """A storefront on a free port with its own temporary database (one per xdist worker);
    tests that use it start their own scenarios, so they may share it. Its start is given
    longer than the flows' 30 s: on two busy cores a worker starts Chromium, the guide and
    the storefront at once."""
    with live_storefront(timeout_s=90) as url:
        yield url
