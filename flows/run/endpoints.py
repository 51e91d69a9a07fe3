"""Remote browsers for a run: their addresses read as the person wrote them, each one's
health said at the start and at the end, and a hint when one will draw pictures unlike
the baselines' browser.

An address is Chromium's DevTools (``http://host:port``) or a Playwright server
(``ws://host:port/``); a bare ``host:port`` is whichever of the two answers there.
"""

from __future__ import annotations

import re
import socket
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Error

from flows.chromium import BrowserSetupError, find_chromium
from flows.run.browser import (
    DEVTOOLS_VERSION,
    HEADLESS_ARGS,
    LAUNCH_ARGS,
    Session,
    devtools_version,
    open_session,
    resolve,
)
from flows.run.pool import JobRun
from flows.settings import FlowsSettings
from flowspec.contract import BrowserUse

# Wider than the viewport, so a browser that draws scrollbars narrows the page by theirs.
SCROLLBAR_PROBE = "<body style='margin:0'><div style='width:1px;height:5000px'></div></body>"
SCROLLBAR_WIDTH = "() => window.innerWidth - document.documentElement.clientWidth"
VERSION = re.compile(r"(\d+)\.\d+\.\d+\.\d+")
# The flags the pool's browsers must be started with (docs/browser-pool.md).
DOCUMENTED_FLAGS = tuple(flag.split("=")[0] for flag in (*HEADLESS_ARGS, *LAUNCH_ARGS))


@dataclass(frozen=True)
class Health:
    """Whether an endpoint answers, and what it says it is (or why it does not answer)."""

    endpoint: str
    up: bool
    detail: str

    def line(self, when: str) -> str:
        state = "up" if self.up else "DOWN"
        return f"Browser {self.endpoint} {when}: {state} ({self.detail})"


def listens(host: str, port: int, timeout_s: float = 2.0) -> str | None:
    """None when something accepts a connection at ``host:port``, else why not."""
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return None
    except OSError as error:
        return error.strerror or type(error).__name__


def health(endpoint: str) -> Health:
    """Whether ``endpoint`` answers now: DevTools' version, or a Playwright server's port."""
    if endpoint.startswith(("http://", "https://")):
        version = devtools_version(endpoint)
        if version is not None:
            return Health(endpoint, True, version or "DevTools")
        return Health(endpoint, False, f"no DevTools answer at {endpoint}{DEVTOOLS_VERSION}")
    parts = urlsplit(endpoint)
    default = 443 if parts.scheme == "wss" else 80
    problem = listens(parts.hostname or "", parts.port or default)
    if problem is None:
        return Health(endpoint, True, "Playwright server listening")
    return Health(endpoint, False, f"nothing listens: {problem}")


def command_line(browser: Browser) -> list[str] | None:
    """The remote browser's command line when it tells (Chromium does so only when it was
    started for automation); None when it does not."""
    try:
        session = browser.new_browser_cdp_session()
        try:
            answer = session.send("Browser.getBrowserCommandLine")
        finally:
            session.detach()
    except Error:
        return None
    return [str(argument) for argument in answer.get("arguments", [])]


