"""The storefront's operations against a real SQLite database, one transaction each."""

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from domain.cancellation import ROUTE_EXPLANATIONS, CancelRoute
from domain.coupons import KEPT_EXPIRED, KEPT_PARTIAL, RETURNED
from domain.lifecycle import Role
from domain.payments import PaymentMethod
from domain.scenarios import BUYER_PASSWORD, SELLER_PASSWORD, UnknownScenario, scenario_catalogue
from domain.statuses import OrderStatus, check_move
from mock_site import services
from mock_site.core.db import Database
from mock_site.core.models import Base, Cancellation, Coupon, Refund
from mock_site.services.accounts import authenticate
from mock_site.services.clock import advance_clock
from mock_site.services.control import order_state, scenario_state
from mock_site.services.orders import buyer_order, cancel_order, list_orders, send_message
from mock_site.services.scenarios import create_scenario
from mock_site.services.seller import (
    seller_answer,
    seller_cancel,
    seller_mark_shipped,
    seller_order,
)
from mock_site.services.wallet import coupon_wallet_status, wallet
from tests.support.order_numbers import HISTORY_ORDER, order_number
from tests.support.worlds import World, create_world

WINDOW = 48
# The refund-methods scenario's three orders, one per payment method.
BANK, PAYPAL, BALANCE = (
    order_number("refund-methods", paid_by=method)
    for method in (PaymentMethod.BANK_CARD, PaymentMethod.PAYPAL, PaymentMethod.PLATFORM_BALANCE)
)
MAX_LENGTH = 1000
START = datetime(2026, 3, 2, 9, 0)

PBV = "Payment being verified"
HISTORY = (HISTORY_ORDER, "Completed", "paypal", 1)


# --- helpers: one service call, one transaction -------------------------------------------

def cancel(db, world, items=None, reason="changed_mind", number=None, window=WINDOW):
    with db.transaction() as s:
        number = number or world.numbers[0]
        return cancel_order(s, world.buyer(s), number, reason, items, window).id


def answer(db, world, accept, number=None):
    with db.transaction() as s:
        seller_answer(s, world.seller(s), number or world.numbers[0], accept)


def seller_cancels(db, world, number=None):
    with db.transaction() as s:
        seller_cancel(s, world.seller(s), number or world.numbers[0])


def ship(db, world, number=None):
    with db.transaction() as s:
        seller_mark_shipped(s, world.seller(s), number or world.numbers[0])


def message(db, world, body, sender="buyer", number=None, max_length=MAX_LENGTH):
    with db.transaction() as s:
        if sender == "buyer":
            order = world.order(s, number)
        else:
            order = seller_order(s, world.seller(s), number or world.numbers[0])
        send_message(s, order, sender, body, max_length)


def advance(db, world, **delta) -> list[str]:
    with db.transaction() as s:
        lapsed = advance_clock(s, world.scenario(s), timedelta(**delta))
        return [order.number for order in lapsed]


def state(db, world, number=None) -> dict:
    """What the API shows of one order now."""
    with db.transaction() as s:
        return order_state(world.order(s, number), world.scenario(s).now)


def world_state(db, world) -> dict:
    """Everything about a world, to check that a refused action changed nothing."""
    with db.transaction() as s:
        buyer = world.buyer(s)
        now = world.scenario(s).now
        return {
            **scenario_state(s, world.scenario(s)),
            "wallet": [
                (c.code, coupon_wallet_status(c, now), c.returned_at, c.decision_note)
                for c in wallet(s, buyer)
            ],
            "cancellations": s.scalar(
                select(func.count(Cancellation.id)).where(
                    Cancellation.order_id.in_([o.id for o in list_orders(s, buyer)])
                )
            ),
        }


def item_ids(db, world, number=None) -> list[int]:
    return [item["id"] for item in state(db, world, number)["items"]]


def refund_rows(db, world, number=None) -> list[Refund]:
    with db.transaction() as s:
        return list(world.order(s, number).refunds)


def cancellations(db, world, number=None) -> list[Cancellation]:
    with db.transaction() as s:
        return list(world.order(s, number).cancellations)


def wallet_of(db, world) -> dict[str, tuple[str, str | None]]:
    """Each coupon's code -> (wallet status, decision note)."""
    with db.transaction() as s:
        now = world.scenario(s).now
        return {
            c.code: (coupon_wallet_status(c, now), c.decision_note)
            for c in wallet(s, world.buyer(s))
        }


