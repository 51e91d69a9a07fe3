"""Remote browsers as a person names them: a bare ``host:port`` is read as the kind that
answers there, a wrong address is refused naming the flag it came from, and each
browser's health and share of the jobs are said (no browser is started here: a fake
DevTools endpoint answers ``/json/version``)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Error

from flows.chromium import BrowserSetupError
from flows.cli import main
from flows.run.browser import resolve
from flows.run.endpoints import EndpointPool, health, pool_summary
from flows.run.live_server import free_port
from flows.run.pool import plan, run_jobs
from flows.settings import FlowsSettings
from tests.flows.run_results import flow_result
from tests.flows.shop_pages import DEMO_FLOW
from tests.support.local_http import serve_in_thread

VERSION = "HeadlessChrome/156.0.0.0"


class DevTools(BaseHTTPRequestHandler):
    """What Chromium's DevTools endpoint says at ``/json/version``."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = json.dumps({"Browser": VERSION}).encode()
        self.send_response(200 if self.path == "/json/version" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def devtools() -> Iterator[str]:
    """``host:port`` of a fake DevTools endpoint."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), DevTools)
    thread = serve_in_thread(server)
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_bare_address_is_devtools_where_devtools_answers_else_a_playwright_server(devtools):
    nothing = f"127.0.0.1:{free_port()}"

    assert resolve(devtools, "--endpoint") == f"http://{devtools}"
    assert resolve(nothing, "--endpoint") == f"ws://{nothing}/"
    assert resolve("ws://grid:4444/se/cdp", "--endpoint") == "ws://grid:4444/se/cdp"


@pytest.mark.parametrize(("option", "env", "flag"), [
    ("ftp://browsers.example", "", "--endpoint"),
    (None, "ftp://browsers.example", "FLOWS_BROWSER_ENDPOINT"),
    ("browsers.example", "http://127.0.0.1:9222", "--endpoint"),
])
def test_a_wrong_address_is_refused_naming_the_flag_it_came_from(option, env, flag):
    with pytest.raises(BrowserSetupError) as raised:
        EndpointPool(option, FlowsSettings(browser_endpoint=env), print)

    address = option or env
    assert str(raised.value) == (
        f"{flag}: {address} is not a browser address: give ws://host:port/ (a Playwright"
        " server), http://host:port (Chromium's DevTools) or host:port"
    )


def test_the_command_names_the_flag_that_was_used(shop):
    out = io.StringIO()
    status = main(["run", "--base-url", shop.url, "--endpoint", "browsers.example"],
                  flows={"demo": DEMO_FLOW}, out=out, settings=FlowsSettings())

    assert status == 2
    assert out.getvalue().splitlines()[-1].startswith(
        "error: --endpoint: browsers.example is not a browser address")


def test_health_says_what_answers_and_why_one_does_not(devtools):
    dead = f"127.0.0.1:{free_port()}"

    assert health(f"http://{devtools}").line("at the start") == (
        f"Browser http://{devtools} at the start: up ({VERSION})")
    assert health(f"ws://{dead}/").line("at the end") == (
        f"Browser ws://{dead}/ at the end: DOWN (nothing listens: Connection refused)")
    assert not health(f"http://{dead}").up


def test_a_browser_that_failed_is_reported_with_who_took_its_jobs_and_its_whole_error():
    failures: dict[str, str] = {}

    @contextmanager
    def unreachable():
        raise Error("connect ECONNREFUSED 127.0.0.1:9\nCall log:\n  - <ws connecting>")
        yield

    @contextmanager
    def reachable():
        yield None

    runs = run_jobs(
        plan([DEMO_FLOW], ("desktop", "phone")),
        [("ws://a/", unreachable), ("ws://b/", reachable)],
        lambda session, job, attempt: flow_result(job.flow.id, job.device, ["passed"]),
        on_browser_error=lambda name, error: failures.update({name: str(error)}),
    )

    assert {run.endpoint for run in runs} == {"ws://b/"}
    assert pool_summary(["ws://a/", "ws://b/"], {"ws://b/": 2}, failures) == [
        "warning: the browser at ws://a/ failed after 0 job(s); the other jobs ran on ws://b/."
        " Its error:\nconnect ECONNREFUSED 127.0.0.1:9\nCall log:\n  - <ws connecting>",
        "Browser ws://b/: ran 2 job(s)",
    ]
