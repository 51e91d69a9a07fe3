"""Two worker processes (``python -m mock_site --workers 2``), one storefront: whichever
process answers, the session, the form token, the sign-in throttle, the simulated clock
and the pages are the same.

Each request goes on a new connection, so the kernel hands it to either worker; the test
reads which one answered from /proc and repeats a check until both have answered it.
Wrong passwords, which count towards the sign-in limit, are not left to chance: a form
loaded from the worker the first one reached is loaded again until the other serves it.
The workers start on an empty instance folder, so they also race to make its secret key:
a cookie or form token signed by one and refused by the other would show they lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

import httpx
import pytest

from flowspec.contract.control import StartedScenario
from mock_site.web.throttle import PER_ACCOUNT
from tests.support.databases import DatabaseServer
from tests.support.forms import csrf_from
from tests.support.live_clients import client, control
from tests.support.page_text import status_on
from tests.support.storefront_process import (
    StorefrontProcess,
    child_pids,
    running_storefront,
    serving_pid,
)

WORKERS = 2
# Enough tries that both workers answer: the kernel gave each 8 to 12 of 20 connections.
MAX_TRIES = 40


@dataclass
class Browser:
    """A browser that opens a new connection for every request and keeps its cookies."""

    shop: StorefrontProcess
    cookies: httpx.Cookies = field(default_factory=httpx.Cookies)

    def send(self, method: str, path: str, **options) -> tuple[httpx.Response, int]:
        """The answer, and the process id of the worker that gave it."""
        with client(self.shop.base_url, cookies=self.cookies) as http:
            response = http.request(method, path, follow_redirects=False, **options)
            self.cookies.update(http.cookies)
            return response, self.worker_of(response)[1]

    def sign_in_form(self, data: Callable[[str], dict], *, not_on: int | None = None,
                     ) -> tuple[httpx.Response, int]:
        """Load the sign-in form and send it, filled in by ``data(page)``, on the same
        connection (one worker answers both). With ``not_on``, a form served by that worker
        is left unsent and loaded again on a new connection until the other serves it:
        loading a form is free, while each sign-in counts towards the limit."""
        for _ in range(MAX_TRIES):
            with client(self.shop.base_url, cookies=self.cookies) as http:
                form = http.get("/login")
                self.cookies.update(http.cookies)
                connection, worker = self.worker_of(form)
                if worker == not_on:
                    continue
                sent = http.post("/login", data=data(form.text), follow_redirects=False)
                self.cookies.update(http.cookies)
                assert self.worker_of(sent)[0] == connection, "the form went back on another connection"
                return sent, worker
        pytest.fail(f"{MAX_TRIES} connections, all answered by {not_on}: the other worker never was")

    def worker_of(self, response: httpx.Response) -> tuple[int, int]:
        """The client port of the connection ``response`` came on, and the process id of
        the worker holding its other end (asked while the connection is open)."""
        _, client_port = response.extensions["network_stream"].get_extra_info("client_addr")
        port = int(self.shop.base_url.rsplit(":", 1)[1])
        worker = serving_pid(child_pids(self.shop.process.pid), port, client_port)
        assert worker is not None, "no worker holds the connection"
        return client_port, worker


def on_every_worker(check: Callable[[], int]) -> None:
    """Run ``check`` (it asserts, and returns the worker that answered) until every worker
    has passed it."""
    passed = set()
    for _ in range(MAX_TRIES):
        passed.add(check())
        if len(passed) == WORKERS:
            return
    pytest.fail(f"{MAX_TRIES} connections, all answered by {passed}: the other worker never was")


@pytest.fixture(scope="module")
def two_workers(database_server: DatabaseServer, tmp_path_factory) -> Iterator[StorefrontProcess]:
    instance = tmp_path_factory.mktemp("instance")  # empty: the workers make the key
    env = {"SHOP_INSTANCE_PATH": str(instance)}
    with running_storefront(database_server, workers=WORKERS, env=env) as shop:
        yield shop


@pytest.fixture
def world(two_workers) -> StartedScenario:
    return control(two_workers.base_url).start_scenario("awaiting-shipment")


def test_a_session_and_its_form_token_hold_on_either_worker(two_workers, world):
    browser = Browser(two_workers)

    def signs_in_across_workers() -> None:
        """The form comes from one worker and is posted to the other."""
        for _ in range(MAX_TRIES):
            browser.cookies.clear()
            form, form_worker = browser.send("GET", "/login")
            signed_in, worker = browser.send("POST", "/login", data={
                "email": world.buyer_email, "password": world.buyer_password,
                "csrf_token": csrf_from(form.text)})
            assert signed_in.status_code == 303, signed_in.text
            if worker != form_worker:
                return
        pytest.fail("every sign-in landed on the worker that gave the form")

    signs_in_across_workers()
    number = world.orders[0].number

    def shows_the_buyers_order() -> int:
        page, worker = browser.send("GET", "/orders")
        assert page.status_code == 200 and number in page.text, page.status_code
        return worker

    on_every_worker(shows_the_buyers_order)

    def refuses_a_forged_token() -> int:
        forged, worker = browser.send("POST", "/logout", data={"csrf_token": "forged"})
        assert forged.status_code == 403, forged.status_code
        return worker

    on_every_worker(refuses_a_forged_token)
    on_every_worker(shows_the_buyers_order)  # the forged posts signed nobody out


def test_the_sign_in_limit_holds_whichever_worker_answers(two_workers, world):
    browser = Browser(two_workers)
    answered_by: list[int] = []
    for attempt in range(PER_ACCOUNT.amount):
        # The second attempt goes to the worker the first did not reach, so the attempts
        # counted against the limit come from both.
        wrong, worker = browser.sign_in_form(lambda page: {
            "email": world.buyer_email, "password": "wrong", "csrf_token": csrf_from(page)},
            not_on=answered_by[0] if attempt == 1 else None)
        assert wrong.status_code == 400, wrong.status_code
        answered_by.append(worker)
    assert len(set(answered_by)) == WORKERS, "the wrong passwords should reach both workers"

    def refuses_even_the_right_password() -> int:
        form, _ = browser.send("GET", "/login")
        refused, worker = browser.send("POST", "/login", data={
            "email": world.buyer_email, "password": world.buyer_password,
            "csrf_token": csrf_from(form.text)})
        assert refused.status_code == 429, refused.status_code
        assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
        return worker

    on_every_worker(refuses_even_the_right_password)


def test_every_worker_shows_the_clock_where_it_was_moved(two_workers, world):
    browser = Browser(two_workers)
    token = world.token
    moved, _ = browser.send("POST", f"/api/scenarios/{token}/clock", json={"days": 3})
    assert moved.status_code == 200, moved.text
    assert datetime.fromisoformat(moved.json()["now"]) != world.now

    def shows_the_moved_clock() -> int:
        state, worker = browser.send("GET", f"/api/scenarios/{token}")
        assert state.json()["now"] == moved.json()["now"]
        return worker

    on_every_worker(shows_the_moved_clock)


def signed_in_buyer(shop: StorefrontProcess, token: str) -> Browser:
    """A browser signed in as the scenario's buyer through a one-time link."""
    browser = Browser(shop)
    link, _ = browser.send("POST", f"/api/scenarios/{token}/sign-in-links", json={"role": "buyer"})
    landing, _ = browser.send("GET", link.json()["url"])
    assert landing.status_code == 303, landing.status_code
    return browser