# --- scenarios --------------------------------------------------------------------------

PROMISED_ORDERS = {
    "payment-being-verified": {(order_number("payment-being-verified"), PBV, "bank_card", 1),
                               HISTORY},
    "awaiting-shipment": {(order_number("awaiting-shipment"), "Awaiting shipment", "paypal", 1),
                          HISTORY},
    "marked-shipped": {(order_number("marked-shipped"), "Awaiting delivery", "bank_card", 1),
                       HISTORY},
    "refund-methods": {
        (BANK, PBV, "bank_card", 1),
        (PAYPAL, PBV, "paypal", 1),
        (BALANCE, PBV, "platform_balance", 1),
    },
    "platform-coupon": {(order_number("platform-coupon"), PBV, "bank_card", 2)},
    "store-coupon": {(order_number("store-coupon"), PBV, "paypal", 3)},
    "store-coupon-expired": {(order_number("store-coupon-expired"), PBV, "bank_card", 1)},
}
PROMISED_ORDERS["showcase"] = set().union(*PROMISED_ORDERS.values())

PROMISED_COUPONS = {
    "payment-being-verified": {"MKT-WELCOME-3": ("Available", None)},
    "awaiting-shipment": {},
    "marked-shipped": {},
    "refund-methods": {},
    "platform-coupon": {"MKT-SPRING-5": ("Used", None), "MKT-WELCOME-3": ("Available", None)},
    "store-coupon": {"BRIGHT-6OFF": ("Used", None)},
    "store-coupon-expired": {"BRIGHT-4OFF": ("Used", None)},
    "showcase": {
        "MKT-SPRING-5": ("Used", None),
        "BRIGHT-6OFF": ("Used", None),
        "BRIGHT-4OFF": ("Used", None),
        "MKT-WELCOME-3": ("Available", None),
    },
}


@pytest.mark.parametrize("name", sorted(PROMISED_ORDERS))
def test_scenario_creates_the_orders_it_promises(db, make_world, name):
    # Given a fresh copy of the named scenario
    world = make_world(name)
    # when its state is read
    with db.transaction() as s:
        got = scenario_state(s, world.scenario(s))
    # then it has exactly the promised orders, on the scenario clock's start
    orders = {(o["number"], o["status"], o["payment_method"], len(o["items"]))
              for o in got["orders"]}
    assert orders == PROMISED_ORDERS[name]
    assert got["now"] == START.isoformat()
    assert wallet_of(db, world) == PROMISED_COUPONS[name]


def test_every_scenario_is_listed_in_the_catalogue():
    names = [entry["name"] for entry in scenario_catalogue()]
    assert sorted(names) == sorted(PROMISED_ORDERS)
    assert all(entry["title"] and entry["description"] for entry in scenario_catalogue())


def test_marked_shipped_order_was_shipped_a_day_after_it_was_placed(db, make_world):
    world = make_world("marked-shipped")
    with db.transaction() as s:
        order = world.order(s)
        assert order.shipped_at == order.placed_at + timedelta(days=1)
        assert order.shipped_at < world.scenario(s).now


def fingerprint(db: Database, world: World) -> list:
    """What a page shows of a world's orders: everything except row ids."""
    with db.transaction() as s:
        return [
            (
                o.number, o.status, o.placed_at, o.shipped_at, o.payment_method,
                [(i.title, i.unit_price_cents, i.quantity, i.paid_cents) for i in o.items],
                [(c.code, c.discount_cents, c.expires_at) for c in o.coupons],
                [(e.at, e.text) for e in o.events],
            )
            for o in list_orders(s, world.buyer(s))
        ]


@pytest.mark.parametrize("name", ["store-coupon", "showcase"])
def test_two_copies_of_a_scenario_differ_only_in_sign_in_and_token(db, make_world, name):
    # Given two copies of the same scenario
    first, second = make_world(name), make_world(name)
    # then what they show is identical
    assert fingerprint(db, first) == fingerprint(db, second)
    # but they can be told apart
    assert first.token != second.token
    assert first.buyer_email != second.buyer_email
    assert first.seller_email != second.seller_email
    assert first.token in first.buyer_email


