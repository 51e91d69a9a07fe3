"""Races round after round, on SQLite and PostgreSQL, one worker process and two.

Each round starts a scenario of its own, lines the racing requests up on a
``threading.Barrier`` and sends them at once over fresh connections (with two workers the
kernel hands each to either process). Whatever the interleaving: every acknowledged
request's effect is in the database, exactly one of two rival actions happens, the order's
timeline tells one story, nobody gets a 500, no refund or coupon is given twice, and the
loser gets the answer a late request gets (409 from the API, the page's refusal for a
form).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from domain.wording import LAPSED_EVENT
from flowspec.contract.control import OrderState
from tests.reliability.test_races import cancel_call, seller_call
from tests.support.databases import DatabaseServer
from tests.support.forms import SUBMISSION, csrf_from, flashes
from tests.support.live_clients import all_at_once, client, control, same_browser, signed_in
from tests.support.storefront_process import StorefrontProcess, running_storefront

ROUNDS = 20
CLOCK_MOVES = 5
# The seller's window (``SELLER_RESPONSE_HOURS``): a request made at the scenario's start
# lapses when the clock has moved this far.
WINDOW_HOURS = 48
DECLINED_EVENT = "The seller declined the cancellation request."
ACCEPTED_EVENT = "The seller accepted the cancellation request."

pytestmark = pytest.mark.timeout(240)
# Every round starts a scenario of its own, far more a minute than one client may.
UNLIMITED_COPIES = {"SHOP_PRACTICE_COPIES_PER_MINUTE": "100000"}


@pytest.fixture(scope="module", params=[1, 2], ids=["one-worker", "two-workers"])
def shop(request: pytest.FixtureRequest, database_server: DatabaseServer,
         ) -> Iterator[StorefrontProcess]:
    """One storefront for the module's rounds: one worker process, then two."""
    with running_storefront(database_server, workers=request.param,
                            env=UNLIMITED_COPIES) as running:
        yield running


def api_call(shop: StorefrontProcess, path: str, body: dict):
    """A JSON POST to the control API on a connection of its own."""
    def call() -> httpx.Response:
        with client(shop.base_url) as http:
            return http.post(f"/api/scenarios/{path}", json=body)
    return call


def clock_call(shop: StorefrontProcess, token: str, hours: int):
    return api_call(shop, f"{token}/clock", {"hours": hours})


def seller_api_call(shop: StorefrontProcess, token: str, number: str, action: str):
    return api_call(shop, f"{token}/orders/{number}/seller", {"action": action})


def timeline(shop: StorefrontProcess, token: str, number: str) -> list[str]:
    """The order's timeline lines, oldest first, read from the database."""
    return [text for (text,) in shop.sql(
        "SELECT e.text FROM order_events e JOIN orders o ON o.id = e.order_id"
        " JOIN scenarios s ON s.id = o.scenario_id"
        " WHERE s.token = :token AND o.number = :number ORDER BY e.id",
        token=token, number=number)]


def no_server_error(*answers: httpx.Response) -> None:
    assert all(a.status_code < 500 for a in answers), [(a.status_code, a.text[:300])
                                                       for a in answers]


def requested(shop: StorefrontProcess) -> tuple[str, str]:
    """A fresh scenario whose order has a cancellation request waiting, its clock one hour
    short of the seller's deadline: (scenario token, order number)."""
    world = control(shop.base_url).start_scenario("awaiting-shipment")
    number = world.orders[0].number
    buyer, csrf = signed_in(shop.base_url, world.token, "buyer")
    try:
        assert cancel_call(buyer, number, csrf)().status_code == 303
    finally:
        buyer.close()
    control(shop.base_url).advance_clock(world.token, hours=WINDOW_HOURS - 1)
    return world.token, number


def settled_once(order: OrderState) -> None:
    """The whole order cancelled with exactly one refund of what was paid, coupons as they were."""
    assert order.status == "Closed"
    assert [r.amount_cents for r in order.refunds] == [order.paid_cents]