def shows_status(browser: Browser, page: str, status: str) -> Callable[[], int]:
    def check() -> int:
        answer, worker = browser.send("GET", page)
        assert answer.status_code == 200, answer.status_code
        assert status_on(answer.text) == status
        return worker

    return check


def test_a_change_through_one_worker_is_seen_through_the_other(two_workers, world):
    browser = signed_in_buyer(two_workers, world.token)
    number = world.orders[0].number
    page = f"/orders/{number}"
    on_every_worker(shows_status(browser, page, "Awaiting shipment"))

    shipped, _ = browser.send("POST", f"/api/scenarios/{world.token}/orders/{number}/seller",
                              json={"action": "ship"})

    assert shipped.status_code == 200, shipped.text
    on_every_worker(shows_status(browser, page, "Awaiting delivery"))


def test_signing_out_through_one_worker_ends_the_session_on_both(two_workers, world):
    browser = signed_in_buyer(two_workers, world.token)
    page = f"/orders/{world.orders[0].number}"
    on_every_worker(shows_status(browser, page, "Awaiting shipment"))
    copy = Browser(two_workers, httpx.Cookies(browser.cookies))
    form, _ = browser.send("GET", page)

    signed_out, _ = browser.send("POST", "/logout", data={"csrf_token": csrf_from(form.text)})

    assert signed_out.status_code == 303

    def sends_the_copy_to_sign_in() -> int:
        answer, worker = copy.send("GET", page)
        assert answer.status_code == 303, answer.status_code
        return worker

    on_every_worker(sends_the_copy_to_sign_in)