def test_unknown_scenario_lists_the_known_ones(db):
    with db.transaction() as s, pytest.raises(UnknownScenario) as error:
        create_scenario(s, "cancel-everything")
    message = error.value.args[0]
    assert message.startswith("Unknown scenario 'cancel-everything'; known scenarios: ")
    for name in PROMISED_ORDERS:
        assert name in message


def test_scenario_accounts_sign_in_with_the_published_passwords(db, make_world):
    world = make_world("awaiting-shipment")
    with db.transaction() as s:
        assert authenticate(
            s, world.buyer_email.upper(), BUYER_PASSWORD, Role.BUYER
        ).id == world.buyer_id
        assert authenticate(
            s, world.seller_email, SELLER_PASSWORD, Role.SELLER
        ).id == world.seller_id
        assert authenticate(s, world.buyer_email, "wrong", Role.BUYER) is None
        assert authenticate(
            s, world.buyer_email, BUYER_PASSWORD, Role.SELLER
        ) is None


# --- before verification: closes at once ------------------------------------------------

def test_cancel_while_payment_is_verified_closes_at_once_and_starts_the_refund(db, make_world):
    # Given an order whose payment is being verified
    world = make_world("payment-being-verified")
    # when the buyer cancels it
    cancel(db, world)
    # then it closes at once, with no seller involved, and the refund starts
    order = state(db, world)
    assert (order["status"], order["cancellation"]["status"]) == ("Closed", "immediate")
    [request] = cancellations(db, world)
    assert (request.decided_at, request.deadline) == (START, None)
    [refund] = order["refunds"]
    assert refund == {
        "amount_cents": 2499, "method": "bank_card", "stages_reached": 1,
        "paid_at": (START + timedelta(days=15)).isoformat(),
    }


def test_refund_comes_back_through_the_platform_to_the_orders_payment_method(db, make_world):
    world = make_world("refund-methods")
    for number in world.numbers:
        cancel(db, world, number=number)
    with db.transaction() as s:
        for number in world.numbers:
            order = world.order(s, number)
            [refund] = order.refunds
            assert refund.method == order.payment_method
            assert refund.amount_cents == order.paid_cents
            assert any(e.text == f"Refund of US ${refund.amount_cents / 100:.2f} started."
                       for e in order.events)



@pytest.mark.parametrize(
    ("days", "reached"),
    [
        (0, {BANK: 1, PAYPAL: 1, BALANCE: 1}),
        (1, {BANK: 2, PAYPAL: 2, BALANCE: 2}),
        (5, {BANK: 2, PAYPAL: 2, BALANCE: 3}),
        (10, {BANK: 2, PAYPAL: 3, BALANCE: 3}),
        (15, {BANK: 3, PAYPAL: 3, BALANCE: 3}),
    ],
)
def test_tracker_advances_with_the_scenario_clock(db, make_world, days, reached):
    # Given three orders paid by different methods, cancelled now
    world = make_world("refund-methods")
    for number in world.numbers:
        cancel(db, world, number=number)
    # when the clock moves on
    if days:
        advance(db, world, days=days)
    # then each refund has reached the stages its method allows by then
    for number, stages in reached.items():
        [refund] = state(db, world, number)["refunds"]
        assert refund["stages_reached"] == stages, number


# --- awaiting shipment: the seller decides ----------------------------------------------

def test_cancel_awaiting_shipment_sends_a_request(db, make_world):
    # Given an order awaiting shipment
    world = make_world("awaiting-shipment")
    # when the buyer cancels it
    cancel(db, world)
    # then a request waits for the seller and no money moves yet
    order = state(db, world)
    assert (order["status"], order["cancellation"]["status"]) == ("Awaiting cancellation", "pending")
    assert order["refunds"] == []
    [request] = cancellations(db, world)
    assert request.deadline == START + timedelta(hours=WINDOW)


def answered(db, make_world, accept: bool):
    """An order awaiting shipment whose cancellation request the seller has answered."""
    world = make_world("awaiting-shipment")
    cancel(db, world)
    answer(db, world, accept=accept)
    return world, state(db, world)