def test_simultaneous_clock_moves_are_all_counted(shop):
    for _ in range(ROUNDS):
        world = control(shop.base_url).start_scenario("awaiting-shipment")
        answers = all_at_once([clock_call(shop, world.token, 1) for _ in range(CLOCK_MOVES)])
        assert [a.status_code for a in answers] == [200] * CLOCK_MOVES, [a.text for a in answers]
        now = control(shop.base_url).scenario_state(world.token).now
        assert now - world.now == timedelta(hours=CLOCK_MOVES)


def test_a_decline_and_a_lapse_never_both_apply(shop):
    outcomes: Counter[str] = Counter()
    for _ in range(ROUNDS):
        token, number = requested(shop)

        decline, move = all_at_once([seller_api_call(shop, token, number, "decline"),
                                     clock_call(shop, token, 1)])

        no_server_error(decline, move)
        assert move.status_code == 200
        order = control(shop.base_url).scenario_state(token).orders[0]
        lines = timeline(shop, token, number)
        if decline.status_code == 200:
            assert move.json()["lapsed"] == []
            assert order.status == "Awaiting shipment"
            assert order.cancellation.status == "declined"
            assert order.refunds == []
            assert DECLINED_EVENT in lines and LAPSED_EVENT not in lines, lines
            outcomes["declined"] += 1
        else:
            assert decline.status_code == 409, decline.text
            assert "is now Closed" in decline.json()["detail"]  # the answer a late one gets
            assert move.json()["lapsed"] == [number]
            assert order.cancellation.status == "lapsed"
            settled_once(order)
            assert LAPSED_EVENT in lines and DECLINED_EVENT not in lines, lines
            outcomes["lapsed"] += 1
    assert sum(outcomes.values()) == ROUNDS, outcomes


def test_an_accept_and_a_lapse_settle_once(shop):
    """The seller's Accept button (the console form) against the clock: one refund, and the
    loser's page says the request is no longer waiting."""
    outcomes: Counter[str] = Counter()
    for _ in range(ROUNDS):
        token, number = requested(shop)
        seller, csrf = signed_in(shop.base_url, token, "seller")

        accept, move = all_at_once([seller_call(seller, number, "accept", csrf),
                                    clock_call(shop, token, 1)])
        seller.close()

        no_server_error(accept, move)
        assert accept.status_code == 200 and move.status_code == 200
        order = control(shop.base_url).scenario_state(token).orders[0]
        settled_once(order)
        lines = timeline(shop, token, number)
        if "flash-success" in accept.text:
            assert move.json()["lapsed"] == []
            assert order.cancellation.status == "accepted"
            assert ACCEPTED_EVENT in lines and LAPSED_EVENT not in lines, lines
            outcomes["accepted"] += 1
        else:
            assert "flash-error" in accept.text, flashes(accept.text)
            assert move.json()["lapsed"] == [number]
            assert order.cancellation.status == "lapsed"
            assert LAPSED_EVENT in lines and ACCEPTED_EVENT not in lines, lines
            outcomes["lapsed"] += 1
    assert sum(outcomes.values()) == ROUNDS, outcomes


def test_two_seller_answers_one_wins(shop):
    outcomes: Counter[str] = Counter()
    for _ in range(ROUNDS):
        token, number = requested(shop)

        accept, decline = all_at_once([seller_api_call(shop, token, number, "accept"),
                                       seller_api_call(shop, token, number, "decline")])

        no_server_error(accept, decline)
        assert sorted([accept.status_code, decline.status_code]) == [200, 409]
        order = control(shop.base_url).scenario_state(token).orders[0]
        lines = timeline(shop, token, number)
        loser = decline if accept.status_code == 200 else accept
        assert f"is now {order.status}" in loser.json()["detail"]
        if accept.status_code == 200:
            assert order.cancellation.status == "accepted"
            settled_once(order)
            assert DECLINED_EVENT not in lines, lines
            outcomes["accepted"] += 1
        else:
            assert order.cancellation.status == "declined"
            assert order.status == "Awaiting shipment" and order.refunds == []
            assert ACCEPTED_EVENT not in lines, lines
            outcomes["declined"] += 1
    assert sum(outcomes.values()) == ROUNDS, outcomes