def scrollbar_width(browser: Browser) -> int:
    """How many pixels of a 1280-wide page the browser's scrollbar takes (0: hidden)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.set_content(SCROLLBAR_PROBE)
        return int(page.evaluate(SCROLLBAR_WIDTH))
    finally:
        context.close()


def local_version(settings: FlowsSettings) -> str | None:
    """The version of the Chromium this machine would launch (the one that records the
    baselines here), when there is one."""
    try:
        executable = find_chromium(settings.executables(), None)
        if executable is None:
            return None
        shown = subprocess.run([executable, "--version"], capture_output=True, text=True,
                               timeout=10, check=False).stdout
    except (BrowserSetupError, OSError, subprocess.TimeoutExpired):
        return None
    found = VERSION.search(shown)
    return found.group(0) if found else None


def picture_hints(browser: Browser, endpoint: str, local: str | None = None) -> list[str]:
    """Why the pictures of a run on this browser will differ from the baselines, if they
    will: another major version than ``local``'s, scrollbars drawn, documented flags
    missing. Empty when nothing is seen."""
    hints = []
    remote, here = VERSION.search(browser.version), VERSION.search(local or "")
    if remote and here and remote.group(1) != here.group(1):
        hints.append(
            f"the browser at {endpoint} is Chromium {remote.group(0)}, this machine's is {local}:"
            " another version draws text and borders a little differently, so pictures may"
            " differ from the baselines"
        )
    width = scrollbar_width(browser)
    if width:
        hints.append(
            f"the browser at {endpoint} draws a {width} px scrollbar, so every picture of a"
            " scrolled page will differ: start it with --hide-scrollbars and the other flags"
            " of docs/browser-pool.md"
        )
    arguments = command_line(browser)
    if arguments is not None:
        given = {argument.split("=")[0] for argument in arguments}
        missing = [flag for flag in DOCUMENTED_FLAGS if flag not in given]
        if missing:
            hints.append(
                f"the browser at {endpoint} was started without {' '.join(missing)}; its"
                " pictures may differ from the baselines (docs/browser-pool.md)"
            )
    return hints


@contextmanager
def checked_session(
    settings: FlowsSettings, endpoint: str, note: Callable[[str], None]
) -> Iterator[Session]:
    """A session on the browser at ``endpoint``, its version and any picture hint noted
    once it is connected."""
    with open_session(settings, endpoint=endpoint) as session:
        note(f"Browser {endpoint}: connected, version {session.browser.version}")
        for hint in picture_hints(session.browser, endpoint, local_version(settings)):
            note(f"warning: {hint}")
        yield session


def endpoint_sources(
    endpoints: Sequence[str], settings: FlowsSettings, note: Callable[[str], None]
) -> list[tuple[str, Callable[[], AbstractContextManager[Session]]]]:
    """One browser source per endpoint, each checked when it connects."""
    return [(endpoint, partial(checked_session, settings, endpoint, note)) for endpoint in endpoints]


def health_lines(endpoints: Sequence[str], when: str) -> list[str]:
    """One line per endpoint: up (and what it is) or down (and why)."""
    return [health(endpoint).line(when) for endpoint in endpoints]


def pool_summary(
    endpoints: Sequence[str], took: dict[str, int], failures: dict[str, str]
) -> list[str]:
    """What each browser did: how many jobs it ran, or how it failed and who ran its
    jobs instead. ``took``: jobs run by endpoint; ``failures``: the error by endpoint."""
    lines = []
    runners = [endpoint for endpoint in endpoints if took.get(endpoint)]
    for endpoint in endpoints:
        if endpoint in failures:
            others = ", ".join(e for e in runners if e != endpoint) or "no other browser"
            ran = took.get(endpoint, 0)
            lines.append(
                f"warning: the browser at {endpoint} failed after {ran} job(s); the other jobs"
                f" ran on {others}. Its error:\n{failures[endpoint]}"
            )
        else:
            lines.append(f"Browser {endpoint}: ran {took.get(endpoint, 0)} job(s)")
    return lines


class EndpointPool:
    """The remote browsers of one run: resolved, checked at the start and at the end, and
    summed up (which ran what, which failed and who took its jobs)."""

    def __init__(
        self, option: str | None, settings: FlowsSettings, note: Callable[[str], None]
    ) -> None:
        flag = "--endpoint" if option is not None else "FLOWS_BROWSER_ENDPOINT"
        self.settings, self.note = settings, note
        self.endpoints = [resolve(address, flag) for address in settings.endpoints(option)]
        self.failures: dict[str, str] = {}
        self.took: dict[str, int] = {}

    def counted(self, on_job: Callable[[JobRun], None]) -> Callable[[JobRun], None]:
        """``on_job``, counting first which browser ran the job."""

        def count(job_run: JobRun) -> None:
            self.took[job_run.endpoint] = self.took.get(job_run.endpoint, 0) + 1
            on_job(job_run)

        return count

    def sources(self) -> list[tuple[str, Callable[[], AbstractContextManager[Session]]]]:
        """The browsers, each noting its health line first and its version once connected."""
        for line in health_lines(self.endpoints, "at the start"):
            self.note(line)
        return endpoint_sources(self.endpoints, self.settings, self.note)

    def browser_failed(self, endpoint: str, error: BaseException) -> None:
        self.failures[endpoint] = str(error).strip() or type(error).__name__

    def uses(self) -> tuple[BrowserUse, ...]:
        """What each browser did, for the run's report."""
        return tuple(
            BrowserUse(endpoint=endpoint, jobs=self.took.get(endpoint, 0),
                       error=self.failures.get(endpoint))
            for endpoint in self.endpoints
        )

    def finish(self) -> None:
        """Note each browser's health at the end and what it did (none without endpoints)."""
        for line in health_lines(self.endpoints, "at the end"):
            self.note(line)
        for line in pool_summary(self.endpoints, self.took, self.failures):
            self.note(line)