def test_seller_accepting_closes_the_order_and_starts_the_refund(db, make_world):
    _, order = answered(db, make_world, accept=True)
    assert (order["status"], order["cancellation"]["status"]) == ("Closed", "accepted")
    assert [(r["amount_cents"], r["method"]) for r in order["refunds"]] == [(3120, "paypal")]


def test_seller_declining_returns_the_order_to_awaiting_shipment(db, make_world):
    world, order = answered(db, make_world, accept=False)
    assert (order["status"], order["cancellation"]["status"]) == ("Awaiting shipment", "declined")
    assert order["refunds"] == []
    assert not any(item["cancelled"] for item in order["items"])
    # and the store may then ship it as usual
    ship(db, world)
    assert state(db, world)["status"] == "Awaiting delivery"


@pytest.mark.parametrize("window", [48, 72])
def test_silent_seller_is_taken_as_accepting_once_the_window_has_passed(db, make_world, window):
    # Given a request made under a response window of ``window`` hours
    world = make_world("awaiting-shipment")
    cancel(db, world, window=window)
    # when the clock moves to one hour before the deadline, nothing happens yet
    assert advance(db, world, hours=window - 1) == []
    assert state(db, world)["status"] == "Awaiting cancellation"
    assert state(db, world)["refunds"] == []
    # when it reaches the deadline, the request is taken as accepted
    assert advance(db, world, hours=1) == [world.numbers[0]]
    order = state(db, world)
    assert (order["status"], order["cancellation"]["status"]) == ("Closed", "lapsed")
    [refund] = refund_rows(db, world)
    assert refund.requested_at == START + timedelta(hours=window)


@pytest.mark.parametrize("steps", [[120], [48, 72], [47, 1, 72], [24] * 5], ids=str)
def test_lapsed_request_takes_effect_at_its_deadline_however_the_clock_moved(
    db, make_world, steps
):
    # Given a request under a 48-hour window
    world = make_world("awaiting-shipment")
    cancel(db, world)
    # when the clock moves on five days, in one jump or in several
    for hours in steps:
        advance(db, world, hours=hours)
    # then the request was accepted at its deadline, so the refund is as far along either way
    [request] = cancellations(db, world)
    [refund] = refund_rows(db, world)
    assert request.decided_at == refund.requested_at == START + timedelta(hours=WINDOW)
    assert state(db, world)["refunds"][0]["stages_reached"] == 2


def test_a_lapsed_request_is_not_taken_again_on_the_next_tick(db, make_world):
    world = make_world("awaiting-shipment")
    cancel(db, world)
    advance(db, world, hours=WINDOW)
    assert advance(db, world, days=3) == []
    assert len(refund_rows(db, world)) == 1


def test_clock_of_one_scenario_leaves_other_scenarios_alone(db, make_world):
    # Given two copies with a request each
    mine, theirs = make_world("awaiting-shipment"), make_world("awaiting-shipment")
    cancel(db, mine)
    cancel(db, theirs)
    # when only my clock moves past the deadline
    advance(db, mine, hours=WINDOW)
    # then only my request is taken as accepted
    assert state(db, mine)["status"] == "Closed"
    assert state(db, theirs)["status"] == "Awaiting cancellation"


def verify_payment(db, world, number=None):
    """Given: the marketplace has verified the payment (no service does this; it is setup)."""
    with db.transaction() as s:
        order = world.order(s, number)
        order.status = check_move(order.status, OrderStatus.AWAITING_SHIPMENT)


def test_partial_request_accepted_keeps_the_rest_of_the_order_awaiting_shipment(db, make_world):
    # Given the store-coupon order, once its payment has been verified
    world = make_world("store-coupon")
    verify_payment(db, world)
    _lamp, spatulas, _socks = item_ids(db, world)
    # when the buyer asks to cancel the spatulas and the seller accepts
    cancel(db, world, items=[spatulas])
    answer(db, world, accept=True)
    # then the spatulas are refunded and the rest still waits to be shipped
    order = state(db, world)
    assert order["status"] == "Awaiting shipment"
    assert [i["cancelled"] for i in order["items"]] == [False, True, False]
    assert [r["amount_cents"] for r in order["refunds"]] == [770]
    assert wallet_of(db, world)["BRIGHT-6OFF"] == ("Used", KEPT_PARTIAL.reason)