@pytest.mark.parametrize("seller_action", ["ship", "cancel"])
def test_a_buyer_cancelling_while_the_seller_acts_ends_one_way(shop, seller_action):
    outcomes: Counter[str] = Counter()
    for _ in range(ROUNDS):
        world = control(shop.base_url).start_scenario("awaiting-shipment")
        number = world.orders[0].number
        buyer, buyer_csrf = signed_in(shop.base_url, world.token, "buyer")
        seller, seller_csrf = signed_in(shop.base_url, world.token, "seller")

        buyer_answer, seller_answer = all_at_once([
            cancel_call(buyer, number, buyer_csrf),
            seller_call(seller, number, seller_action, seller_csrf),
        ])
        buyer.close()
        seller.close()

        no_server_error(buyer_answer, seller_answer)
        order = control(shop.base_url).scenario_state(world.token).orders[0]
        buyer_won = buyer_answer.status_code == 303
        seller_won = "flash-success" in seller_answer.text
        assert buyer_won != seller_won, (buyer_answer.status_code, flashes(seller_answer.text))
        if buyer_won:
            assert order.status == "Awaiting cancellation"
            assert order.cancellation.status == "pending"
            assert order.refunds == []
            outcomes["buyer first"] += 1
        else:
            assert buyer_answer.status_code == 409
            if seller_action == "ship":
                assert order.status == "Awaiting delivery"
                assert order.refunds == []
            else:
                assert order.cancellation.status == "by_seller"
                settled_once(order)
            outcomes["seller first"] += 1
    assert sum(outcomes.values()) == ROUNDS, outcomes


def trainer_form(http: httpx.Client, page: str, **fields: str) -> dict[str, str]:
    """A form of the trainer page as a browser sends it: the page's tokens and ``fields``."""
    html = http.get(page).text
    key = SUBMISSION.search(html)
    assert key, f"{page} has no submission key"
    return {**fields, "csrf_token": csrf_from(html, page), "submission": key.group(1)}


def twice_at_once(shop: StorefrontProcess, path: str, form: dict[str, str],
                  browser: httpx.Client) -> list[httpx.Response]:
    """The same form sent twice in the same instant from one browser (two connections)."""
    tabs = [same_browser(shop.base_url, browser) for _ in range(2)]
    try:
        return all_at_once([lambda tab=tab: tab.post(path, data=form) for tab in tabs])
    finally:
        for tab in tabs:
            tab.close()


def test_one_trainer_form_sent_twice_at_once_acts_once(shop):
    """The clock form and the seller's reply form of the trainer page, and the form that
    starts a scenario: both submits get the first one's page, and it happened once."""
    for _ in range(ROUNDS):
        world = control(shop.base_url).start_scenario("awaiting-shipment")
        number = world.orders[0].number
        page = f"/trainer/{world.token}"
        with client(shop.base_url) as browser:
            clock_form = trainer_form(browser, page, hours="1")
            answers = twice_at_once(shop, f"{page}/clock", clock_form, browser)
            no_server_error(*answers)
            assert [a.status_code for a in answers] == [303, 303]
            state = control(shop.base_url).scenario_state(world.token)
            assert state.now - world.now == timedelta(hours=1)

            reply = trainer_form(browser, page, action="reply", message="Posting today.")
            answers = twice_at_once(shop, f"{page}/orders/{number}/seller", reply, browser)
            no_server_error(*answers)
            assert [a.status_code for a in answers] == [303, 303]
            messages = control(shop.base_url).scenario_state(world.token).orders[0].messages
            assert [m.body for m in messages] == ["Posting today."]

            start = trainer_form(browser, "/trainer", name="awaiting-shipment")
            answers = twice_at_once(shop, "/trainer/scenarios", start, browser)
            no_server_error(*answers)
            assert [a.status_code for a in answers] == [303, 303]
            first, second = (a.headers["location"] for a in answers)
            assert first == second  # one new scenario, shown to both
