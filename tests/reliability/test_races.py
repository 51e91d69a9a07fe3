"""Races against a real server: requests lined up with a barrier, sent at once.

A double-clicking buyer, twenty tabs, a buyer and a seller pressing their buttons in
the same instant: whatever the interleaving, one thing happens, once. The storefront
serialises writers (SQLite ``BEGIN IMMEDIATE``; on PostgreSQL row locks on the scenario,
then the order), and each request re-reads the order once it holds it; these tests hold
it to that over real sockets. Rivals of different kinds (buyer against seller, seller
against the clock) race round after round in ``test_race_rounds.py``.
"""

from __future__ import annotations

from collections import Counter

import httpx
import pytest

from tests.support.live_clients import all_at_once, control, same_browser, signed_in

SUBMITS = 20


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