@pytest.mark.parametrize(
    ("asked_on_day", "seller_accepts_on_day", "decision"),
    [
        # asked on day 7, the window ends on day 9, the coupon runs out on day 10: it comes
        # back even though nobody looks until day 12
        (7, None, RETURNED),
        # asked on day 9, the window ends on day 11: the coupon ran out first
        (9, None, KEPT_EXPIRED),
        # the seller accepts on day 8, before it runs out
        (7, 8, RETURNED),
        # the seller accepts on day 10, as it runs out
        (9, 10, KEPT_EXPIRED),
    ],
)
def test_store_coupon_is_judged_when_the_cancellation_takes_effect(
    db, make_world, asked_on_day, seller_accepts_on_day, decision
):
    # Given the store-coupon order, verified, and a full cancellation asked for on a day
    world = make_world("store-coupon")
    verify_payment(db, world)
    advance(db, world, days=asked_on_day)
    cancel(db, world)
    # when the seller accepts on a later day, or says nothing while the clock jumps to day 12
    today = asked_on_day
    if seller_accepts_on_day:
        advance(db, world, days=seller_accepts_on_day - today)
        answer(db, world, accept=True)
        today = seller_accepts_on_day
    advance(db, world, days=12 - today)
    # then the coupon is decided as of the moment the cancellation took effect
    assert state(db, world)["status"] == "Closed"
    with db.transaction() as s:
        coupon = s.scalar(select(Coupon).where(Coupon.code == "BRIGHT-6OFF"))
        assert coupon.decision_note == decision.reason
        assert (coupon.returned_at is not None) is decision.returned


# --- awaiting delivery: message the seller ----------------------------------------------

def test_cancel_is_gone_once_the_order_is_marked_shipped(db, make_world):
    world = make_world("marked-shipped")
    with pytest.raises(services.ActionRefused) as error:
        cancel(db, world)
    assert str(error.value) == ROUTE_EXPLANATIONS[CancelRoute.MESSAGE_SELLER]


def test_seller_cancels_after_the_buyers_message(db, make_world):
    # Given an order the store marked shipped too early
    world = make_world("marked-shipped")
    # when the buyer explains in a message and the seller cancels
    message(db, world, "  Please cancel: the parcel has not moved for days.  ")
    seller_cancels(db, world)
    # then the order closes and the refund starts
    order = state(db, world)
    assert order["messages"] == [
        {"sender": "buyer", "body": "Please cancel: the parcel has not moved for days."}
    ]
    assert (order["status"], order["cancellation"]["status"]) == ("Closed", "by_seller")
    assert [(r["amount_cents"], r["method"]) for r in order["refunds"]] == [(1240, "bank_card")]


def test_seller_answering_that_the_parcel_left_cancels_nothing(db, make_world):
    world = make_world("marked-shipped")
    message(db, world, "Please cancel my order.")
    message(db, world, "Sorry, the parcel has already left our warehouse.", sender="seller")
    order = state(db, world)
    assert order["status"] == "Awaiting delivery"
    assert [m["sender"] for m in order["messages"]] == ["buyer", "seller"]
    assert order["cancellation"] is None
    assert order["refunds"] == []


def test_message_of_exactly_the_longest_length_is_sent(db, make_world):
    world = make_world("marked-shipped")
    message(db, world, "x" * 20, max_length=20)
    assert state(db, world)["messages"] == [{"sender": "buyer", "body": "x" * 20}]


# --- coupons ----------------------------------------------------------------------------

def test_platform_coupon_comes_back_when_every_item_is_cancelled(db, make_world):
    world = make_world("platform-coupon")
    cancel(db, world)
    assert wallet_of(db, world)["MKT-SPRING-5"] == ("Returned", RETURNED.reason)
    assert [r.amount_cents for r in refund_rows(db, world)] == [2176 + 1193]
    with db.transaction() as s:
        coupon = s.scalar(select(Coupon).where(Coupon.code == "MKT-SPRING-5"))
        assert coupon.returned_at == START


def test_platform_coupon_stays_used_after_a_partial_cancellation(db, make_world):
    world = make_world("platform-coupon")
    earbuds, _cases = item_ids(db, world)
    cancel(db, world, items=[earbuds])
    assert wallet_of(db, world)["MKT-SPRING-5"] == ("Used", KEPT_PARTIAL.reason)
    assert [r.amount_cents for r in refund_rows(db, world)] == [2176]
    assert state(db, world)["status"] == PBV


