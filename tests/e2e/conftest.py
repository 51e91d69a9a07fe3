"""End-to-end fixtures: the storefront the flows drive and where their evidence goes.

The browser, the devices and the live storefront are the suite's (tests/conftest.py),
one per worker; each fixture builds on pytest-playwright's own (``--headed``,
``--slowmo``, ``--base-url``, ``--output``, ``--browser-channel`` keep working). The flows
open their own contexts, so ``--video``, ``--screenshot`` and ``--tracing`` are honoured
here as the plugin does for its ``context``: kept per test under ``--output``
(``video.webm``, ``test-finished-N.png``; traces under the flow's folder, secrets masked).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, BrowserType, Error, Page

from flows.run.browser import HEADLESS_ARGS, ContextOpener, Retain, launch_options
from flows.run.live_server import answers, free_port, serve
from flows.run.personal import with_samples

START_TIMEOUT_S = 30.0
CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, Any, Any]:
    """Whether the test failed (its setup or its call), for what its teardown keeps."""
    report = yield
    if report.when == "call" or (report.when == "setup" and report.failed):
        item.stash[CALL_FAILED] = report.failed
    return report


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
def flow_trace(pytestconfig: pytest.Config) -> Retain:
    """Which flows keep a Playwright trace: pytest-playwright's ``--tracing`` (``on``:
    every flow, ``retain-on-failure``: a failed one). Off by default, as there: a failure
    always leaves its screenshots, diff pictures and a message naming the step."""
    return Retain.of(pytestconfig.getoption("--tracing"))


@pytest.fixture(scope="session")
def video(browser: Browser, pytestconfig: pytest.Config, tmp_path_factory) -> Retain:
    """``--video``, once the browser is known to record: where Playwright cannot (its
    ffmpeg is missing), the run stops at once saying so, rather than fail every test."""
    option = pytestconfig.getoption("--video")
    if option != "off" and (problem := video_problem(browser, tmp_path_factory.mktemp("v"))):
        pytest.exit(f"--video {option} cannot record here: {problem}",
                    returncode=pytest.ExitCode.USAGE_ERROR)
    return Retain.of(option)


@pytest.fixture
def flow_context(
    browser: Browser, video: Retain, pytestconfig: pytest.Config,
    request: pytest.FixtureRequest, output_path: str, tmp_path: Path,
) -> Iterator[ContextOpener]:
    """Opens the flows' contexts (``run_flow(open_context=...)``) as pytest-playwright's
    ``new_context`` does: recording a video with ``--video on|retain-on-failure``, taking a
    screenshot of each page as its context closes with ``--screenshot on|only-on-failure``,
    and keeping them under ``output_path`` once the test is over, as the options say."""
    screenshot = Retain.of(pytestconfig.getoption("--screenshot"))
    pages: list[Page] = []
    shots: list[Path] = []

    def open_context(**options: Any) -> BrowserContext:
        if video:
            options["record_video_dir"] = tmp_path / "videos"
        context = browser.new_context(**options)
        context.on("page", lambda page: pages.append(page))
        if screenshot:
            close = context.close

            def close_after_screenshots(**kwargs: Any) -> None:
                for page in context.pages:
                    shot = tmp_path / "screenshots" / f"{len(shots) + 1}.png"
                    try:
                        with_samples(page, partial(page.screenshot, path=shot, timeout=5000))
                    except Error:
                        continue  # a page that is gone has nothing to show
                    shots.append(shot)
                close(**kwargs)

            context.close = close_after_screenshots  # type: ignore[method-assign]
        return context

    yield open_context
    passed = not request.node.stash.get(CALL_FAILED, False)
    videos = [Path(page.video.path()) for page in pages if page.video is not None]
    if video.keeps(passed):
        names = ["video.webm"] if len(videos) == 1 else [f"video-{n}.webm" for n, _ in
                                                         enumerate(videos, 1)]
        keep(videos, names, Path(output_path))
    if screenshot.keeps(passed):
        keep(shots, [f"test-finished-{n}.png" for n, _ in enumerate(shots, 1)], Path(output_path))


def video_problem(browser: Browser, folder: Path) -> str | None:
    """Why ``browser`` cannot record a video (Playwright's ffmpeg is missing), or None."""
    context = browser.new_context(record_video_dir=folder)
    try:
        context.new_page()
    except Error as error:
        reason = str(error).strip().splitlines()[0].partition(": ")[2]
        return f"{reason} (run `playwright install ffmpeg`)" if "ffmpeg" in reason else reason
    finally:
        context.close()
    return None


def keep(files: list[Path], names: list[str], folder: Path) -> None:
    """Move ``files`` into ``folder`` under ``names`` (pytest-playwright's)."""
    for path, name in zip(files, names, strict=True):
        if path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            shutil.move(path, folder / name)


def devtools_answers(endpoint: str) -> bool:
    return answers(endpoint, "/json/version")


@pytest.fixture
def devtools_chromium(
    browser_type: BrowserType, tmp_path: Path
) -> Callable[..., AbstractContextManager[str]]:
    """Starts headless Chromiums of their own, each listening for DevTools on loopback
    only, with the documented flags unless ``flags`` says otherwise; each is polled until
    it answers (bounded) and always stopped (``flows.run.live_server.serve``).

    Profiles live in pytest's ``tmp_path``, which pytest clears in a later session:
    Chromium's helper processes may still be writing to them for a moment after the
    browser has stopped (removing one at once failed one run in twenty)."""
    options = launch_options(browser_type)
    executable = options.get("executable_path") or browser_type.executable_path

    @contextmanager
    def start(flags: Sequence[str] = HEADLESS_ARGS) -> Iterator[str]:
        port = free_port()
        command = [
            executable,
            *flags,
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
