"""Races against a real server: requests lined up with a barrier, sent at once.

A double-clicking buyer, twenty tabs, a buyer and a seller pressing their buttons in
the same instant: whatever the interleaving, one thing happens, once. The storefront
serialises writers (SQLite ``BEGIN IMMEDIATE``), and each request re-reads the order
inside its own transaction; these tests hold it to that over real sockets.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.support.live_clients import control, same_browser, signed_in

SUBMITS = 20
ROUNDS = 8


def all_at_once(calls: list) -> list[httpx.Response]:
    """Run every call in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=60)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def cancel_call(http: httpx.Client, number: str, token: str):
    return lambda: http.post(f"/orders/{number}/cancel",
                             data={"reason": "changed_mind", "csrf_token": token})


def seller_call(http: httpx.Client, number: str, action: str, token: str):
    """The seller's button; the answer is the page it leads to, with its flash message."""
    return lambda: http.post(f"/seller/orders/{number}/actions",
                             data={"action": action, "csrf_token": token},
                             follow_redirects=True)


@pytest.mark.parametrize(("scenario", "cancellation", "status"), [
    ("platform-coupon", "immediate", "Closed"),
    ("awaiting-shipment", "pending", "Awaiting cancellation"),
])
def test_twenty_simultaneous_cancel_submits_make_exactly_one_cancellation(
        storefront, shared_storefront, scenario, cancellation, status):
    shop = control(storefront)
    world = shop.start_scenario(scenario)
    before = shop.scenario_state(world.token).orders[0]
    number = world.orders[0].number
    buyer, csrf = signed_in(storefront, world.token, "buyer")
    tabs = [same_browser(storefront, buyer) for _ in range(SUBMITS)]

    answers = all_at_once([cancel_call(tab, number, csrf) for tab in tabs])

    codes = Counter(response.status_code for response in answers)
    assert codes[303] == 1, codes
    assert codes[409] == SUBMITS - 1, codes  # "this order can no longer be cancelled"
    after = control(storefront).scenario_state(world.token).orders[0]
    assert after.status == status
    assert after.cancellation.status == cancellation
    order_id = shared_storefront.sql(
        "SELECT o.id FROM orders o JOIN scenarios s ON s.id = o.scenario_id"
        " WHERE s.token = :token AND o.number = :number", token=world.token, number=number)[0][0]
    [(cancellations,)] = shared_storefront.sql(
        "SELECT count(*) FROM cancellations WHERE order_id = :id", id=order_id)
    assert cancellations == 1
    refunds = after.refunds
    if cancellation == "immediate":
        assert [r.amount_cents for r in refunds] == [before.paid_cents]
        assert [c.wallet_status for c in after.coupons] == ["Returned"]
        [(refund_lines,)] = shared_storefront.sql(
            "SELECT count(*) FROM order_events WHERE order_id = :id AND text LIKE 'Refund of%'",
            id=order_id)
        assert refund_lines == 1
    else:
        assert refunds == []
    # the coupon rows are the ones the order had: none made, none returned twice
    assert len(after.coupons) == len(before.coupons)
    for tab in [buyer, *tabs]:
        tab.close()


def test_twenty_simultaneous_seller_accepts_start_one_refund(storefront):
    world = control(storefront).start_scenario("awaiting-shipment")
    number = world.orders[0].number
    buyer, csrf = signed_in(storefront, world.token, "buyer")
    assert cancel_call(buyer, number, csrf)().status_code == 303
    seller, seller_csrf = signed_in(storefront, world.token, "seller")
    tabs = [same_browser(storefront, seller) for _ in range(SUBMITS)]

    answers = all_at_once([seller_call(tab, number, "accept", seller_csrf) for tab in tabs])
    accepted = [a for a in answers if "flash-success" in a.text]
    assert len(accepted) == 1, [a.status_code for a in answers]

    order = control(storefront).scenario_state(world.token).orders[0]
    assert order.status == "Closed"
    assert order.cancellation.status == "accepted"
    assert len(order.refunds) == 1
    assert order.refunds[0].amount_cents == order.paid_cents
    for tab in [buyer, seller, *tabs]:
        tab.close()


@pytest.mark.parametrize("seller_action", ["ship", "cancel"])
def test_a_buyer_cancelling_while_the_seller_acts_ends_exactly_one_way(
        storefront, seller_action):
    """Round after round on fresh scenarios: the buyer presses Cancel order as the seller
    presses Mark as shipped (or Cancel order): one wins, the other is refused."""
    outcomes = Counter()
    for _ in range(ROUNDS):
        world = control(storefront).start_scenario("awaiting-shipment")
        number = world.orders[0].number
        buyer, buyer_csrf = signed_in(storefront, world.token, "buyer")
        seller, seller_csrf = signed_in(storefront, world.token, "seller")

        buyer_answer, seller_answer = all_at_once([
            cancel_call(buyer, number, buyer_csrf),
            seller_call(seller, number, seller_action, seller_csrf),
        ])

        order = control(storefront).scenario_state(world.token).orders[0]
        buyer_won = buyer_answer.status_code == 303
        seller_won = seller_answer.status_code == 200 and "flash-success" in seller_answer.text
        assert buyer_won != seller_won, (buyer_answer.status_code, seller_answer.text[:200])
        if buyer_won:
            assert buyer_answer.status_code == 303
            assert order.status == "Awaiting cancellation"
            assert order.cancellation.status == "pending"
            assert order.refunds == []
            assert "flash-error" in seller_answer.text
            outcomes["buyer first"] += 1
        else:
            assert buyer_answer.status_code == 409
            assert order.cancellation is None or order.cancellation.status == "by_seller"
            if seller_action == "ship":
                assert order.status == "Awaiting delivery"
                assert order.refunds == []
            else:
                assert order.status == "Closed"
                assert [r.amount_cents for r in order.refunds] == [order.paid_cents]
            outcomes["seller first"] += 1
        buyer.close()
        seller.close()
    print(f"\n{seller_action}: {dict(outcomes)}")
    assert sum(outcomes.values()) == ROUNDS