@pytest.mark.parametrize(
    ("position", "refund"),
    [(0, 3120 - 376), (1, 875 - 105), (2, 990 - 119)],
    ids=["lamp", "spatulas", "socks"],
)
def test_partial_cancellation_refunds_the_price_less_the_coupon_share(
    db, make_world, position, refund
):
    # Given three items bought with a US $6.00 store coupon
    world = make_world("store-coupon")
    # when one item is cancelled
    cancel(db, world, items=[item_ids(db, world)[position]])
    # then its refund is its price less its share of the discount, and the coupon stays used
    assert [r.amount_cents for r in refund_rows(db, world)] == [refund]
    assert wallet_of(db, world)["BRIGHT-6OFF"] == ("Used", KEPT_PARTIAL.reason)


def test_store_coupon_comes_back_on_full_cancellation_before_it_expires(db, make_world):
    world = make_world("store-coupon")
    cancel(db, world)
    assert wallet_of(db, world)["BRIGHT-6OFF"] == ("Returned", RETURNED.reason)
    assert [r.amount_cents for r in refund_rows(db, world)] == [4385]


def test_expired_store_coupon_is_not_returned(db, make_world):
    world = make_world("store-coupon-expired")
    cancel(db, world)
    assert wallet_of(db, world)["BRIGHT-4OFF"] == ("Expired", KEPT_EXPIRED.reason)
    assert [r.amount_cents for r in refund_rows(db, world)] == [4350 - 400]
    with db.transaction() as s:
        assert s.scalar(select(Coupon.returned_at).where(Coupon.code == "BRIGHT-4OFF")) is None


def test_store_coupon_expired_by_the_time_of_cancelling_is_not_returned(db, make_world):
    # Given the store-coupon order, cancelled only once its coupon (10 days) has run out
    world = make_world("store-coupon")
    advance(db, world, days=10)
    cancel(db, world)
    # then the whole order is refunded but the coupon does not come back
    assert wallet_of(db, world)["BRIGHT-6OFF"] == ("Expired", KEPT_EXPIRED.reason)
    assert [r.amount_cents for r in refund_rows(db, world)] == [4385]


def test_coupon_covered_items_cancelled_in_two_goes_returns_the_coupon(db, make_world):
    """Pins today's behaviour: once every covered item is cancelled, the coupon comes back.

    The buyer then holds all the money paid and the coupon, as after one full cancellation.
    """
    world = make_world("platform-coupon")
    earbuds, cases = item_ids(db, world)
    cancel(db, world, items=[earbuds])
    cancel(db, world, items=[cases])
    assert wallet_of(db, world)["MKT-SPRING-5"] == ("Returned", RETURNED.reason)
    assert state(db, world)["status"] == "Closed"


def test_refunds_never_exceed_what_was_paid(db, make_world):
    # Given three coupon items cancelled one at a time
    world = make_world("store-coupon")
    for item in item_ids(db, world):
        cancel(db, world, items=[item])
    # then the refunds add up exactly to what was paid, never more
    refunds = [r.amount_cents for r in refund_rows(db, world)]
    assert refunds == [2744, 770, 871]
    assert sum(refunds) == state(db, world)["paid_cents"] == 3120 + 875 + 990 - 600
    assert state(db, world)["status"] == "Closed"


@pytest.mark.parametrize(
    ("code", "days", "status"),
    [("MKT-WELCOME-3", 29, "Available"), ("MKT-WELCOME-3", 30, "Expired"),
     ("MKT-SPRING-5", 19, "Returned"), ("MKT-SPRING-5", 20, "Expired")],
)
def test_wallet_shows_unused_and_returned_coupons_expiring(db, make_world, code, days, status):
    world = make_world("platform-coupon")
    cancel(db, world)
    advance(db, world, days=days)
    assert wallet_of(db, world)[code][0] == status


# --- bad input: a clear message, nothing changed ----------------------------------------

def buyer_cancelled_first(db, world):
    cancel(db, world)


def first_item_cancelled(db, world):
    cancel(db, world, items=item_ids(db, world)[:1])


def nothing(db, world):
    pass


def other_orders_item(db, world):
    return item_ids(db, world, HISTORY[0])


REFUSALS = [
    # (case, scenario, given, when, message)
    ("unknown reason", "payment-being-verified", nothing,
     lambda db, w: cancel(db, w, reason="fraud"),
     "Choose one of the listed reasons for cancelling."),
    ("cancel a closed order", "payment-being-verified", buyer_cancelled_first,
     lambda db, w: cancel(db, w), ROUTE_EXPLANATIONS[CancelRoute.NOT_POSSIBLE]),
    ("cancel a completed order", "payment-being-verified", nothing,
     lambda db, w: cancel(db, w, number=HISTORY[0]),
     ROUTE_EXPLANATIONS[CancelRoute.NOT_POSSIBLE]),
    ("cancel an order awaiting delivery", "marked-shipped", nothing,
     lambda db, w: cancel(db, w), ROUTE_EXPLANATIONS[CancelRoute.MESSAGE_SELLER]),
    ("cancel twice while the seller decides", "awaiting-shipment", buyer_cancelled_first,
     lambda db, w: cancel(db, w), ROUTE_EXPLANATIONS[CancelRoute.REQUEST_PENDING]),
    ("message over the longest length", "marked-shipped", nothing,
     lambda db, w: message(db, w, "x" * (MAX_LENGTH + 1)),
     f"Messages can be at most {MAX_LENGTH} characters long."),
    ("empty message", "marked-shipped", nothing,
     lambda db, w: message(db, w, ""), "Write a message before sending it."),
    ("blank message", "marked-shipped", nothing,
     lambda db, w: message(db, w, " \n\t "), "Write a message before sending it."),
    ("empty item choice", "store-coupon", nothing,
     lambda db, w: cancel(db, w, items=[]), "Choose at least one item to cancel."),
    ("unknown item id", "store-coupon", nothing,
     lambda db, w: cancel(db, w, items=[10**9]),
     "Some of the chosen items are not in this order."),
    ("an item of another order", "payment-being-verified", nothing,
     lambda db, w: cancel(db, w, items=other_orders_item(db, w)),
     "Some of the chosen items are not in this order."),
    ("an item already cancelled", "store-coupon", first_item_cancelled,
     lambda db, w: cancel(db, w, items=item_ids(db, w)[:1]),
     "Some of the chosen items are already cancelled."),
    ("seller answers with no request", "awaiting-shipment", nothing,
     lambda db, w: answer(db, w, accept=True),
     "There is no cancellation request waiting on this order."),
    ("seller ships with a request waiting", "awaiting-shipment", buyer_cancelled_first,
     lambda db, w: ship(db, w),
     "Only an order awaiting shipment can be marked shipped"
     " (answer the cancellation request first)."),
    ("seller ships twice", "marked-shipped", nothing,
     lambda db, w: ship(db, w), "Only an order awaiting shipment can be marked shipped."),
    ("seller cancels a closed order", "payment-being-verified", buyer_cancelled_first,
     lambda db, w: seller_cancels(db, w),
     "This order's status is Closed: the store can cancel only orders awaiting shipment or"
     " awaiting delivery."),
    ("clock backwards", "awaiting-shipment", buyer_cancelled_first,
     lambda db, w: advance(db, w, hours=-1), "The clock only moves forward."),
    ("clock over a year", "awaiting-shipment", buyer_cancelled_first,
     lambda db, w: advance(db, w, days=366), "Move the clock by at most 365 days at a time."),
]


@pytest.mark.parametrize(
    ("scenario", "given", "when", "message"),
    [case[1:] for case in REFUSALS],
    ids=[case[0] for case in REFUSALS],
)
def test_refused_action_says_why_and_changes_nothing(db, make_world, scenario, given, when,
                                                      message):
    # Given a world in the state the case needs
    world = make_world(scenario)
    given(db, world)
    # when the refused action is tried
    before = world_state(db, world)
    with pytest.raises(services.ActionRefused) as error:
        when(db, world)
    # then the message says why, word for word, and nothing changed
    assert str(error.value) == message
    assert world_state(db, world) == before


def test_another_buyers_order_is_not_found(db, make_world):
    # Given two buyers in different scenarios
    mine, theirs = make_world("marked-shipped"), make_world("awaiting-shipment")
    before = world_state(db, theirs)
    # when I try to see, cancel or message their order
    with db.transaction() as s, pytest.raises(services.NotFound, match="^Order not found.$"):
        buyer_order(s, mine.buyer(s), theirs.numbers[0])
    with pytest.raises(services.NotFound):
        cancel(db, mine, number=theirs.numbers[0])
    with pytest.raises(services.NotFound):
        message(db, mine, "hello", number=theirs.numbers[0])
    # then nothing of theirs changed
    assert world_state(db, theirs) == before


def test_same_order_number_in_another_copy_is_the_buyers_own(db, make_world):
    # Given two copies of a scenario: the same order numbers, different buyers
    mine, theirs = make_world("awaiting-shipment"), make_world("awaiting-shipment")
    # when I cancel "my" order number
    cancel(db, mine)
    # then only my order moves
    assert state(db, mine)["status"] == "Awaiting cancellation"
    assert state(db, theirs)["status"] == "Awaiting shipment"


@pytest.mark.parametrize("act", [
    lambda db, w, n: answer(db, w, accept=True, number=n),
    lambda db, w, n: answer(db, w, accept=False, number=n),
    lambda db, w, n: seller_cancels(db, w, number=n),
    lambda db, w, n: ship(db, w, number=n),
    lambda db, w, n: message(db, w, "hello", sender="seller", number=n),
], ids=["accept", "decline", "cancel", "ship", "reply"])
def test_seller_acting_on_another_stores_order_is_not_found(db, make_world, act):
    # Given another store's order with a request waiting
    mine, theirs = make_world("marked-shipped"), make_world("awaiting-shipment")
    cancel(db, theirs)
    before = world_state(db, theirs)
    # when my seller acts on it
    with pytest.raises(services.NotFound):
        act(db, mine, theirs.numbers[0])
    # then nothing of theirs changed
    assert world_state(db, theirs) == before


@pytest.mark.parametrize("name", ["payment-being-verified", "awaiting-shipment"])
def test_double_submit_gives_one_cancellation_and_one_refund(db, make_world, name):
    # Given an order the buyer cancels
    world = make_world(name)
    cancel(db, world)
    # when the same form is submitted again
    with pytest.raises(services.ActionRefused):
        cancel(db, world)
    if name == "awaiting-shipment":
        answer(db, world, accept=True)
        with pytest.raises(services.ActionRefused):
            answer(db, world, accept=True)
        advance(db, world, days=5)
    # then there is one cancellation and one refund
    assert len(cancellations(db, world)) == 1
    assert len(refund_rows(db, world)) == 1


@pytest.mark.parametrize("name", ["payment-being-verified", "awaiting-shipment"])
def test_simultaneous_submits_make_one_cancellation(db, make_world, name):
    # Given an order and four requests to cancel it racing each other
    world = make_world(name)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def submit():
        start.wait()
        try:
            cancel(db, world)
            outcomes.append("done")
        except services.ActionRefused:
            outcomes.append("refused")

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then one went through and the others were refused
    assert sorted(outcomes) == ["done", "refused", "refused", "refused"]
    assert len(cancellations(db, world)) == 1
    assert len(refund_rows(db, world)) == (1 if name == "payment-being-verified" else 0)


# --- restart ----------------------------------------------------------------------------

def test_nothing_is_lost_on_restart(tmp_path):
    url = f"sqlite:///{tmp_path}/shop.db"
    first = Database(url)
    first.create_schema(Base.metadata)
    world = create_world(first, "awaiting-shipment")
    cancel(first, world)
    before = world_state(first, world)
    first.dispose()

    second = Database(url)
    second.create_schema(Base.metadata)
    try:
        assert world_state(second, world) == before
        answer(second, world, accept=True)
        assert state(second, world)["status"] == "Closed"
    finally:
        second.dispose()


def test_my_orders_tabs_list_the_orders_in_their_statuses(db, make_world):
    world = make_world("awaiting-shipment")
    cancel(db, world)
    with db.transaction() as s:
        buyer = world.buyer(s)

        def numbers(tab):
            return [o.number for o in list_orders(s, buyer, tab)]

        assert numbers("All") == list(world.numbers)  # newest first
        assert numbers("To ship") == [world.numbers[0]]
        assert numbers("Completed") == [HISTORY[0]]
        assert numbers("Closed") == []
        assert numbers("no such tab") == list(world.numbers)
